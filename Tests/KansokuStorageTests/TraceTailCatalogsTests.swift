import Foundation
import KansokuModel
import Logging
import Synchronization
import Testing
@testable import KansokuStorage

/// The WAL tail's catalogues, built when a listing asks and extended by the
/// records appended since: listings between appends, stale and concurrent
/// listings all agree with a scan of every span.
@Suite("Trace store attribute catalogue: the WAL tail's catalogues built on demand")
struct TraceTailCatalogsTests {
    typealias Fixture = TraceStoreCatalogTests.Fixture
    static let cap = TraceAttributeCatalog.valuesPerKey

    /// Segments large enough that every batch of a test stays in the active one.
    static func open(_ dir: String) throws -> TraceStore {
        let log = try WriteAheadLog(directory: "\(dir)/wal", signal: "traces", options: WALOptions(segmentSizeBytes: 8 << 20),
                                    logger: Logger(label: "test"))
        return try TraceStore(log: log, blocksDirectory: "\(dir)/blocks", writerOptions: TraceBlockWriter.Options(rowGroupSize: 16),
                              logger: Logger(label: "test"))
    }

    /// A batch of one span whose only attribute is `key` = `value`.
    static func tagged(_ key: String, _ value: AttributeValue) -> SpanBatch {
        let span = Span(traceID: TraceBlockTestKit.traceID(999), spanID: SpanID(999_999), parentSpanID: SpanID(1), name: "late",
                        kind: .server, startTimeUnixNano: 1_800_000_000_000_000_000, endTimeUnixNano: 1_800_000_000_000_001_000,
                        attributes: [Attribute(key: key, value: value)], status: SpanStatus(code: .unset, message: ""))
        return SpanBatch(resources: [ResourceItems(resource: Resource(attributes: [Attribute(key: "service.name", value: .string("late"))]),
                                                   scopes: [ScopedItems(scope: InstrumentationScope(), items: [span])])])
    }

    @Test("listings between appends to the active segment see the new records, and only once")
    func interleaved() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            var fixture = Fixture(seed: 0x7A11)
            var input: [SpanBatch] = []
            let store = try Self.open(dir)
            func append(_ batch: SpanBatch) async throws {
                try await store.append(batch)
                input.append(batch)
            }
            for _ in 0..<40 { try await append(fixture.batch()) }
            try TraceStoreCatalogTests.check(store, input: input, phase: "first listing")
            #expect(try store.attributeValues(scope: .span, key: "late.key", limit: 10) == .empty)

            try await append(Self.tagged("late.key", .string("b")))
            for _ in 0..<40 { try await append(fixture.batch()) }
            try await append(Self.tagged("late.key", .int(3)))
            #expect(store.log.closedSegments.isEmpty, "every record is in the one active segment")
            try TraceStoreCatalogTests.check(store, input: input, phase: "after more appends")
            #expect(try store.attributeValues(scope: .span, key: "late.key", limit: 10)
                    == TraceAttributeSummary(types: [.string, .int], values: [.string("b"), .int(3)]))

            // Nothing new: a listing decodes nothing and answers the same.
            let settled = try store.attributeCatalog(limitValues: 10_000)
            #expect(try store.attributeCatalog(limitValues: 10_000) == settled)

            // A listing reading an older snapshot of the WAL does not take back what a newer one cached.
            let stale = try store.log.records()
            try await append(Self.tagged("later.key", .bool(true)))
            let fresh = try store.attributeCatalog(limitValues: 10_000)
            #expect(fresh.spanAttributes["later.key"] != nil)
            var fromStale = TraceAttributeCatalog()
            for catalog in try store.segmentsLock.withReadLock({ try store.tailIndex.catalogs(of: stale, excluding: []) }) {
                fromStale.merge(catalog)
            }
            #expect(fromStale == fresh)
            try TraceStoreCatalogTests.check(store, input: input, phase: "after a stale listing")
            await store.close()
        }
    }

    @Test("concurrent listings, with and without appends meanwhile, agree with the scan")
    func concurrent() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            var fixture = Fixture(seed: 0xC0C0)
            var input: [SpanBatch] = []
            let store = try Self.open(dir)
            for _ in 0..<60 {
                let batch = fixture.batch()
                try await store.append(batch)
                input.append(batch)
            }
            // Nothing cached yet: every listing decodes the whole tail at once.
            let expected = try ScanningTraceStore(store: store).attributeCatalog(limitValues: Self.cap)
            let answers = Mutex<[Result<TraceAttributeCatalog, any Error>]>([])
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                let answer = Result { try store.attributeCatalog(limitValues: Self.cap) }
                answers.withLock { $0.append(answer) }
            }
            let results = answers.withLock { $0 }
            #expect(results.count == 4)
            for result in results { #expect(try result.get() == expected) }

            // Listings racing appends: each listing knows at least the keys its task saw before.
            let more = (0..<40).map { _ in fixture.batch() }
            input += more
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for batch in more { try await store.append(batch) }
                }
                for _ in 0..<2 {
                    group.addTask {
                        var seen = Set<String>()
                        for _ in 0..<6 {
                            let keys = Set(try store.attributeCatalog(limitValues: Self.cap).spanAttributes.keys)
                            #expect(keys.isSuperset(of: seen))
                            seen = keys
                            await Task.yield()
                        }
                    }
                }
                try await group.waitForAll()
            }
            try TraceStoreCatalogTests.check(store, input: input, phase: "after listings raced appends")
            await store.close()
        }
    }

    @Test("a tail record that does not decode fails the listing, as it fails the scan")
    func undecodableRecord() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir)
            try await store.append(Self.tagged("k", .string("v")))
            #expect(try store.attributeValues(scope: .span, key: "k", limit: 10).values == [.string("v")])
            _ = try await store.log.append([0xFF, 0x01, 0x02])
            #expect(throws: WALDecodingError.self) { try store.attributeCatalog(limitValues: 10) }
            #expect(throws: WALDecodingError.self) { try ScanningTraceStore(store: store).attributeCatalog(limitValues: 10) }
            await store.close()
        }
    }
}
