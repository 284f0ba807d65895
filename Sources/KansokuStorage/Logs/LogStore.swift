import Foundation
import KansokuModel
import Logging
import Metrics
import Synchronization

/// How long and how much log data to keep; whole blocks are deleted, by age
/// when even their latest entry is older than the cut-off, by size oldest first.
public struct LogRetention: Sendable, Hashable {
    public var maxAge: Duration?
    public var maxBytes: Int64?

    public init(maxAge: Duration? = nil, maxBytes: Int64? = nil) {
        self.maxAge = maxAge
        self.maxBytes = maxBytes
    }

    func cutoff(nowNanos: UInt64) -> UInt64? {
        TraceRetention(maxAge: maxAge).cutoff(nowNanos: nowNanos)
    }
}

/// One log entry as a query sees it.
public struct LogStoreEntry: Sendable {
    public var timestampNanos: Int64
    public var line: String
    public var structuredMetadata: [(String, String)]

    public init(timestampNanos: Int64, line: String, structuredMetadata: [(String, String)]) {
        self.timestampNanos = timestampNanos
        self.line = line
        self.structuredMetadata = structuredMetadata
    }
}

/// One stream's matching entries, ascending by time.
public struct LogStoreStream: Sendable {
    /// Sorted by name.
    public var labels: [(String, String)]
    public var entries: [LogStoreEntry]
}

/// The embedded engine's log store. Batches are made durable in the logs
/// write-ahead log; ``compact()`` turns each closed WAL segment into one
/// immutable log block (`<blocks>/00000007.klb`) and deletes the segment, then
/// applies retention. Reads combine blocks with the segments not compacted
/// yet. Same crash-safety argument as ``TraceStore``: a block on disk marks
/// its segment as persisted.
public final class LogStore: LogSignalStore, Compacting, SegmentBlockStore {
    public typealias Item = LogRecord

    public let log: WriteAheadLog
    public let blocksDirectory: String
    public let retention: LogRetention
    public let mapping: LogLabelMapping
    private let writerOptions: LogBlockWriter.Options
    private let logger: Logger
    private let blocks: Mutex<[UInt64: LogBlockReader]>
    let segmentsLock = ReadWriteLock()
    private let blockGauge = Gauge(label: "kansoku_log_blocks")
    private let skippedBlocks = Atomic<Int>(0)
    private let skippedChunks = Atomic<Int>(0)
    let tailIndex = LogTailIndex()

    public init(log: WriteAheadLog, blocksDirectory: String, mapping: LogLabelMapping = LogLabelMapping(),
                writerOptions: LogBlockWriter.Options = .init(), retention: LogRetention = LogRetention(), logger: Logger) throws {
        self.log = log
        self.blocksDirectory = blocksDirectory
        self.mapping = mapping
        self.writerOptions = writerOptions
        self.retention = retention
        self.logger = logger
        let files = FileManager.default
        try files.createDirectory(atPath: blocksDirectory, withIntermediateDirectories: true)
        var opened = [UInt64: LogBlockReader]()
        for name in try files.contentsOfDirectory(atPath: blocksDirectory).sorted() {
            let path = "\(blocksDirectory)/\(name)"
            if name.hasSuffix(".tmp") {
                try files.removeItem(atPath: path)
                continue
            }
            guard name.hasSuffix(".\(LogBlockFormat.fileExtension)"),
                  let segment = UInt64(name.dropLast(LogBlockFormat.fileExtension.count + 1)) else { continue }
            do {
                opened[segment] = try LogBlockReader(path: path)
            } catch {
                logger.error("cannot open log block; leaving it in place", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
        blocks = Mutex(opened)
        blockGauge.record(opened.count)
    }

    /// The open blocks by segment number (for tests and diagnostics).
    public var blockReaders: [UInt64: LogBlockReader] { blocks.withLock { $0 } }

    /// Blocks and chunks a ``LogEntryRequirement`` let queries skip since
    /// opening: chunks of matching streams in the time range that were not
    /// read, and blocks none of whose such chunks were read.
    public var indexSkips: (blocks: Int, chunks: Int) {
        (skippedBlocks.load(ordering: .relaxed), skippedChunks.load(ordering: .relaxed))
    }

    public func append(_ batch: LogBatch) async throws {
        _ = try await log.append(batch.walPayload())
    }

    /// Blocks (one batch each, oldest first), then the WAL tail batch by batch.
    public func forEachBatch(_ visit: (LogBatch) throws -> Bool) throws {
        try segmentsLock.withReadLock { () throws in
            let snapshot = blocks.withLock { $0 }
            for segment in snapshot.keys.sorted() {
                guard let batch = try snapshot[segment]?.batch(), !batch.isEmpty else { continue }
                guard try visit(batch) else { return }
            }
            try forEachLogBatch(skipping: Set(snapshot.keys), visit)
        }
    }

    // MARK: - Queries

    /// Streams whose labels satisfy `predicate`, with their entries in
    /// `[start, end)` (nanoseconds), ascending by time; streams sorted by labels.
    ///
    /// Blocks are skipped by time range; when `tokens` are given, by the token
    /// Bloom filter (every token of every string must possibly occur); when
    /// `traceID` is given, by the trace index (and only the indexed chunks are
    /// read); when a `requirement` is given, chunks its indexes rule out
    /// (``LogBlockPruner``), and entries whose line fails its byte searches
    /// (``LogEntryPrefilter``). Entries are filtered exactly by time and trace
    /// id, but not by tokens or the rest of the requirement: callers filter
    /// lines exactly. The WAL tail is always read, decoding only the resources
    /// of matching streams and times once known (``LogTailIndex``).
    public func streams(matching predicate: (LogStreamLabels) -> Bool, start: Int64, end: Int64,
                        mustContain tokens: [String] = [], traceID: TraceID? = nil,
                        requiring requirement: LogEntryRequirement? = nil) throws -> [LogStoreStream] {
        let runs = try chunks(matching: predicate, start: start, end: end, mustContain: tokens, traceID: traceID,
                              requiring: requirement)  // in arrival order: blocks by segment, then the tail
        var found: [LogStreamLabels: [LogStoreEntry]] = [:]
        for run in runs {
            let entries = try run.entries()
            if !entries.isEmpty { found[run.labels, default: []] += entries }
        }
        return found.keys.sorted().map { labels in
            // Runs of a stream may overlap in time (a WAL tail behind a block); stable by arrival for equal timestamps.
            var entries = found[labels]!
            if !zip(entries, entries.dropFirst()).allSatisfy({ $0.timestampNanos <= $1.timestampNanos }) {
                entries = entries.enumerated().sorted {
                    ($0.element.timestampNanos, $0.offset) < ($1.element.timestampNanos, $1.offset)
                }.map(\.element)
            }
            return LogStoreStream(labels: labels.pairs, entries: entries)
        }
    }

    func recordIndexSkips(chunks: Int, block: Bool) {
        skippedChunks.add(chunks, ordering: .relaxed)
        if block { skippedBlocks.add(1, ordering: .relaxed) }
    }

    /// Streams with an entry in `[start, end)`: blocks answer from chunk time ranges, without decompressing.
    public func streamLabels(start: Int64, end: Int64) throws -> Set<LogStreamLabels> {
        guard start < end else { return [] }
        let lo = UInt64(max(0, start)), hi = UInt64(max(0, end))
        var result = Set<LogStreamLabels>()
        try segmentsLock.withReadLock { () throws in
            let snapshot = blocks.withLock { $0 }
            for block in snapshot.values where block.metadata.entryCount > 0
                && block.metadata.maxTimeUnixNano >= lo && block.metadata.minTimeUnixNano < hi {
                for chunk in block.chunks where chunk.maxTimeUnixNano >= lo && chunk.minTimeUnixNano < hi {
                    result.insert(block.streams[chunk.stream])
                }
            }
            try forEachLogBatch(skipping: Set(snapshot.keys)) { batch in
                for resourceItems in batch.resources {
                    let hit = resourceItems.scopes.contains { scoped in
                        scoped.items.contains { record in
                            let t = LogBlockEntryCodec.timestamp(of: record)
                            return t >= lo && t < hi
                        }
                    }
                    if hit { result.insert(mapping.labels(for: resourceItems.resource)) }
                }
                return true
            }
        }
        return result
    }

    // MARK: - Compaction and retention

    public func compact() throws -> Int {
        let written = try compactSegments()
        let now = UInt64(max(0, Date().timeIntervalSince1970) * 1_000_000_000)
        try applyRetention(nowNanos: now)
        return written
    }

    @discardableResult
    func applyRetention(nowNanos: UInt64) throws -> Int {
        let snapshot = blocks.withLock { $0 }.map { segment, reader in
            SegmentBlockRetention.Block(segment: segment, newest: reader.metadata.maxTimeUnixNano,
                                        isEmpty: reader.metadata.entryCount == 0, path: reader.path)
        }
        let doomed = try SegmentBlockRetention.victims(snapshot, cutoff: retention.cutoff(nowNanos: nowNanos), maxBytes: retention.maxBytes)
        guard !doomed.isEmpty else { return 0 }
        try deleteBlocks(doomed)
        blockGauge.record(blocks.withLock { $0.count })
        logger.info("log retention deleted blocks", metadata: ["blocks": "\(doomed.count)"])
        return doomed.count
    }

    private func compactSegments() throws -> Int {
        let written = try compactClosedSegments()
        for (segment, reader) in written {
            logger.debug("compacted a logs WAL segment", metadata: [
                "segment": "\(segment)", "entries": "\(reader.metadata.entryCount)", "path": "\(reader.path)",
            ])
        }
        blockGauge.record(blocks.withLock { $0.count })
        return written.count
    }

    func withBlocks<T>(_ body: (inout [UInt64: LogBlockReader]) -> T) -> T { blocks.withLock { body(&$0) } }

    func path(of reader: LogBlockReader) -> String { reader.path }

    func writeBlock(of segment: UInt64) throws -> LogBlockReader {
        var writer = LogBlockWriter(options: writerOptions, mapping: mapping)
        var iterator = try log.records().makeIterator()
        while let record = try iterator.nextRecord() {
            if record.position.segment < segment { continue }
            if record.position.segment > segment { break }
            try writer.append(walPayload: record.payload)
        }
        let path = "\(blocksDirectory)/\(String(format: "%08llu", segment)).\(LogBlockFormat.fileExtension)"
        _ = try writer.write(to: path)
        return try LogBlockReader(path: path)
    }

    private func forEachLogBatch(skipping compacted: Set<UInt64>, _ visit: (LogBatch) throws -> Bool) throws {
        var iterator = try log.records().makeIterator()
        while let record = try iterator.nextRecord() {
            if compacted.contains(record.position.segment) { continue }
            guard try visit(try LogBatch(walPayload: record.payload)) else { return }
        }
    }

    public func close() async {
        await log.close()
    }
}
