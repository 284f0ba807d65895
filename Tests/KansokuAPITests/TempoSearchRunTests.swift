import Foundation
import KansokuModel
import KansokuStorage
import Logging
import Synchronization
import Testing
@testable import KansokuAPI

/// `/api/search` end to end below HTTP: parse, ask the store, evaluate.
///
/// The store holds 300 traces; trace `i` starts at `base + i` seconds with a
/// server root `GET /i` of service `svc-a`, `svc-b` or `svc-c` (by `i % 3`)
/// and a client child `SELECT` of service `db` that carries `rare=true` when
/// `i % 50 == 0`. Batches are stored in a shuffled order, so storage order
/// says nothing about recency.
@Suite("Tempo search: most recent matches, found through the store's search")
struct TempoSearchRunTests {
    static let base: UInt64 = 1_700_000_000_000_000_000
    static let second: UInt64 = 1_000_000_000
    static let count = 300

    static func traceID(_ i: Int) -> TraceID { TraceID(high: 0x7E5A, low: UInt64(i) + 1) }

    static func batch(_ i: Int) -> SpanBatch {
        let start = base + UInt64(i) * second
        let root = Span(traceID: traceID(i), spanID: SpanID(UInt64(i) * 2 + 1), name: "GET /\(i)", kind: .server,
                        startTimeUnixNano: start, endTimeUnixNano: start + 200_000_000)
        let child = Span(traceID: traceID(i), spanID: SpanID(UInt64(i) * 2 + 2), parentSpanID: root.spanID, name: "SELECT",
                         kind: .client, startTimeUnixNano: start + 1_000, endTimeUnixNano: start + 1_000 + 50_000_000,
                         attributes: i % 50 == 0 ? [Attribute(key: "rare", value: .bool(true))] : [])
        let service = ["svc-a", "svc-b", "svc-c"][i % 3]
        return SpanBatch(resources: [
            ResourceItems(resource: Resource(attributes: [Attribute(key: "service.name", value: .string(service))]),
                          scopes: [ScopedItems(scope: InstrumentationScope(name: "t"), items: [root])]),
            ResourceItems(resource: Resource(attributes: [Attribute(key: "service.name", value: .string("db"))]),
                          scopes: [ScopedItems(scope: InstrumentationScope(name: "t"), items: [child])]),
        ])
    }

    /// Every trace once, in a shuffled but fixed order (7 is coprime with 300).
    static let batches: [SpanBatch] = (0..<count).map { batch(($0 * 7) % count) }

    struct Answer {
        var traces: [Int]
        var inspected: Int
    }

    static func search(_ store: any TraceSignalStore, _ parameters: [(String, String)]) throws -> Answer {
        let request = try TempoSearchRequest.parse(parameters.map { (name: $0.0, value: $0.1) }, nowSeconds: 2e9).get()
        let body = try #require(try TempoFixtures.parse(try request.run(in: store)) as? [String: Any])
        let traces = try #require(body["traces"] as? [[String: Any]])
        let ids = traces.compactMap { ($0["traceID"] as? String).flatMap(TraceID.init(hex:)) }
        let metrics = try #require(body["metrics"] as? [String: Any])
        return Answer(traces: ids.map { Int($0.low) - 1 }, inspected: try #require(metrics["inspectedTraces"] as? Int))
    }

    /// Runs `body` with the in-memory store (the protocol's scanning search)
    /// and with a real `TraceStore` holding the traces partly in blocks,
    /// partly in the WAL tail, each wrapped to record what it is asked.
    static func withStores(_ body: (RecordingTraceStore) throws -> Void) async throws {
        try body(RecordingTraceStore(JaegerTestStore(batches)))
        let dir = FileManager.default.temporaryDirectory.path + "/kansoku-tempo-search-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try WriteAheadLog(directory: "\(dir)/wal", signal: "traces", options: WALOptions(segmentSizeBytes: 16 * 1024, fsync: false),
                                    logger: Logger(label: "test"))
        let store = try TraceStore(log: log, blocksDirectory: "\(dir)/blocks", logger: Logger(label: "test"))
        for batch in batches.prefix(220) { try await store.append(batch) }
        #expect(try store.compact() >= 2, "part of the data must be in blocks")
        for batch in batches.dropFirst(220) { try await store.append(batch) }
        try body(RecordingTraceStore(store))
        await store.close()
    }

    @Test("the most recent matching traces, most recent first, at most limit")
    func mostRecentFirst() async throws {
        try await Self.withStores { store in
            let answer = try Self.search(store, [("q", #"{ resource.service.name = "svc-a" }"#), ("limit", "4")])
            #expect(answer.traces == [297, 294, 291, 288])
            #expect(answer.inspected == 4, "an exact, sufficient condition makes every candidate a match")
            let call = try #require(store.calls.first)
            #expect(store.calls.count == 1)
            #expect(call.filter.services == ["svc-a"] && call.limit == 4 && !call.hasPredicate)

            let all = try Self.search(store, [("q", "{}"), ("limit", "3")])
            #expect(all.traces == [299, 298, 297])
            let tags = try Self.search(store, [("tags", "service.name=svc-b"), ("limit", "2")])
            #expect(tags.traces == [298, 295], "unscoped attributes are tested span by span")
        }
    }

    @Test("the window bounds the start of the span that makes a trace a candidate")
    func window() async throws {
        try await Self.withStores { store in
            let start = Double(Self.base / Self.second) + 100, end = start + 10.5
            let answer = try Self.search(store, [("q", #"{ name = "SELECT" && duration >= 50ms }"#),
                                                 ("start", "\(start)"), ("end", "\(end)")])
            #expect(answer.traces == Array((100...110).reversed()))
            let call = try #require(store.calls.first)
            #expect(call.filter.spanNames == ["SELECT"] && call.filter.minDurationNanos == 50_000_000)
            #expect(call.filter.startTimes == (Self.base + 100 * Self.second)...(Self.base + 110 * Self.second + Self.second / 2))
        }
    }

    @Test("a condition that is necessary but not sufficient: the candidate limit doubles until enough traces match")
    func widening() async throws {
        try await Self.withStores { store in
            // Every trace has a server span; only every 50th has a rare span, which lean criteria cannot see.
            let answer = try Self.search(store, [("q", "{ kind = server } && { span.rare = true }"), ("limit", "3")])
            #expect(answer.traces == [250, 200, 150])
            #expect(store.calls.map(\.limit) == [6, 12, 24, 48, 96, 192])
            #expect(store.calls.allSatisfy { $0.filter.kinds == [.server] && !$0.hasPredicate })
            #expect(answer.inspected == 150, "traces 299 down to 150, each evaluated once")

            // Fewer matches than asked: the search stops once the store runs out of candidates.
            store.reset()
            let few = try Self.search(store, [("q", "{ span.rare = true }"), ("limit", "50")])
            #expect(few.traces == [250, 200, 150, 100, 50, 0])
            #expect(few.inspected == 6 && store.calls.count == 1 && store.calls[0].hasPredicate)
        }
    }

    @Test("structural queries and contradictions")
    func structuralAndContradiction() async throws {
        try await Self.withStores { store in
            let child = try Self.search(store, [("q", #"{ resource.service.name = "svc-c" } > { name = "SELECT" }"#), ("limit", "2")])
            #expect(child.traces == [299, 296])
            #expect(store.calls.first?.filter.spanNames == ["SELECT"])
            store.reset()
            let none = try Self.search(store, [("q", "{ kind = server && kind = client }")])
            #expect(none.traces.isEmpty && none.inspected == 0 && store.calls.isEmpty, "a contradiction asks nothing")
        }
    }
}

/// A trace store that forwards to another and records each search it is asked.
final class RecordingTraceStore: TraceSignalStore {
    struct Call {
        var filter: SpanSearchFilter
        var limit: Int
        var hasPredicate: Bool
    }

    let inner: any TraceSignalStore
    private let recorded = Mutex<[Call]>([])

    init(_ inner: any TraceSignalStore) {
        self.inner = inner
    }

    var calls: [Call] { recorded.withLock { $0 } }
    func reset() { recorded.withLock { $0 = [] } }

    func append(_ batch: SpanBatch) async throws { try await inner.append(batch) }
    func forEachBatch(_ visit: (SpanBatch) throws -> Bool) throws { try inner.forEachBatch(visit) }
    func spans(ofTrace traceID: TraceID) throws -> SpanBatch { try inner.spans(ofTrace: traceID) }
    func spans(ofTraces traceIDs: Set<TraceID>) throws -> [TraceID: SpanBatch] { try inner.spans(ofTraces: traceIDs) }
    func close() async { await inner.close() }

    func recentTraces(matching filter: SpanSearchFilter, limit: Int, where predicate: SpanSearchPredicate?) throws -> [TraceSearchHit] {
        recorded.withLock { $0.append(Call(filter: filter, limit: limit, hasPredicate: predicate != nil)) }
        return try inner.recentTraces(matching: filter, limit: limit, where: predicate)
    }
}
