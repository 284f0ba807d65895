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
public final class TraceStore: TraceSignalStore, Compacting {
    public let log: WriteAheadLog
    public let blocksDirectory: String
    private let writerOptions: TraceBlockWriter.Options
    private let logger: Logger
    /// Blocks by the number of the WAL segment they were made from.
    private let blocks: Mutex<[UInt64: TraceBlockReader]>
    /// Reads hold it shared while they walk blocks and segments; compaction
    /// holds it exclusively only to list a new block and delete its segment,
    /// so a read never sees a segment vanish or a span twice.
    private let segmentsLock = ReadWriteLock()
    private let blockGauge = Gauge(label: "kansoku_trace_blocks")

    /// Opens the blocks in `blocksDirectory` (creating it if needed). A block
    /// that cannot be opened is logged and left in place, never deleted.
    public init(log: WriteAheadLog, blocksDirectory: String, writerOptions: TraceBlockWriter.Options = .init(),
                logger: Logger) throws {
        self.log = log
        self.blocksDirectory = blocksDirectory
        self.writerOptions = writerOptions
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
    }

    public func append(_ batch: SpanBatch) async throws {
        _ = try await log.append(batch.walPayload())
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
        try segmentsLock.withReadLock { () throws -> SpanBatch in
            let snapshot = blocks.withLock { $0 }
            var found = [TraceBlockSpan]()
            for segment in snapshot.keys.sorted() {
                found += try snapshot[segment]?.spans(of: traceID) ?? []
            }
            var result = SpanBatch(blockSpans: found)
            try forEachLogBatch(skipping: Set(snapshot.keys)) { batch in
                result.resources += batch.filtered(to: traceID).resources
                return true
            }
            return result.mergingEqualResources()
        }
    }

    /// Compacts every closed segment, oldest first, and deletes the segments
    /// that have a block. Blocking file I/O: call it off the event loops.
    public func compact() throws -> Int {
        var written = 0
        for segment in log.closedSegments {
            if blocks.withLock({ $0[segment] }) == nil {
                let reader = try writeBlock(of: segment)
                try segmentsLock.withWriteLock { () throws in
                    blocks.withLock { $0[segment] = reader }
                    try log.removeSegments(before: WALPosition(segment: segment + 1, offset: 0))
                }
                written += 1
                logger.debug("compacted a traces WAL segment", metadata: [
                    "segment": "\(segment)", "spans": "\(reader.metadata.spanCount)", "path": "\(reader.path)",
                ])
            } else {
                try segmentsLock.withWriteLock { () throws in
                    try log.removeSegments(before: WALPosition(segment: segment + 1, offset: 0))
                }
            }
        }
        blockGauge.record(blocks.withLock { $0.count })
        return written
    }

    /// The block of one closed segment, written atomically and opened.
    private func writeBlock(of segment: UInt64) throws -> TraceBlockReader {
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

    /// Batches still only in the WAL, oldest first, skipping segments that already have a block.
    private func forEachLogBatch(skipping compacted: Set<UInt64>, _ visit: (SpanBatch) throws -> Bool) throws {
        var iterator = try log.records().makeIterator()
        while let record = try iterator.nextRecord() {
            if compacted.contains(record.position.segment) { continue }
            guard try visit(try SpanBatch(walPayload: record.payload)) else { return }
        }
    }

    public func close() async {
        await log.close()
    }
}

extension TelemetryBatch where Item == Span {
    /// The same batch with only the spans of `traceID` (and only the resources and scopes that still have spans).
    func filtered(to traceID: TraceID) -> SpanBatch {
        var result = SpanBatch()
        for resource in resources {
            let scopes = resource.scopes.compactMap { scoped -> ScopedItems<Span>? in
                let spans = scoped.items.filter { $0.traceID == traceID }
                return spans.isEmpty ? nil : ScopedItems(scope: scoped.scope, schemaURL: scoped.schemaURL, items: spans)
            }
            if !scopes.isEmpty { result.resources.append(ResourceItems(resource: resource.resource, schemaURL: resource.schemaURL, scopes: scopes)) }
        }
        return result
    }
}
