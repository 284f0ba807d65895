import Foundation
import KansokuModel
import Logging
import Testing
@testable import KansokuStorage

/// The trace store seen only through the protocol's required members, so
/// that `recentTraces(matching:limit:where:)` is the protocol extension's
/// scan of every span: the reference the store's own search must agree with.
struct ScanningTraceStore: TraceSignalStore {
    let store: TraceStore

    func append(_ batch: SpanBatch) async throws { try await store.append(batch) }

    func forEachBatch(_ visit: (SpanBatch) throws -> Bool) throws { try store.forEachBatch(visit) }

    func forEachBatch(startingIn startTimes: ClosedRange<UInt64>?, services: Set<String>?,
                      _ visit: (SpanBatch) throws -> Bool) throws {
        try store.forEachBatch(startingIn: startTimes, services: services, visit)
    }

    func spans(ofTrace traceID: TraceID) throws -> SpanBatch { try store.spans(ofTrace: traceID) }

    func close() async { await store.close() }
}

@Suite("Trace store search: blocks and WAL tail agree with a scan of every span")
struct TraceStoreSearchTests {
    static let base: UInt64 = 1_700_000_000_000_000_000
    static let traceCount: UInt64 = 36
    /// Durations the fixture uses, so the filter's inclusive bounds land on real values.
    static let durations: [UInt64] = [0, 500, 1_000, 10_000, 250_000, 5_000_000]

    static func open(_ dir: String, rowGroupSize: Int) throws -> TraceStore {
        let log = try WriteAheadLog(directory: "\(dir)/wal", signal: "traces",
                                    options: WALOptions(segmentSizeBytes: TraceStoreTests.segmentSize), logger: Logger(label: "test"))
        return try TraceStore(log: log, blocksDirectory: "\(dir)/blocks",
                              writerOptions: TraceBlockWriter.Options(rowGroupSize: rowGroupSize), logger: Logger(label: "test"))
    }

    static let resources: [Resource] = [
        Resource(attributes: [Attribute(key: "service.name", value: .string("checkout")), Attribute(key: "region", value: .string("eu"))]),
        Resource(attributes: [Attribute(key: "service.name", value: .string("cart")), Attribute(key: "region", value: .string("us"))]),
        Resource(attributes: [Attribute(key: "service.name", value: .string("payments")), Attribute(key: "region", value: .string("eu"))]),
        // No service.name at all, and one that is not a string: both are service "".
        Resource(attributes: [Attribute(key: "host.name", value: .string("batch-host")), Attribute(key: "region", value: .string("us"))]),
        Resource(attributes: [Attribute(key: "service.name", value: .int(7))]),
    ]
    static let scopes = [InstrumentationScope(name: "lib-a", version: "1.0"), InstrumentationScope(name: "lib-b")]
    static let names = ["GET /", "POST /cart", "db.query", "render", "queue.publish"]
    static let tenants = ["a", "b", "c"]

    /// Deterministic batches whose traces straddle batches and segments,
    /// whose starts mostly grow with the batch number but sometimes go back
    /// (so blocks' time ranges overlap), with equal starts across traces.
    struct Fixture {
        var rng: SplitMix64
        var nextSpanID: UInt64 = 1
        var batchNumber = 0

        init(seed: UInt64) { rng = SplitMix64(seed: seed) }

        mutating func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

        mutating func span() -> Span {
            let b = UInt64(batchNumber)
            let trace: UInt64 = chance(10) ? rng.next() % traceCount : (b / 4 + rng.next() % 6) % traceCount
            let start: UInt64
            if chance(15) {
                start = base + rng.next() % ((b + 1) * 1_000_000)  // older than the batch's usual starts
            } else if chance(6) {
                start = base + b / 2 * 1_000_000  // the same start for several traces
            } else {
                start = base + b * 1_000_000 + rng.next() % 3_000_000
            }
            let end: UInt64
            if chance(3) {
                end = start - 7  // end before start: the duration wraps
            } else if chance(10) {
                end = start + rng.next() % 10_000_000
            } else {
                end = start + durations[pick(durations.count)]
            }
            var attributes = [Attribute(key: "http.status_code", value: .int(Int64(200 + pick(4) * 100)))]
            if !chance(20) { attributes.append(Attribute(key: "tenant", value: .string(tenants[pick(tenants.count)]))) }
            defer { nextSpanID += 1 }
            return Span(traceID: TraceBlockTestKit.traceID(trace), spanID: SpanID(nextSpanID),
                        parentSpanID: chance(30) ? .zero : SpanID(nextSpanID / 2 + 1),
                        name: names[pick(names.count)], kind: SpanKind(rawValue: Int32(pick(6)))!,
                        startTimeUnixNano: start, endTimeUnixNano: end, attributes: attributes,
                        status: SpanStatus(code: SpanStatus.Code(rawValue: Int32(pick(3)))!, message: ""))
        }

        mutating func batch() -> SpanBatch {
            defer { batchNumber += 1 }
            var chosen = Array(resources.indices)
            var groups: [ResourceItems<Span>] = []
            for _ in 0..<(1 + pick(3)) {
                let r = chosen.remove(at: pick(chosen.count))
                let scopeCount = 1 + pick(2)
                let scoped = (0..<scopeCount).map { s in
                    ScopedItems(scope: scopes[s], items: (0..<(1 + pick(5))).map { _ in span() })
                }
                groups.append(ResourceItems(resource: resources[r], scopes: scoped))
            }
            return SpanBatch(resources: groups)
        }
    }

    /// The answer computed straight from the appended batches.
    static func reference(_ batches: [SpanBatch], _ filter: SpanSearchFilter, limit: Int,
                          where predicate: SpanSearchPredicate?) -> [TraceSearchHit] {
        var collector = RecentTraceCollector(limit: limit)
        for batch in batches {
            for group in batch.resources {
                let service = group.resource.serviceName ?? ""
                for scoped in group.scopes {
                    for span in scoped.items where filter.matches(span, service: service)
                        && predicate?(span, scoped.scope, group.resource) ?? true {
                        collector.add(span.traceID, start: span.startTimeUnixNano)
                    }
                }
            }
        }
        return collector.hits()
    }

    struct Case {
        let name: String
        let filter: SpanSearchFilter
        let predicate: SpanSearchPredicate?
        init(_ name: String, _ filter: SpanSearchFilter = SpanSearchFilter(), where predicate: SpanSearchPredicate? = nil) {
            self.name = name
            self.filter = filter
            self.predicate = predicate
        }
    }

    static func tenant(_ span: Span) -> String? { span.attributes[key: "tenant"]?.stringValue }

    /// Searches covering every criterion alone, in combinations and with predicates.
    /// `pointStart` is the start of a real span, for a one-instant window.
    static func cases(pointStart: UInt64) -> [Case] {
        let middle = base + 20_000_000 ... base + 45_000_000
        return [
            Case("no criteria"),
            Case("one service", SpanSearchFilter(services: ["checkout"])),
            Case("two services", SpanSearchFilter(services: ["cart", "payments"])),
            Case("service without a name", SpanSearchFilter(services: [""])),
            Case("named and unnamed services", SpanSearchFilter(services: ["", "payments"])),
            Case("an unknown service", SpanSearchFilter(services: ["nope"])),
            Case("an empty service set", SpanSearchFilter(services: [])),
            Case("one span name", SpanSearchFilter(spanNames: ["db.query"])),
            Case("two span names", SpanSearchFilter(spanNames: ["GET /", "render"])),
            Case("an unknown span name", SpanSearchFilter(spanNames: ["nope"])),
            Case("span name of one service", SpanSearchFilter(services: ["checkout"], spanNames: ["queue.publish"])),
            Case("span name of the unnamed service", SpanSearchFilter(services: [""], spanNames: ["db.query", "POST /cart"])),
            Case("minimum duration (inclusive)", SpanSearchFilter(minDurationNanos: 250_000)),
            Case("maximum duration (inclusive)", SpanSearchFilter(maxDurationNanos: 1_000)),
            Case("zero durations only", SpanSearchFilter(maxDurationNanos: 0)),
            Case("duration between", SpanSearchFilter(minDurationNanos: 500, maxDurationNanos: 10_000)),
            Case("duration huge (wrapped ends)", SpanSearchFilter(minDurationNanos: UInt64.max - 100)),
            Case("start window in the middle", SpanSearchFilter(startTimes: middle)),
            Case("start window of one instant", SpanSearchFilter(startTimes: pointStart ... pointStart)),
            Case("start window before everything", SpanSearchFilter(startTimes: 0 ... base - 1)),
            Case("start window after everything", SpanSearchFilter(startTimes: base + 1_000_000_000 ... UInt64.max)),
            Case("start window covering the oldest", SpanSearchFilter(startTimes: 0 ... base + 3_000_000)),
            Case("kinds", SpanSearchFilter(kinds: [.server, .client])),
            Case("one kind", SpanSearchFilter(kinds: [.unspecified])),
            Case("status error", SpanSearchFilter(statusCodes: [.error])),
            Case("status unset or ok", SpanSearchFilter(statusCodes: [.unset, .ok])),
            Case("combination", SpanSearchFilter(services: ["checkout", "cart"], startTimes: middle, minDurationNanos: 1_000,
                                                 kinds: [.server, .internal, .unspecified], statusCodes: [.error, .unset])),
            Case("combination with names", SpanSearchFilter(services: ["payments", ""], spanNames: ["GET /", "db.query", "render"],
                                                            maxDurationNanos: 5_000_000, statusCodes: [.ok, .error])),
            Case("predicate alone: tenant a", where: { span, _, _ in tenant(span) == "a" }),
            Case("predicate: span without tenant", where: { span, _, _ in tenant(span) == nil }),
            Case("predicate with criteria", SpanSearchFilter(services: ["payments", "checkout"], kinds: [.server, .consumer, .producer]),
                 where: { span, _, _ in tenant(span) == "b" }),
            Case("predicate on resource and scope", SpanSearchFilter(spanNames: ["render", "POST /cart"]),
                 where: { _, scope, resource in resource.attributes[key: "region"]?.stringValue == "eu" && scope.name == "lib-b" }),
            Case("predicate on the unnamed service's resource", SpanSearchFilter(services: [""]),
                 where: { span, _, resource in resource.attributes[key: "host.name"] != nil && span.attributes[key: "http.status_code"] == .int(200) }),
            Case("predicate with a window", SpanSearchFilter(startTimes: middle, statusCodes: [.error]),
                 where: { span, _, _ in tenant(span) != "c" }),
            Case("predicate never true", where: { _, _, _ in false }),
            Case("predicate always true with a name", SpanSearchFilter(spanNames: ["queue.publish"]), where: { _, _, _ in true }),
        ]
    }

    static let limits = [0, 1, 3, 20, 10_000]

    /// Checks every case and limit against the scan and against the input itself; returns how many non-empty answers it saw.
    @discardableResult
    static func check(_ store: TraceStore, input: [SpanBatch], phase: String) throws -> Int {
        let scanning = ScanningTraceStore(store: store)
        let pointStart = input[input.count / 2].resources[0].scopes[0].items[0].startTimeUnixNano
        var nonEmpty = 0
        for c in cases(pointStart: pointStart) {
            for limit in limits {
                let found = try store.recentTraces(matching: c.filter, limit: limit, where: c.predicate)
                let scanned = try scanning.recentTraces(matching: c.filter, limit: limit, where: c.predicate)
                let expected = reference(input, c.filter, limit: limit, where: c.predicate)
                #expect(scanned == expected, "the default scan itself, \(phase): \(c.name), limit \(limit)")
                #expect(found == scanned, "\(phase): \(c.name), limit \(limit)")
                if !found.isEmpty { nonEmpty += 1 }
            }
            // The span overviews behind rate and error statistics: the same spans, whichever path reads them.
            guard c.predicate == nil else { continue }
            var fromStore: [SpanOverview] = [], fromScan: [SpanOverview] = []
            // One key the fixture's spans carry, one they never do.
            let keys = ["tenant", "no.such.key"]
            try store.forEachSpanOverview(matching: c.filter, attributeKeys: keys) { fromStore.append($0) }
            try scanning.forEachSpanOverview(matching: c.filter, attributeKeys: keys) { fromScan.append($0) }
            let expected = input.flatMap { batch in
                batch.resources.flatMap { group in
                    group.scopes.flatMap { scoped in
                        scoped.items.compactMap { span -> SpanOverview? in
                            let service = group.resource.serviceName ?? ""
                            return c.filter.matches(span, service: service)
                                ? SpanOverview(span, service: service, attributeKeys: keys) : nil
                        }
                    }
                }
            }
            #expect(sortedOverviews(fromScan) == sortedOverviews(expected), "overviews, the default scan itself, \(phase): \(c.name)")
            #expect(sortedOverviews(fromStore) == sortedOverviews(fromScan), "overviews, \(phase): \(c.name)")
        }
        return nonEmpty
    }

    /// Overviews in one order (span ids are random, so ties on the fields compared do not occur here).
    static func sortedOverviews(_ overviews: [SpanOverview]) -> [SpanOverview] {
        overviews.sorted {
            ($0.traceID, $0.spanID.value, $0.startTimeUnixNano, $0.durationNanos, $0.name, $0.service)
                < ($1.traceID, $1.spanID.value, $1.startTimeUnixNano, $1.durationNanos, $1.name, $1.service)
        }
    }

    static func blockCount(_ store: TraceStore) -> Int { store.withBlocks { $0.count } }

    @Test("differential: the store's search equals the protocol's scan in the tail, in blocks, mixed and after a restart",
          arguments: [1024, 3])
    func differential(rowGroupSize: Int) async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            var fixture = Fixture(seed: 0x5EA7C4 &+ UInt64(rowGroupSize))
            var input: [SpanBatch] = []
            let store = try Self.open(dir, rowGroupSize: rowGroupSize)
            func append(_ count: Int, to store: TraceStore) async throws {
                for _ in 0..<count {
                    let batch = fixture.batch()
                    try await store.append(batch)
                    input.append(batch)
                }
            }

            try await append(70, to: store)
            #expect(store.log.closedSegments.count >= 3, "the fixture must span several segments")
            #expect(Self.blockCount(store) == 0)
            let everything = try store.recentTraces(matching: SpanSearchFilter(), limit: 10_000, where: nil)
            let traces = Set(input.flatMap { $0.resources.flatMap { $0.scopes.flatMap { $0.items.map(\.traceID) } } })
            #expect(everything.count == traces.count && traces.count >= 30, "every trace, once")
            #expect(try Self.check(store, input: input, phase: "all in the WAL tail") > 100, "most searches find something")

            #expect(try store.compact() >= 3)
            #expect(Self.blockCount(store) >= 3)
            let ranges = store.withBlocks { $0.values.map { $0.metadata.minStartTimeUnixNano ... $0.metadata.maxStartTimeUnixNano } }
            #expect(ranges.contains { a in ranges.contains { b in a != b && a.overlaps(b) } }, "blocks' start ranges overlap")
            try Self.check(store, input: input, phase: "blocks and the active segment")

            try await append(70, to: store)
            #expect(store.log.closedSegments.count >= 2, "closed segments not compacted yet")
            try Self.check(store, input: input, phase: "blocks, closed segments and the active segment")

            _ = try store.compact()
            #expect(store.log.closedSegments.isEmpty)
            try Self.check(store, input: input, phase: "everything closed compacted")
            await store.close()

            let reopened = try Self.open(dir, rowGroupSize: rowGroupSize)
            try Self.check(reopened, input: input, phase: "reopened")
            try await append(30, to: reopened)
            try Self.check(reopened, input: input, phase: "reopened, then appended")
            _ = try reopened.compact()
            try Self.check(reopened, input: input, phase: "reopened, appended, compacted")
            await reopened.close()
        }
    }

    @Test("equal latest starts in every block and in the tail: ties are broken by trace id wherever the spans are",
          arguments: [1024, 2])
    func tiesAcrossSources(rowGroupSize: Int) async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir, rowGroupSize: rowGroupSize)
            let scanning = ScanningTraceStore(store: store)
            let tie = Self.base + 5_000
            // Batch b holds trace b's spans; every trace's latest span starts at `tie`, so every
            // block and the tail have the same latest start and only trace ids decide.
            // The ids go up and down with b, so the newest segment does not hold the largest ids.
            var input: [SpanBatch] = []
            for b in 0..<24 {
                let trace = UInt64((b * 7) % 24)
                let spans = (0..<30).map { i -> Span in
                    Span(traceID: TraceBlockTestKit.traceID(trace), spanID: SpanID(UInt64(b * 100 + i + 1)),
                         name: i % 2 == 0 ? "even" : "odd", kind: i % 3 == 0 ? .server : .client,
                         startTimeUnixNano: i == 0 || i == 1 ? tie : Self.base + UInt64(i) * 10,
                         endTimeUnixNano: tie + UInt64(i) * 1_000,
                         attributes: [Attribute(key: "payload", value: .string(String(repeating: "x", count: 120))),
                                      Attribute(key: "tenant", value: .string(b % 2 == 0 ? "a" : "b"))])
                }
                let batch = SpanBatch(resources: [ResourceItems(resource: Self.resources[b % Self.resources.count],
                                                                scopes: [ScopedItems(scope: Self.scopes[0], items: spans)])])
                try await store.append(batch)
                input.append(batch)
                if b == 15 { _ = try store.compact() }
            }
            #expect(Self.blockCount(store) >= 3, "several blocks")
            #expect(!store.log.closedSegments.isEmpty, "and closed segments in the tail")
            let filters = [SpanSearchFilter(), SpanSearchFilter(spanNames: ["even"]), SpanSearchFilter(spanNames: ["odd"]),
                           SpanSearchFilter(kinds: [.server]), SpanSearchFilter(startTimes: tie ... tie),
                           SpanSearchFilter(services: ["checkout", "cart", ""])]
            let predicates: [SpanSearchPredicate?] = [nil, { span, _, _ in span.attributes[key: "tenant"]?.stringValue == "a" }]
            for (f, filter) in filters.enumerated() {
                for (p, predicate) in predicates.enumerated() {
                    for limit in [1, 2, 3, 5, 30] {
                        let found = try store.recentTraces(matching: filter, limit: limit, where: predicate)
                        let scanned = try scanning.recentTraces(matching: filter, limit: limit, where: predicate)
                        #expect(scanned == Self.reference(input, filter, limit: limit, where: predicate))
                        #expect(found == scanned, "filter \(f), predicate \(p), limit \(limit)")
                    }
                }
            }
            let top = try store.recentTraces(matching: SpanSearchFilter(), limit: 3, where: nil)
            let largest = (0..<24).map { TraceBlockTestKit.traceID(UInt64($0)) }.sorted(by: >).prefix(3)
            #expect(top == largest.map { TraceSearchHit(traceID: $0, latestMatchStart: tie) })
            await store.close()
        }
    }

    @Test("a store reopened without compacting rebuilds its tail summary from the WAL")
    func reopenUncompacted() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            var fixture = Fixture(seed: 42)
            var input: [SpanBatch] = []
            let store = try Self.open(dir, rowGroupSize: 1024)
            for _ in 0..<40 {
                let batch = fixture.batch()
                try await store.append(batch)
                input.append(batch)
            }
            let before = try store.recentTraces(matching: SpanSearchFilter(services: ["cart"]), limit: 5, where: nil)
            await store.close()

            let reopened = try Self.open(dir, rowGroupSize: 1024)
            #expect(Self.blockCount(reopened) == 0)
            #expect(try reopened.recentTraces(matching: SpanSearchFilter(services: ["cart"]), limit: 5, where: nil) == before)
            try Self.check(reopened, input: input, phase: "reopened, nothing compacted")
            await reopened.close()
        }
    }

    @Test("an empty store finds nothing")
    func emptyStore() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir, rowGroupSize: 1024)
            #expect(try store.recentTraces(matching: SpanSearchFilter(), limit: 10, where: nil).isEmpty)
            #expect(try store.recentTraces(matching: SpanSearchFilter(), limit: 10, where: { _, _, _ in true }).isEmpty)
            try await store.append(SpanBatch())
            #expect(try store.recentTraces(matching: SpanSearchFilter(), limit: 10, where: nil).isEmpty)
            await store.close()
        }
    }
}
