import Foundation
import KansokuModel
import KansokuQuery
import KansokuStorage
import Logging
import Testing
@testable import KansokuAPI

/// The same queries over the same compacted blocks, with and without index
/// pushdown, must give identical results; some must also skip blocks.
@Suite("Loki queries with block index pushdown")
struct LokiIndexPruningTests {
    static let base: UInt64 = 1_700_000_000_000_000_000
    static func id(_ n: UInt64) -> TraceID { TraceID(high: 0x5EED_0000_0000_0000 | n, low: n &* 0x9E37_79B9_7F4A_7C15) }

    /// 40 batches × 12 streams of ordinary lines, plus rare lines in a few batches.
    static func batches() -> [LogBatch] {
        (0..<40).map { b -> LogBatch in
            let t = base + UInt64(b) * 1_000_000_000
            var resources: [ResourceItems<LogRecord>] = []
            for s in 0..<12 {
                var records = (0..<4).map { i in
                    LogRecord(timeUnixNano: t + UInt64(s * 10 + i), body: .string(
                        "level=info msg=\"request served\" path=/api/items/\(b * 4 + i) status=200 user=u\((b + s + i) % 50)"))
                }
                switch (b, s) {
                case (3, 1): records[0].body = .string("rare: the quick brownfox jumps")
                case (9, 2): records[1].body = .string("Level=ERROR in Payment")
                case (14, 3): records[2].body = .string("temp 300\u{212A}elvin reading")
                case (19, 4): records[0].body = .string("opt a\u{037E}beta end")
                case (23, 5): records[0].body = .string("trace_id=\(id(1).hex) done")
                case (27, 6): records[0].body = .string("span:\(id(2).hex)ffff0000")
                case (31, 7): records[0].body = .string("req\(id(3).hex) ok")
                case (35, 8):
                    records[1].attributes = [Attribute(key: "trace_id", value: .string(id(4).hex))]
                    records[2].body = .string("CAFÉ au lait")
                default: break
                }
                resources.append(ResourceItems(resource: Resource(attributes: [
                    Attribute(key: "app", value: .string("svc\(s % 4)")), Attribute(key: "pod", value: .string("p\(s)")),
                ]), scopes: [ScopedItems(scope: InstrumentationScope(), items: records)]))
            }
            if b == 38 {
                resources.append(ResourceItems(resource: Resource(attributes: [
                    Attribute(key: "app", value: .string("tl")), Attribute(key: "trace_id", value: .string(id(5).hex)),
                ]), scopes: [ScopedItems(scope: InstrumentationScope(), items: [LogRecord(timeUnixNano: t, body: .string("labelled"))])]))
            }
            return LogBatch(resources: resources)
        }
    }

    static func withStore(_ body: (LogStore) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.path + "/kansoku-logidx-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try WriteAheadLog(directory: "\(dir)/wal", signal: "logs", options: WALOptions(segmentSizeBytes: 24 * 1024, fsync: false),
                                    logger: Logger(label: "test"))
        let store = try LogStore(log: log, blocksDirectory: "\(dir)/blocks", writerOptions: .init(chunkTargetBytes: 2048),
                                 logger: Logger(label: "test"))
        for batch in batches() { try await store.append(batch) }
        #expect(try store.compact() >= 4)
        try await body(store)
        await store.close()
    }

    static let start = Int64(base) - 1
    static let end = Int64(base) + 3_600_000_000_000

    static func run(_ engine: LogQLEngine, _ query: String) throws -> LogQLValue {
        try engine.evaluate(LogQLParser.parse(query), start: start, end: end, step: 60_000_000_000, direction: .forward, limit: 5000)
    }

    static func lines(_ value: LogQLValue) -> [String] {
        guard case .streams(let streams) = value else { return [] }
        return streams.flatMap { $0.entries.map(\.line) }
    }

    @Test("identical results with and without pushdown; blocks skipped only where an index proves absence")
    func sameResults() async throws {
        try await Self.withStore { store in
            let pruned = LogQLEngine(source: StoreLogQLSource(store: store))
            let full = LogQLEngine(source: StoreLogQLSource(store: store, usesIndexes: false))
            // (query, expected line count, whether blocks must be skipped)
            let cases: [(String, Int, Bool)] = [
                (#"{app=~"svc.+"} |= " quick brown""#, 1, true),             // needle ends inside "brownfox"
                (#"{app=~"svc.+"} |= "=ERROR in ""#, 1, true),               // case-sensitive; bloom is lowercased
                (#"{app=~"svc.+"} |= "=error in ""#, 0, true),
                // `|=` compares bytes, as Loki does: KELVIN SIGN is not K, GREEK QUESTION MARK not `;`
                // (though each is canonically equal to them as a Swift Character).
                (#"{app=~"svc.+"} |= " 300Kelvin ""#, 0, false),
                (#"{app=~"svc.+"} |= "a;beta end""#, 0, false),
                (#"{app=~"svc.+"} |= " 300\#u{212A}elvin ""#, 1, false),
                (#"{app=~"svc.+"} |= "CAFÉ""#, 1, false),
                (#"{app=~"svc.+"} |= "\#(Self.id(1).hex)""#, 1, true),
                (#"{app=~"svc.+"} |= "\#(Self.id(2).hex)""#, 1, true),       // inside a longer hex run
                (#"{app=~"svc.+"} |= "\#(Self.id(3).hex)""#, 1, true),       // after letters in one token
                (#"{app=~"svc.+"} |= "\#(Self.id(2).hex.uppercased())""#, 0, true),
                (#"{app=~".+"} | trace_id="\#(Self.id(4).hex)""#, 1, true),
                (#"{app=~".+"} | trace_id="\#(Self.id(5).hex)""#, 1, true),  // a stream label, not metadata
                (#"{app=~"svc.+"} != "request""#, 8, false),
                (#"{app=~"svc.+"} |= " quick brown" or "=ERROR in ""#, 2, true),
                (#"{app=~"svc.+"} |= " quick brown" or "request""#, 1913, false),
                (#"{app=~"svc.+"} |~ " quick .*fox ""#, 1, true),
                (#"{app=~"svc.+"} |~ "quick brown(fox)?""#, 1, false),
                (#"{app=~"svc.+"} |= " quick " | logfmt | level="info""#, 0, true),
                (#"{app="svc1"} |= " quick brown" |= "jumps""#, 1, true),
            ]
            for (query, count, skips) in cases {
                let before = store.indexSkips.blocks
                let withIndex = try Self.run(pruned, query)
                let skipped = store.indexSkips.blocks - before
                let without = try Self.run(full, query)
                #expect(withIndex == without, "\(query)")
                #expect(Self.lines(withIndex).count == count, "\(query): \(Self.lines(withIndex).count) lines")
                #expect((skipped > 0) == skips, "\(query): \(skipped) blocks skipped")
            }
            let metric = #"sum(count_over_time({app=~"svc.+"} |= " quick brown" [1h]))"#
            let before = store.indexSkips.blocks
            #expect(try Self.run(pruned, metric) == Self.run(full, metric))
            #expect(store.indexSkips.blocks > before, "metric queries push down too")
        }
    }

    @Test("index/stats from block metadata; detected_fields over the newest lines")
    func endpoints() async throws {
        try await Self.withStore { store in
            func parameters(_ pairs: [(String, String)]) -> LokiParameters {
                LokiParameters(parameters: PrometheusParameters(list: pairs.map { (name: $0.0, value: $0.1) }))
            }
            let range = [("start", String(Self.start)), ("end", String(Self.end))]
            let stats = try JSONSerialization.jsonObject(with: Data(LokiIndexEndpoints.indexStats(
                parameters([("query", #"{app="svc1"}"#)] + range), logs: store))) as! [String: Int]
            #expect(stats["streams"] == 3 && stats["entries"] == 480, "\(stats)")
            #expect(stats["chunks"]! >= 3 && stats["bytes"]! > 480 * 60, "\(stats)")
            #expect(throws: LokiQueryError.self) {
                try LokiIndexEndpoints.indexStats(parameters([("query", #"{app="svc1"} |= "x""#)]), logs: store)
            }

            let engine = LogQLEngine(source: StoreLogQLSource(store: store))
            let body = try JSONSerialization.jsonObject(with: Data(LokiIndexEndpoints.detectedFields(
                parameters([("query", #"{app="svc1"}"#), ("line_limit", "20")] + range), engine: engine))) as! [String: Any]
            #expect(body["limit"] as? Int == 1000)
            let fields = body["fields"] as! [[String: Any]]
            let status = try #require(fields.first { $0["label"] as? String == "status" })
            #expect(status["type"] as? String == "int" && status["cardinality"] as? Int == 1)
            #expect(status["parsers"] as? [String] == ["logfmt"])
            #expect(fields.map { $0["label"] as! String } == ["level", "msg", "path", "status", "user"])
            #expect(throws: LokiQueryError.self) {
                try LokiIndexEndpoints.detectedFields(parameters([("query", #"{app="svc1"}"#), ("line_limit", "0")]), engine: engine)
            }
        }
    }
}
