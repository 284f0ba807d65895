import Foundation
import KansokuModel

/// Background work of the metric store, run every compaction interval:
/// cut the head into a block once it spans 1.5 block durations, merge
/// blocks that fill a larger aligned window, delete what retention no longer
/// keeps, and drop WAL segments whose samples are all in blocks.
extension EmbeddedMetricStore {
    public func compact() throws -> Int {
        try compactionLock.withLock { _ in
            var written = 0
            if let range = head.timeRange, range.max - range.min >= options.blockDuration * 3 / 2 {
                let boundary = Self.alignDown(range.min, options.blockDuration) + options.blockDuration
                written += try cutHead(before: boundary)
            }
            written += try mergeBlocks(now: Self.nowMillis())
            try applyRetention(now: Self.nowMillis())
            return written
        }
    }

    /// Writes the head's samples before `boundary` as a block, then lets the
    /// head and the log forget them. Returns 1 if a block was written.
    func cutHead(before boundary: Int64) throws -> Int {
        // Refuse older samples first, so none can slip in between copying the
        // head's data into the block and truncating it.
        head.refuseSamples(before: boundary)
        let series = try head.blockSeries(before: boundary)
        var written = 0
        if !series.isEmpty {
            let minTime = series.lazy.flatMap { [$0.chunks.first?.minTime, $0.histogramChunks.first?.minTime] }.compactMap { $0 }.min()!
            let maxTime = series.lazy.flatMap { [$0.chunks.last?.maxTime, $0.histogramChunks.last?.maxTime] }.compactMap { $0 }.max()!
            let meta = try MetricBlockWriter.write(series, minTime: minTime, maxTime: maxTime, to: blocks.directory)
            blocks.add(try MetricBlockReader(path: meta.path))
            written = 1
            logger.info("cut metrics head into a block", metadata: [
                "block": "\(meta.id)", "series": "\(meta.seriesCount)", "samples": "\(meta.sampleCount)", "bytes": "\(meta.fileBytes)",
            ])
        }
        let dropped = head.truncate(before: boundary)
        if !dropped.isEmpty {
            let segment = newestSegment.withLock { $0 }
            retiredSeries.withLock { $0 += dropped.map { ($0, segment) } }
        }
        try dropPersistedSegments(before: boundary)
        return written
    }

    /// Persists the whole head (shutdown): a block up to its newest sample.
    func flushHead() throws {
        try compactionLock.withLock { _ in
            guard let range = head.timeRange else { return }
            _ = try cutHead(before: range.max + 1)
        }
    }

    /// Removes the oldest closed WAL segments whose samples are all older
    /// than `boundary`, after writing the series checkpoint that replaces the
    /// definitions they hold.
    private func dropPersistedSegments(before boundary: Int64) throws {
        let closed = log.closedSegments
        guard let first = closed.first, let last = closed.last else { return }
        let times = segmentMaxTimes.withLock { $0 }
        var firstKept: UInt64?
        for segment in closed {
            // No entry: its last append has not returned yet, so its samples are unknown. Keep it.
            guard let newest = times[segment], newest < boundary else { firstKept = segment; break }
        }
        let before = firstKept ?? (last + 1)
        guard first < before else { return }
        // Taken after `before` is fixed: a series created later is named only by
        // records in segments from `before` on, which stay.
        try writeCheckpoint(keepingSegmentsFrom: before)
        try log.removeSegments(before: WALPosition(segment: before, offset: 0))
        segmentMaxTimes.withLock { times in times = times.filter { $0.key >= before } }
    }

    /// Writes every head series, every retired series that segments from
    /// `segment` on may name, and the family metadata to the checkpoint, atomically.
    func writeCheckpoint(keepingSegmentsFrom segment: UInt64) throws {
        let retired = retiredSeries.withLock { list in
            list.removeAll { $0.segment < segment }
            return list.map(\.definition)
        }
        let live = head.walDefinitions()
        let contents = MetricSeriesCheckpoint.Contents(nextWALID: head.nextSeriesWALID, series: live + retired,
                                                       metadata: head.familyMetadata())
        try MetricSeriesCheckpoint.write(contents, to: checkpointPath)
        logger.debug("wrote metrics series checkpoint", metadata: [
            "path": "\(checkpointPath)", "series": "\(live.count)", "retired": "\(retired.count)", "first_kept_segment": "\(segment)",
        ])
    }

    /// Merges blocks lying inside one aligned window of 3×, 9×… the block
    /// duration (up to `maxBlockDuration`) once the window is in the past of
    /// the head, like Prometheus's leveled compaction. Returns blocks written.
    func mergeBlocks(now: Int64) throws -> Int {
        var written = 0
        var span = options.blockDuration * 3
        while span <= options.maxBlockDuration {
            var groups: [Int64: [MetricBlockReader]] = [:]
            for block in blocks.all {
                let window = Self.alignDown(block.meta.minTime, span)
                if block.meta.maxTime < window + span { groups[window, default: []].append(block) }
            }
            let headStart = head.timeRange?.min ?? now
            for (window, group) in groups.sorted(by: { $0.key < $1.key }) where group.count > 1 && window + span <= headStart {
                let meta = try MetricBlockCompactor.merge(group, into: blocks.directory)
                try blocks.replace(group, with: try MetricBlockReader(path: meta.path))
                written += 1
                logger.info("merged metric blocks", metadata: ["blocks": "\(group.count)", "into": "\(meta.id)", "samples": "\(meta.sampleCount)"])
            }
            span *= 3
        }
        return written
    }

    /// Deletes blocks older than the retention age, then the oldest while over the size limit.
    func applyRetention(now: Int64) throws {
        var doomed: [MetricBlockReader] = []
        let all = blocks.all
        if let age = options.retentionAge {
            doomed += all.filter { $0.meta.maxTime < now - age }
        }
        if let maxBytes = options.retentionBytes {
            var total = all.filter { block in !doomed.contains { $0 === block } }.reduce(Int64(0)) { $0 + Int64($1.meta.fileBytes) }
            for block in all where total > maxBytes && !doomed.contains(where: { $0 === block }) {
                doomed.append(block)
                total -= Int64(block.meta.fileBytes)
            }
        }
        guard !doomed.isEmpty else { return }
        try blocks.remove(doomed)
        logger.info("metric blocks deleted by retention", metadata: ["count": "\(doomed.count)"])
    }

    static func alignDown(_ time: Int64, _ span: Int64) -> Int64 {
        let remainder = time % span
        return remainder >= 0 ? time - remainder : time - remainder - span
    }

    static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
