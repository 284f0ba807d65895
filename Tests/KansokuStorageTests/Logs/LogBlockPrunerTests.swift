import Foundation
import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("Log block pruning: index requirements skip chunks that cannot match")
struct LogBlockPrunerTests {
    static let id = LogTestKit.traceID(42)

    /// One chunk per line (tiny chunk target): chunk i of stream `app` holds line i.
    static func block(_ dir: String, lines: [String], extra: [LogBatch] = []) throws -> LogBlockReader {
        var writer = LogBlockWriter(options: .init(chunkTargetBytes: 1))
        writer.append(LogTestKit.lokiBatch(app: "app", lines: lines.enumerated().map { (LogTestKit.base + UInt64($0.offset), $0.element) }))
        for batch in extra { writer.append(batch) }
        try writer.write(to: "\(dir)/b.klb")
        return try LogBlockReader(path: "\(dir)/b.klb")
    }

    static func kept(_ requirement: LogEntryRequirement, _ block: LogBlockReader) throws -> [Int] {
        try LogBlockPruner(requirement).filter(Array(block.chunks.indices), in: block)
    }

    @Test("chunk filters flag chunks with 32+ hex digits inside a longer token")
    func hexRuns() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let hex = Self.id.hex
            let block = try Self.block(dir, lines: ["plain line", "id=\(hex) alone", "x\(hex)", "\(hex)ff",
                                                    "sha 0123456789abcdef0123456789abcdef0123456789abcdef"])
            guard case .version2(let filters) = try block.index() else { Issue.record("not a version 2 block"); return }
            #expect((0..<5).filter(filters.hasHexRun) == [2, 3, 4])
            #expect(try block.chunks(of: Self.id) == [1])
            #expect(try block.chunks(of: .zero) == [], "the marker is never returned as a trace")
            #expect(try Self.kept(.lineTraceID(Self.id), block) == [1, 2, 3, 4])
            #expect(try Self.kept(.lineTraceID(LogTestKit.traceID(7)), block) == [2, 3, 4])
            #expect(LogTraceIndexCoverage.hasEmbeddedHexRun("a-\(hex)-b") == false)
        }
    }

    @Test("tokens use the chunk filters; all/any combine; strings that are not one token keep everything")
    func tokens() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let block = try Self.block(dir, lines: ["alpha beta", "gamma"])
            #expect(try Self.kept(.lineToken("ALPHA"), block) == [0])
            #expect(try Self.kept(.lineToken("zeta"), block).isEmpty)
            #expect(try Self.kept(.lineToken("two tokens"), block) == [0, 1])
            #expect(try Self.kept(.any([.lineToken("zeta"), .lineToken("gamma")]), block) == [1])
            #expect(try Self.kept(.all([.lineToken("alpha"), .lineToken("zeta")]), block).isEmpty)
            #expect(try Self.kept(.any([]), block) == [0, 1])
            #expect(try Self.kept(.all([.lineToken("alpha"), .lineTraceID(Self.id)]), block).isEmpty)
        }
    }

    @Test("short numbers are not filed, so requiring one keeps every chunk; longer numbers prune")
    func shortNumbers() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let block = try Self.block(dir, lines: ["upstream answered 503 for order 12345", "all good", "took 0.0042 s"])
            #expect(try Self.kept(.lineToken("503"), block) == [0, 1, 2])
            #expect(try Self.kept(.lineToken("0042"), block) == [0, 1, 2])
            #expect(try Self.kept(.all([.lineToken("answered"), .lineToken("503")]), block) == [0])
            #expect(try Self.kept(.lineToken("12345"), block) == [0])
            #expect(try block.chunks(mayContainTokens: LogTokenizer.queryTokens(["answered 503"])) == .chunks([0]))
            #expect(try block.chunks(mayContainTokens: LogTokenizer.queryTokens([" 503 ", "0042"])) == .all)
        }
    }

    @Test("the prefilter runs byte searches only; index-only conditions may hold")
    func prefilter() throws {
        let both = try #require(LogEntryPrefilter(.all([.lineContains("foo"), .lineToken("zzz")])))
        #expect(both.mayMatch("a foo b") && !both.mayMatch("a fo o"))
        #expect(LogEntryPrefilter(.lineToken("x")) == nil)
        #expect(LogEntryPrefilter(.any([.lineContains("a"), .lineTraceID(Self.id)])) == nil)
        let any = try #require(LogEntryPrefilter(.any([.lineContains("abc"), .lineContains("xyz")])))
        #expect(any.mayMatch("..xyz") && !any.mayMatch("ab xy") && !any.mayMatch(""))
        #expect(try #require(LogEntryPrefilter(.lineContains("caf\u{e9}"))).mayMatch("un caf\u{e9}"))
    }

    @Test("trace_id metadata: Loki attributes, OTLP record and resource attributes and trace ids are indexed; labelled streams are kept")
    func metadataTraceIDs() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let ids = (1...5).map { LogTestKit.traceID(UInt64(100 + $0)) }
            let loki = LogTestKit.lokiBatch(app: "meta", lines: [(LogTestKit.base, "no id")],
                                            metadata: [Attribute(key: "trace_id", value: .string(ids[0].hex.uppercased()))])
            let otlpRecord = LogTestKit.otlpBatch(service: "svc", records: [
                LogRecord(timeUnixNano: LogTestKit.base, body: .string("a"), attributes: [Attribute(key: "trace-id", value: .string(ids[1].hex))]),
                LogRecord(timeUnixNano: LogTestKit.base + 1, body: .string("b"), traceID: ids[2]),
            ])
            let otlpResource = LogTestKit.otlpBatch(service: "res", records: [LogRecord(timeUnixNano: LogTestKit.base, body: .string("c"))],
                                                    extra: [Attribute(key: "trace_id", value: .string(ids[3].hex))])
            let labelled = LogBatch(resources: [ResourceItems(resource: Resource(attributes: [
                Attribute(key: "app", value: .string("z")), Attribute(key: "trace_id", value: .string(ids[4].hex)),
            ]), scopes: [ScopedItems(scope: InstrumentationScope(), items: [LogRecord(timeUnixNano: LogTestKit.base, body: .string("d"))])])])
            let block = try Self.block(dir, lines: ["x"], extra: [loki, otlpRecord, otlpResource, labelled])
            let mapping = LogLabelMapping()
            let batch = try block.batch()
            // Every trace_id label a query sees is found through the index.
            for resourceItems in batch.resources {
                for record in resourceItems.scopes.flatMap(\.items) {
                    for (name, value) in mapping.structuredMetadata(of: record, resource: resourceItems.resource) where name == "trace_id" {
                        let id = try #require(TraceID(hex: value))
                        #expect(try !Self.kept(.metadataTraceID(id), block).isEmpty, "\(value)")
                    }
                }
            }
            let labelledChunks = block.chunks.indices.filter { block.streams[block.chunks[$0].stream]["trace_id"] != nil }
            #expect(labelledChunks.count == 1)
            for id in ids.prefix(4) {
                let kept = try Self.kept(.metadataTraceID(id), block)
                #expect(kept.count == 2 && kept.contains(labelledChunks[0]), "the id's chunk and the stream labelled trace_id")
            }
            #expect(try Self.kept(.metadataTraceID(LogTestKit.traceID(999)), block) == labelledChunks)
        }
    }

    @Test("the store skips blocks and chunks, counts them, and returns what an unpruned read filtered exactly returns")
    func storeSkips() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try LogStoreTests.open(dir, chunkBytes: 512)
            for batch in LogStoreTests.batches() { try await store.append(batch) }
            _ = try store.compact()
            func lines(_ requirement: LogEntryRequirement?) throws -> [String] {
                try store.streams(matching: { _ in true }, start: 0, end: .max, requiring: requirement)
                    .flatMap { $0.entries.map(\.line) }
            }
            let all = try lines(nil)
            #expect(store.indexSkips == (0, 0))
            let needles = try lines(.lineToken("needle"))
            #expect(needles.filter { $0.contains("needle") } == all.filter { $0.contains("needle") } && needles.count < all.count)
            #expect(needles.count > 1, "entries of kept chunks are never filtered by the requirement")
            let skips = store.indexSkips
            #expect(skips.blocks >= 2 && skips.chunks > 10, "\(skips)")
            let hex = LogTestKit.traceID(2).hex
            let found = try lines(.lineTraceID(LogTestKit.traceID(2))).filter { $0.contains(hex) }
            #expect(found == all.filter { $0.contains(hex) } && found.count == 1)
            #expect(store.indexSkips.chunks > skips.chunks)
        }
    }

    @Test("index stats: whole chunks, entries and bytes prorated by time overlap, the WAL tail counted exactly")
    func indexStats() async throws {
        #expect(LogIndexStats.overlapFactor(from: 0, through: 100, minTime: 50, maxTime: 150) == 0.5)
        #expect(LogIndexStats.overlapFactor(from: 0, through: 100, minTime: 7, maxTime: 7) == 1)
        #expect(LogIndexStats.overlapFactor(from: 200, through: 300, minTime: 50, maxTime: 150) == 0)
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try LogStoreTests.open(dir)
            let input = LogStoreTests.batches()
            for batch in input { try await store.append(batch) }
            let before = try store.indexStats(matching: { $0["app"] == "app1" }, start: 0, end: .max)
            #expect(before.streams == 1 && before.entries == 200 && before.chunks == 1)
            _ = try store.compact()
            let after = try store.indexStats(matching: { $0["app"] == "app1" }, start: 0, end: .max)
            #expect(after.streams == 1 && after.entries == 200 && after.chunks >= 2, "\(after)")
            let all = try store.indexStats(matching: { _ in true }, start: 0, end: .max)
            #expect(all.streams == 4 && all.entries == 660 && all.bytes > 660 * 40)
            #expect(try store.indexStats(matching: { _ in true }, start: 0, end: 1000) == LogIndexStats())
        }
    }
}
