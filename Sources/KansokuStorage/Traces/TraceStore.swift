import Foundation
import KansokuModel
import Logging
import Metrics
import Synchronization

/// The embedded engine's trace store. Spans are made durable in the traces
/// write-ahead log; once a WAL segment is closed, ``compact()`` turns it into
/// an immutable trace block named after it (`00000007.ktb`) and deletes the
/// segment. Reads combine the blocks with the segments not compacted yet.
///
/// Compaction works on whole segments, so no checkpoint file is needed: a
/// block on disk marks its segment as persisted, even when a crash came
/// between writing the block and deleting the segment.
public final class TraceStore: TraceSignalStore, Compacting, SegmentBlockStore {
    public let log: WriteAheadLog
    public let blocksDirectory: String
    private let writerOptions: TraceBlockWriter.Options
    public let retention: TraceRetention
    private let logger: Logger
    /// Blocks by the number of the WAL segment they were made from.
    private let blocks: Mutex<[UInt64: TraceBlockReader]>
    /// Reads hold it shared while they walk blocks and segments; compaction
    /// holds it exclusively only to list a new block and delete its segment,
    /// so a read never sees a segment vanish or a span twice.
    let segmentsLock = ReadWriteLock()
    private let blockGauge = Gauge(label: "kansoku_trace_blocks")
    /// Search summaries of the spans still only in the WAL.
    let tailIndex = TraceTailIndex()

    /// Opens the blocks in `blocksDirectory` (creating it if needed). A block
    /// that cannot be opened is logged and left in place, never deleted.
    public init(log: WriteAheadLog, blocksDirectory: String, writerOptions: TraceBlockWriter.Options = .init(),
                retention: TraceRetention = TraceRetention(), logger: Logger) throws {
        self.log = log
        self.blocksDirectory = blocksDirectory
        self.writerOptions = writerOptions
        self.retention = retention
        self.logger = logger
        let files = FileManager.default
        try files.createDirectory(atPath: blocksDirectory, withIntermediateDirectories: true)
        var opened = [UInt64: TraceBlockReader]()
        for name in try files.contentsOfDirectory(atPath: blocksDirectory).sorted() {
            let path = "\(blocksDirectory)/\(name)"
            if name.hasSuffix(".tmp") {
                // A block write that did not finish; its segment is still in the WAL.
                try files.removeItem(atPath: path)
                continue
            }
            guard name.hasSuffix(".\(TraceBlockFormat.fileExtension)"),
                  let segment = UInt64(name.dropLast(TraceBlockFormat.fileExtension.count + 1)) else { continue }
            do {
                opened[segment] = try TraceBlockReader(path: path)
            } catch {
                logger.error("cannot open trace block; leaving it in place", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
        blocks = Mutex(opened)
        blockGauge.record(opened.count)
        try indexTail(skipping: Set(opened.keys))
    }

    public func append(_ batch: SpanBatch) async throws {
        let position = try await log.append(batch.walPayload())
        // Compaction may have turned the segment into a block meanwhile (it lists the block under the
        // write lock, then forgets the segment's summaries): a summary added after that would linger.
        segmentsLock.withReadLock {
            if withBlocks({ $0[position.segment] }) == nil { tailIndex.add(batch, at: position) }
        }
    }

    /// Summarises the WAL records that have no block yet, for search. A record
    /// that does not decode is left out of the summary and logged; reads that
    /// decode the WAL still report it.
    private func indexTail(skipping compacted: Set<UInt64>) throws {
        var iterator = try log.records().makeIterator()
        while let record = try iterator.nextRecord() {
            if compacted.contains(record.position.segment) { continue }
            do {
                tailIndex.add(try SpanBatch(walPayload: record.payload), at: record.position)
            } catch {
                logger.error("cannot decode a traces WAL record; search will not see it",
                             metadata: ["position": "\(record.position)", "error": "\(error)"])
            }
        }
    }

    public func forEachBatch(_ visit: (SpanBatch) throws -> Bool) throws {
        try forEachBatch(startingIn: nil, services: nil, visit)
    }

    /// Blocks are skipped by their metadata (start-time range, services) and
    /// filtered row by row; the WAL tail is visited whole.
    public func forEachBatch(startingIn startTimes: ClosedRange<UInt64>?, services: Set<String>?,
                             _ visit: (SpanBatch) throws -> Bool) throws {
        try segmentsLock.withReadLock { () throws in
            let snapshot = blocks.withLock { $0 }
            for segment in snapshot.keys.sorted() {
                var spans = [TraceBlockSpan]()
                try snapshot[segment]?.forEachSpan(startingIn: startTimes, services: services) { spans.append($0) }
                if spans.isEmpty { continue }
                guard try visit(SpanBatch(blockSpans: spans)) else { return }
            }
            try forEachLogBatch(skipping: Set(snapshot.keys), visit)
        }
    }

    public func spans(ofTrace traceID: TraceID) throws -> SpanBatch {
        try spans(ofTraces: [traceID])[traceID] ?? SpanBatch()
    }

    /// Blocks answer through their trace-id index; the WAL tail is read once for all of `traceIDs`.
    public func spans(ofTraces traceIDs: Set<TraceID>) throws -> [TraceID: SpanBatch] {
        guard !traceIDs.isEmpty else { return [:] }
        return try segmentsLock.withReadLock { () throws -> [TraceID: SpanBatch] in
            let snapshot = blocks.withLock { $0 }
            var found = [TraceID: SpanBatch]()
            for traceID in traceIDs {
                var spans = [TraceBlockSpan]()
                for segment in snapshot.keys.sorted() {
                    spans += try snapshot[segment]?.spans(of: traceID) ?? []
                }
                if !spans.isEmpty { found[traceID] = SpanBatch(blockSpans: spans) }
            }
            // The tail's summaries say which records hold the traces: only those are decoded.
            let holding = tailIndex.positions(holdingAnyOf: traceIDs, excluding: Set(snapshot.keys))
            try forEachLogBatch(skipping: Set(snapshot.keys), mayMatch: { holding.contains($0) }) { batch in
                for (traceID, part) in batch.partitioned(by: traceIDs) {
                    found[traceID, default: SpanBatch()].resources += part.resources
                }
                return true
            }
            return found.mapValues { $0.mergingEqualResources() }
        }
    }

    /// Compacts every closed segment, oldest first, deletes the segments that
    /// have a block, then applies retention. Blocking file I/O: call it off the event loops.
    public func compact() throws -> Int {
        let written = try compactSegments()
        let now = UInt64(max(0, Date().timeIntervalSince1970) * 1_000_000_000)
        try applyRetention(nowNanos: now)
        return written
    }

    /// Deletes the blocks retention no longer keeps; returns how many.
    @discardableResult
    func applyRetention(nowNanos: UInt64) throws -> Int {
        let snapshot = blocks.withLock { $0 }.map { segment, reader in
            SegmentBlockRetention.Block(segment: segment, newest: reader.metadata.maxEndTimeUnixNano,
                                        isEmpty: reader.metadata.spanCount == 0, path: reader.path)
        }
        let doomed = try SegmentBlockRetention.victims(snapshot, cutoff: retention.cutoff(nowNanos: nowNanos), maxBytes: retention.maxBytes)
        guard !doomed.isEmpty else { return 0 }
        try deleteBlocks(doomed)
        blockGauge.record(blocks.withLock { $0.count })
        logger.info("trace retention deleted blocks", metadata: ["blocks": "\(doomed.count)"])
        return doomed.count
    }

    private func compactSegments() throws -> Int {
        let written = try compactClosedSegments()
        // Reads already skip the tail records of segments that have a block; this frees them.
        tailIndex.forget(segments: withBlocks { Array($0.keys) })
        for (segment, reader) in written {
            logger.debug("compacted a traces WAL segment", metadata: [
                "segment": "\(segment)", "spans": "\(reader.metadata.spanCount)", "path": "\(reader.path)",
            ])
        }
        blockGauge.record(blocks.withLock { $0.count })
        return written.count
    }

    func withBlocks<T>(_ body: (inout [UInt64: TraceBlockReader]) -> T) -> T { blocks.withLock { body(&$0) } }

    func path(of reader: TraceBlockReader) -> String { reader.path }

    /// The block of one closed segment, written atomically and opened.
    func writeBlock(of segment: UInt64) throws -> TraceBlockReader {
        var writer = TraceBlockWriter(options: writerOptions)
        var iterator = try log.records().makeIterator()
        while let record = try iterator.nextRecord() {
            if record.position.segment < segment { continue }
            if record.position.segment > segment { break }
            // A record that passed its checksum but does not decode is a bug; stop rather than drop it with the segment.
            writer.append(try SpanBatch(walPayload: record.payload))
        }
        let path = "\(blocksDirectory)/\(String(format: "%08llu", segment)).\(TraceBlockFormat.fileExtension)"
        _ = try writer.write(to: path)
        return try TraceBlockReader(path: path)
    }

    /// Batches still only in the WAL, oldest first, skipping segments that already have a block
    /// and records whose position `mayMatch` rejects (those are not decoded).
    private func forEachLogBatch(skipping compacted: Set<UInt64>, mayMatch: ((WALPosition) -> Bool)? = nil,
                                 _ visit: (SpanBatch) throws -> Bool) throws {
        var iterator = try log.records().makeIterator()
        while let record = try iterator.nextRecord() {
            if compacted.contains(record.position.segment) { continue }
            if let mayMatch, !mayMatch(record.position) { continue }
            guard try visit(try SpanBatch(walPayload: record.payload)) else { return }
        }
    }

    public func close() async {
        await log.close()
    }
}

extension TelemetryBatch where Item == Span {
    /// The spans of each of `traceIDs` the batch holds, as batches keeping
    /// their resources and scopes; one pass however many ids are asked.
    func partitioned(by traceIDs: Set<TraceID>) -> [TraceID: SpanBatch] {
        var parts: [TraceID: SpanBatch] = [:]
        for resource in resources {
            var scopes: [TraceID: [ScopedItems<Span>]] = [:]
            for scoped in resource.scopes {
                var spans: [TraceID: [Span]] = [:]
                for span in scoped.items where traceIDs.contains(span.traceID) { spans[span.traceID, default: []].append(span) }
                for (traceID, items) in spans {
                    scopes[traceID, default: []].append(ScopedItems(scope: scoped.scope, schemaURL: scoped.schemaURL, items: items))
                }
            }
            for (traceID, scoped) in scopes {
                parts[traceID, default: SpanBatch()].resources.append(
                    ResourceItems(resource: resource.resource, schemaURL: resource.schemaURL, scopes: scoped))
            }
        }
        return parts
    }
}
