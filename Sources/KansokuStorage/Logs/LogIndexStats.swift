import KansokuModel

/// What Loki's `GET /loki/api/v1/index/stats` reports for a selector and a
/// time range: matching streams, their chunks, entries and uncompressed bytes.
public struct LogIndexStats: Sendable, Hashable {
    public var streams: Int
    public var chunks: Int
    public var entries: Int
    public var bytes: Int

    public init(streams: Int = 0, chunks: Int = 0, entries: Int = 0, bytes: Int = 0) {
        self.streams = streams
        self.chunks = chunks
        self.entries = entries
        self.bytes = bytes
    }

    /// The share of a chunk spanning `[minTime, maxTime]` that falls in
    /// `[from, through]`, as Loki prorates chunk statistics
    /// (`util.GetFactorOfTime`): 0 outside, 1 for a single-instant chunk.
    static func overlapFactor(from: UInt64, through: UInt64, minTime: UInt64, maxTime: UInt64) -> Double {
        if from > maxTime || through < minTime { return 0 }
        if minTime == maxTime { return 1 }
        let total = maxTime - minTime
        let leading = from > minTime ? from - minTime : 0
        let trailing = maxTime > through ? maxTime - through : 0
        return Double(total - min(total, leading + trailing)) / Double(total)
    }
}

extension LogStore {
    /// Index statistics from block metadata and the WAL tail.
    ///
    /// Blocks: each chunk of a matching stream overlapping the range counts as
    /// one chunk, its entries and raw (uncompressed) bytes prorated by the share
    /// of its time span inside the range, as Loki's TSDB index does; no chunk is
    /// read. WAL tail (not compacted yet): entries in the range exactly, their
    /// line bytes, and one chunk per stream (Loki's head chunk).
    public func indexStats(matching predicate: (LogStreamLabels) -> Bool, start: Int64, end: Int64) throws -> LogIndexStats {
        guard start < end else { return LogIndexStats() }
        let lo = UInt64(max(0, start)), hi = UInt64(max(0, end))  // [lo, hi)
        var stats = LogIndexStats()
        var streams = Set<LogStreamLabels>()
        var verdicts = LogStreamVerdicts()
        func matches(_ labels: LogStreamLabels) -> Bool { verdicts.matches(labels, predicate) }
        try segmentsLock.withReadLock { () throws in
            let snapshot = withBlocks { $0 }
            for block in snapshot.values where block.metadata.entryCount > 0
                && block.metadata.maxTimeUnixNano >= lo && block.metadata.minTimeUnixNano < hi {
                let streamOK = block.streams.map(matches)
                for chunk in block.chunks where streamOK[chunk.stream] && chunk.maxTimeUnixNano >= lo && chunk.minTimeUnixNano < hi {
                    let factor = LogIndexStats.overlapFactor(from: lo, through: hi - 1,
                                                             minTime: chunk.minTimeUnixNano, maxTime: chunk.maxTimeUnixNano)
                    stats.chunks += 1
                    stats.entries += Int(Double(chunk.entryCount) * factor)
                    stats.bytes += Int(Double(chunk.rawLength) * factor)
                    streams.insert(block.streams[chunk.stream])
                }
            }
            var tailStreams = Set<LogStreamLabels>()
            try forEachTailResource(skipping: Set(snapshot.keys), wanted: { section in
                guard section.maxTime >= lo && section.minTime < hi && matches(section.labels) else { return false }
                guard section.minTime < lo || section.maxTime >= hi else {
                    // Wholly inside the range: the section's totals, without decoding it.
                    stats.entries += section.entryCount
                    stats.bytes += section.lineBytes
                    tailStreams.insert(section.labels)
                    return false
                }
                return true
            }) { section, resourceItems in
                for scoped in resourceItems.scopes {
                    for record in scoped.items {
                        let time = LogBlockEntryCodec.timestamp(of: record)
                        guard time >= lo && time < hi else { continue }
                        stats.entries += 1
                        stats.bytes += LogLine.render(record.body).utf8.count
                        tailStreams.insert(section.labels)
                    }
                }
            }
            stats.chunks += tailStreams.count
            streams.formUnion(tailStreams)
        }
        stats.streams = streams.count
        return stats
    }
}
