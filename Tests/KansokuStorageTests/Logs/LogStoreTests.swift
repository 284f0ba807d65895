import Foundation
import KansokuModel
import Logging
import Testing
@testable import KansokuStorage

@Suite("Log store: WAL segments compacted into log blocks")
struct LogStoreTests {
    static let segmentSize = 8 * 1024

    static func open(_ dir: String, retention: LogRetention = LogRetention(), chunkBytes: Int = 256 << 10) throws -> LogStore {
        let log = try WriteAheadLog(directory: "\(dir)/wal", signal: "logs",
                                    options: WALOptions(segmentSizeBytes: segmentSize), logger: Logger(label: "test"))
        return try LogStore(log: log, blocksDirectory: "\(dir)/logs/blocks", writerOptions: .init(chunkTargetBytes: chunkBytes),
                            retention: retention, logger: Logger(label: "test"))
    }

    /// 60 batches over 3 apps and one OTLP service; batch 17 holds the only "needle", traces 1…5 are referenced sparsely.
    static func batches() -> [LogBatch] {
        (0..<60).map { b -> LogBatch in
            let t = LogTestKit.base + UInt64(b) * 1_000_000
            var lines = (0..<10).map { i -> (UInt64, String) in
                (t + UInt64(i), "level=info msg=\"request \(b)-\(i) served\" path=/api/items/\(i) status=200 bytes=\(b * 10 + i)")
            }
            if b == 17 { lines[3].1 += " needle" }
            if b % 12 == 5 { lines[0].1 += " trace_id=\(LogTestKit.traceID(UInt64(b / 12 + 1)).hex)" }
            var batch = LogTestKit.lokiBatch(app: "app\(b % 3)", lines: lines)
            let record = LogRecord(timeUnixNano: t + 50, severityNumber: 17, severityText: "ERROR", body: .string("failed batch \(b)"),
                                   traceID: b % 20 == 3 ? LogTestKit.traceID(9) : .zero)
            batch.resources += LogTestKit.otlpBatch(service: "cart", records: [record]).resources
            return batch
        }
    }

    static func allLines(_ store: LogStore, tokens: [String] = [], traceID: TraceID? = nil) throws -> [String] {
        try store.streams(matching: { _ in true }, start: 0, end: .max, mustContain: tokens, traceID: traceID)
            .flatMap { s in s.entries.map { "\(s.labels.map { "\($0)=\($1)" }.joined(separator: ",")) \($0.timestampNanos) \($0.line)" } }
    }

    @Test("compaction of small WAL segments: blocks replace segments; queries, batches and labels unchanged; survives reopen")
    func compactAndReopen() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let input = Self.batches()
            var before: [String] = []
            do {
                let store = try Self.open(dir)
                for batch in input { try await store.append(batch) }
                let closed = store.log.closedSegments.count
                #expect(closed >= 3, "fixture spans several segments")
                before = try Self.allLines(store)
                #expect(before.count == 660)
                #expect(try store.compact() == closed)
                #expect(store.log.closedSegments.isEmpty)
                #expect(try store.compact() == 0)
                #expect(try Self.allLines(store) == before, "blocks + WAL tail read exactly like the WAL alone")
                var batches: [LogBatch] = []
                try store.forEachBatch { batches.append($0); return true }
                #expect(LogTestKit.items(batches) == LogTestKit.items(input))
                #expect(try store.labelNames(start: 0, end: .max) == ["app", "env", "k8s_pod_name", "service_name"])
                #expect(try store.labelValues(name: "app", start: 0, end: .max) == ["app0", "app1", "app2"])
                let t17 = Int64(LogTestKit.base + 17 * 1_000_000)
                // Blocks answer from chunk time ranges (coarse, like Loki's chunk index); the stream is there, others may be.
                #expect(try store.labelValues(name: "app", start: t17, end: t17 + 10).contains("app2"))
                #expect(try store.labelValues(name: "app", start: 1, end: 1000).isEmpty)
                // Time range and predicate.
                let part = try store.streams(matching: { $0["app"] == "app1" }, start: t17, end: t17 + 3_000_000)
                #expect(part.count == 1 && part[0].entries.count == 10 && part[0].labels.first! == ("app", "app1"))
                #expect(part[0].entries.map(\.timestampNanos) == part[0].entries.map(\.timestampNanos).sorted())
                await store.close()
            }
            let reopened = try Self.open(dir)
            #expect(reopened.blockReaders.count >= 3)
            #expect(try Self.allLines(reopened) == before)
            await reopened.close()
        }
    }

    @Test("a block whose Bloom filter lacks a token is never decompressed")
    func bloomSkipping() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir)
            for batch in Self.batches() { try await store.append(batch) }
            _ = try store.compact()
            let blocks = store.blockReaders
            let hits = try Self.allLines(store, tokens: ["NEEDLE"]).filter { $0.contains("needle") }
            #expect(hits.count == 1)
            let read = blocks.values.filter { $0.chunkReads > 0 }
            #expect(read.count <= 1, "only the block holding the token (or a rare false positive) is read")
            // The WAL tail still answers, and a token found nowhere reads no block.
            let reads = blocks.values.map(\.chunkReads).reduce(0, +)
            _ = try Self.allLines(store, tokens: ["absent-token-xyzzy"])
            #expect(blocks.values.map(\.chunkReads).reduce(0, +) <= reads + 1)
        }
    }

    @Test("trace id lookup reads only indexed chunks and finds ids in trace_id, metadata and line text")
    func traceLookup() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir, chunkBytes: 512)
            for batch in Self.batches() { try await store.append(batch) }
            let expectedBefore = try Self.allLines(store, traceID: LogTestKit.traceID(9))
            #expect(expectedBefore.count == 3)
            _ = try store.compact()
            let blocks = store.blockReaders
            let totalChunks = blocks.values.map(\.metadata.chunkCount).reduce(0, +)
            #expect(try Self.allLines(store, traceID: LogTestKit.traceID(9)) == expectedBefore)
            let reads = blocks.values.map(\.chunkReads).reduce(0, +)
            #expect(reads <= 3 && reads < totalChunks, "\(reads) of \(totalChunks) chunks read")
            let inLine = try Self.allLines(store, traceID: LogTestKit.traceID(2))
            #expect(inLine.count == 1 && inLine[0].contains(LogTestKit.traceID(2).hex))
            #expect(try Self.allLines(store, traceID: LogTestKit.traceID(77)).isEmpty)

            // Structured metadata trace ids are indexed too.
            var writer = LogBlockWriter()
            writer.append(LogTestKit.lokiBatch(app: "x", lines: [(1, "no id here")],
                                               metadata: [Attribute(key: "trace_id", value: .string(LogTestKit.traceID(5).hex))]))
            try writer.write(to: "\(dir)/m.klb")
            #expect(try LogBlockReader(path: "\(dir)/m.klb").chunks(of: LogTestKit.traceID(5)) == [0])
        }
    }

    @Test("a JSON line's own time is found by its number after compaction, reading only the chunks of that time")
    func timeTokenLookup() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir, chunkBytes: 512)
            let times = (0..<400).map { LogTestKit.base + UInt64($0) * 1_000_003 }
            for part in stride(from: 0, to: times.count, by: 40) {
                try await store.append(LogTestKit.lokiBatch(app: "svc", lines: times[part..<part + 40].map {
                    ($0, "{\"ts\":\($0),\"level\":\"info\",\"msg\":\"request completed\"}")
                }))
            }
            // The store returns the entries of the chunks it reads; callers filter lines exactly.
            let wanted = "\(times[123])"
            let before = try Self.allLines(store).filter { $0.contains(wanted) }
            #expect(before.count == 1 && before[0].contains("\"ts\":\(wanted)"))
            _ = try store.compact()
            let blocks = store.blockReaders
            let chunks = blocks.values.map(\.metadata.chunkCount).reduce(0, +)
            #expect(try Self.allLines(store, tokens: [wanted]).filter { $0.contains(wanted) } == before)
            let reads = blocks.values.map(\.chunkReads).reduce(0, +)
            #expect(reads == 1 && chunks > 10, "\(reads) of \(chunks) chunks read")
        }
    }

    @Test("retention deletes blocks by age and by size, oldest first")
    func retention() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let unbounded = try Self.open(dir)
            for batch in Self.batches() { try await unbounded.append(batch) }
            _ = try unbounded.compact()
            // A second store over the same blocks: compaction's own retention pass would use the wall clock.
            let store = try LogStore(log: unbounded.log, blocksDirectory: "\(dir)/logs/blocks",
                                     retention: LogRetention(maxAge: .seconds(3600)), logger: Logger(label: "test"))
            let count = store.blockReaders.count
            let lastBlockMax = store.blockReaders.values.map(\.metadata.maxTimeUnixNano).max()!
            #expect(try store.applyRetention(nowNanos: LogTestKit.base + 1_000_000_000) == 0)
            let oldest = store.blockReaders.keys.min()!
            let oldestMax = store.blockReaders[oldest]!.metadata.maxTimeUnixNano
            #expect(try store.applyRetention(nowNanos: oldestMax + 3_600_000_000_000 + 1) >= 1)
            #expect(store.blockReaders[oldest] == nil)
            #expect(count >= 3)
            try store.applyRetention(nowNanos: lastBlockMax + 3_600_000_000_001)
            #expect(store.blockReaders.isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/logs/blocks").isEmpty)

            let sized = try Self.open("\(dir)/b", retention: LogRetention(maxBytes: 1))
            for batch in Self.batches() { try await sized.append(batch) }
            let segments = sized.log.closedSegments.count
            #expect(try sized.compact() == segments)
            #expect(sized.blockReaders.isEmpty, "every block exceeds one byte")
            let unlimited = try Self.open("\(dir)/c", retention: LogRetention(maxBytes: 1 << 40))
            for batch in Self.batches() { try await unlimited.append(batch) }
            _ = try unlimited.compact()
            let sizes = try unlimited.blockReaders.sorted { $0.key < $1.key }.map {
                (try FileManager.default.attributesOfItem(atPath: $0.value.path)[.size] as! NSNumber).int64Value
            }
            let keepLastTwo = sizes.suffix(2).reduce(0, +)
            let limited = try LogStore(log: unlimited.log, blocksDirectory: "\(dir)/c/logs/blocks",
                                       retention: LogRetention(maxBytes: keepLastTwo), logger: Logger(label: "test"))
            #expect(try limited.applyRetention(nowNanos: 0) == sizes.count - 2)
            #expect(limited.blockReaders.keys.sorted() == Array(unlimited.blockReaders.keys.sorted().suffix(2)))
        }
    }

    // MARK: - Compactness

    /// From a fixed seed, so sizes are deterministic. Measured: nginx 20.9 and
    /// JSON (unique trace ids, which do not compress) 72.2 bytes per line.
    @Test("blocks keep nginx lines under 30 bytes and traced JSON lines under 90 bytes each")
    func bytesPerLine() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            var rng = SplitMix(state: 42)
            let n = 100_000
            for kind in ["nginx", "json"] {
                var writer = LogBlockWriter()
                var raw = 0
                var batch = LogBatch()
                var records: [LogRecord] = []
                for i in 0..<n {
                    let t = LogTestKit.base + UInt64(i) * 1_000_000
                    if kind == "nginx" {
                        let line = LogTestKit.nginxLine(i, rng: &rng)
                        raw += line.utf8.count
                        records.append(LogRecord(timeUnixNano: t, body: .string(line)))
                    } else {
                        let (line, _) = LogTestKit.jsonLine(i, rng: &rng)
                        raw += line.utf8.count
                        records.append(LogRecord(timeUnixNano: t, body: .string(line)))
                    }
                }
                for pod in 0..<4 {
                    let part = records.enumerated().filter { $0.offset % 4 == pod }.map(\.element)
                    let labels = [Attribute(key: "app", value: .string(kind)), Attribute(key: "pod", value: .string("\(kind)-\(pod)"))]
                    batch.resources.append(ResourceItems(resource: Resource(attributes: labels), scopes: [ScopedItems(scope: InstrumentationScope(), items: part)]))
                }
                writer.append(batch)
                let meta = try writer.write(to: "\(dir)/\(kind).klb")
                let size = (try FileManager.default.attributesOfItem(atPath: "\(dir)/\(kind).klb")[.size] as! NSNumber).intValue
                let reader = try LogBlockReader(path: "\(dir)/\(kind).klb")
                let perLine = Double(size) / Double(n)
                #expect(perLine < (kind == "nginx" ? 30 : 90), "\(kind): \(perLine) bytes per line (raw \(raw / n))")
                #expect(try reader.batch().itemCount == n && meta.entryCount == n)
            }
        }
    }
}

