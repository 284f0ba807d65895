import Foundation
import KansokuModel
import Logging
import Testing
@testable import KansokuStorage

@Suite("Trace store attribute catalogue: blocks and WAL tail agree with a scan of every span")
struct TraceStoreCatalogTests {
    static let cap = TraceAttributeCatalog.valuesPerKey

    /// Deterministic batches: five resources (one without `service.name`,
    /// one whose `service.name` is an int), a host id per batch (more resource
    /// values than the cap), span keys of every kind, `url.full` unique per
    /// span and `user.id` from 300 (both beyond the cap), 90 distinct status
    /// messages, roots in every service.
    struct Fixture {
        var rng: SplitMix64
        var nextSpanID: UInt64 = 1
        var batchNumber = 0

        init(seed: UInt64) { rng = SplitMix64(seed: seed) }

        mutating func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

        static let services: [AttributeValue?] = [.string("checkout"), .string("cart"), .string("payments"), nil, .int(7)]

        mutating func span() -> Span {
            defer { nextSpanID += 1 }
            var attributes = [
                Attribute(key: "http.method", value: .string(["GET", "POST"][pick(2)])),
                Attribute(key: "url.full", value: .string("https://example.com/o/\(nextSpanID)?s=\(rng.next() % 1000)")),
                Attribute(key: "http.status_code", value: .int(Int64(200 + pick(4) * 100))),
            ]
            if chance(50) { attributes.append(Attribute(key: "user.id", value: .int(Int64(pick(300))))) }
            if chance(30) { attributes.append(Attribute(key: "ratio", value: .double([0.25, -0.0, 0.0, .nan, 1e300][pick(5)]))) }
            if chance(30) { attributes.append(Attribute(key: "cache.hit", value: .bool(chance(50)))) }
            if chance(20) { attributes.append(Attribute(key: "mixed", value: chance(50) ? .string("m\(pick(3))") : .int(Int64(pick(3))))) }
            if chance(5) { attributes.append(Attribute(key: "raw", value: .bytes([1]))) }
            if chance(5) { attributes.append(Attribute(key: "tags", value: .array([.string("a")]))) }
            let code = SpanStatus.Code(rawValue: Int32(pick(3)))!
            return Span(traceID: TraceBlockTestKit.traceID(UInt64(batchNumber / 3 + pick(4))), spanID: SpanID(nextSpanID),
                        parentSpanID: chance(25) ? .zero : SpanID(nextSpanID / 2 + 1), name: "op-\(pick(6))",
                        kind: SpanKind(rawValue: Int32(pick(6)))!,
                        startTimeUnixNano: 1_700_000_000_000_000_000 + UInt64(batchNumber) * 1_000_000 + UInt64(pick(1000)),
                        endTimeUnixNano: 1_700_000_000_000_000_000 + UInt64(batchNumber) * 1_000_000 + 5_000,
                        attributes: attributes,
                        status: SpanStatus(code: code, message: code == .error ? "failure #\(pick(90))" : ""))
        }

        mutating func batch() -> SpanBatch {
            defer { batchNumber += 1 }
            let groups = (0..<(1 + pick(2))).map { _ -> ResourceItems<Span> in
                var attributes = [Attribute(key: "host.id", value: .string("host-\(batchNumber)"))]
                if let service = Self.services[pick(Self.services.count)] { attributes.append(Attribute(key: "service.name", value: service)) }
                return ResourceItems(resource: Resource(attributes: attributes),
                                     scopes: [ScopedItems(scope: InstrumentationScope(), items: (0..<(1 + pick(6))).map { _ in span() })])
            }
            // A resource without spans: neither the blocks nor the tail list its keys.
            return SpanBatch(resources: groups + [ResourceItems(resource: Resource(attributes: [Attribute(key: "idle", value: .bool(true))]), scopes: [])])
        }
    }

    /// Segments (hence blocks) of a few hundred spans, so unique values exceed the cap within one.
    static func open(_ dir: String) throws -> TraceStore {
        let log = try WriteAheadLog(directory: "\(dir)/wal", signal: "traces", options: WALOptions(segmentSizeBytes: 32 * 1024),
                                    logger: Logger(label: "test"))
        return try TraceStore(log: log, blocksDirectory: "\(dir)/blocks", writerOptions: TraceBlockWriter.Options(rowGroupSize: 16),
                              logger: Logger(label: "test"))
    }

    /// The store's answers against the protocol's scanning defaults: equal
    /// for every limit up to the cap; beyond it, a truncated key lists a
    /// prefix (at least the cap) of what the scan finds.
    static func check(_ store: TraceStore, input: [SpanBatch], phase: String) throws {
        let scanning = ScanningTraceStore(store: store)
        // The scan itself against the input: every key, once per scope.
        var keys: [TraceAttributeScope: Set<String>] = [.resource: [], .span: []]
        for group in input.flatMap(\.resources) where group.scopes.contains(where: { !$0.items.isEmpty }) {
            keys[.resource]!.formUnion(group.resource.attributes.map(\.key))
            keys[.span]!.formUnion(group.scopes.flatMap(\.items).flatMap(\.attributes).map(\.key))
        }
        #expect(try scanning.attributeNames() == keys, "the scan's names, \(phase)")
        #expect(try store.attributeNames() == keys, "\(phase): names")

        for limit in [0, 1, 7, cap] {
            #expect(try store.attributeCatalog(limitValues: limit) == scanning.attributeCatalog(limitValues: limit), "\(phase): catalogue, limit \(limit)")
        }
        let whole = try store.attributeCatalog(limitValues: 10_000)
        let scanned = try scanning.attributeCatalog(limitValues: 10_000)
        #expect(whole.statusCodes == scanned.statusCodes && whole.rootOperations == scanned.rootOperations)
        var truncated = 0
        for scope in [TraceAttributeScope.resource, .span, .intrinsic] {
            for (key, reference) in scanned.entries(in: scope) {
                for answer in [whole.entries(in: scope)[key], try store.attributeValues(scope: scope, key: key, limit: 10_000)] {
                    let found = try #require(answer, "\(phase): \(scope) \(key) missing")
                    #expect(reference.isComplete, "the scan lists every value below its limit")
                    #expect(found.types == reference.types, "\(phase): \(scope) \(key) types")
                    if found.isComplete {
                        #expect(found == reference, "\(phase): \(scope) \(key)")
                    } else {
                        #expect(found.values.count >= cap && Array(reference.values.prefix(found.values.count)) == found.values,
                                "\(phase): \(scope) \(key) lists a prefix of at least the cap")
                        truncated += 1
                    }
                }
                for limit in [0, 3, cap] {
                    #expect(try store.attributeValues(scope: scope, key: key, limit: limit)
                            == scanning.attributeValues(scope: scope, key: key, limit: limit), "\(phase): \(scope) \(key), limit \(limit)")
                }
            }
        }
        for key in ["service.name", "host.id", "http.method", "url.full", "user.id", "mixed", "nope"] {
            for limit in [2, cap] {
                #expect(try store.attributeValues(scope: nil, key: key, limit: limit)
                        == scanning.attributeValues(scope: nil, key: key, limit: limit), "\(phase): any scope \(key), limit \(limit)")
            }
        }
        #expect(truncated > 0, "\(phase): some key exceeded the cap in a block or segment")
    }

    @Test("differential: the tail, blocks, a mix, a restart, and a block written without the section")
    func differential() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            var fixture = Fixture(seed: 0xCA7A_1064)
            var input: [SpanBatch] = []
            func append(_ count: Int, to store: TraceStore) async throws {
                for _ in 0..<count {
                    let batch = fixture.batch()
                    try await store.append(batch)
                    input.append(batch)
                }
            }
            let store = try Self.open(dir)
            try await append(240, to: store)
            #expect(store.log.closedSegments.count >= 3)
            try Self.check(store, input: input, phase: "tail only")

            #expect(try store.compact() >= 3)
            try Self.check(store, input: input, phase: "blocks and the active segment")
            #expect(try store.attributeValues(scope: .span, key: "url.full", limit: 10_000).isComplete == false)

            try await append(100, to: store)
            try Self.check(store, input: input, phase: "blocks, closed and active segments")
            _ = try store.compact()
            try Self.check(store, input: input, phase: "everything closed compacted")
            await store.close()

            // An older build's block: its catalogue is unknown, so the store scans it.
            let legacy = try #require(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/blocks").sorted().first)
            try TraceBlockAttributeCatalogTests.removeSection(.attributeCatalog, from: "\(dir)/blocks/\(legacy)")
            let reopened = try Self.open(dir)
            #expect(reopened.withBlocks { $0.values.contains { $0.footer.sections[.init(kind: .attributeCatalog, group: 0)] == nil } })
            try Self.check(reopened, input: input, phase: "reopened, one block without the section")
            try await append(20, to: reopened)
            try Self.check(reopened, input: input, phase: "reopened, then appended")
            await reopened.close()
        }
    }

    @Test("an empty store has an empty catalogue")
    func emptyStore() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir)
            #expect(try store.attributeCatalog(limitValues: 10) == TraceAttributeCatalog())
            #expect(try store.attributeValues(scope: nil, key: "x", limit: 10) == .empty)
            #expect(try store.attributeNames() == [.resource: [], .span: []])
            await store.close()
        }
    }
}
