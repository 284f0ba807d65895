import Foundation
import KansokuModel
import Logging
import Testing
@testable import KansokuStorage

@Suite("Trace store: WAL segments compacted into blocks")
struct TraceStoreTests {
    /// Small segments so a handful of batches spans several of them.
    static let segmentSize = 8 * 1024

    static func open(_ dir: String, retention: TraceRetention = TraceRetention()) throws -> TraceStore {
        let log = try WriteAheadLog(directory: "\(dir)/wal", signal: "traces",
                                    options: WALOptions(segmentSizeBytes: segmentSize), logger: Logger(label: "test"))
        return try TraceStore(log: log, blocksDirectory: "\(dir)/blocks", retention: retention, logger: Logger(label: "test"))
    }

    /// One batch per trace-step: trace t gets spans in many batches, so every trace ends up in several segments.
    static func batches(count: Int) -> [SpanBatch] {
        (0..<count).map { b -> SpanBatch in
            let spans: [Span] = (0..<8).map { i -> Span in
                let n = UInt64(b * 8 + i)
                return TraceBlockTestKit.richSpan(trace: UInt64(i % 4), index: n, start: 1_700_000_000_000_000_000 + n)
            }
            let resource = Resource(attributes: [Attribute(key: "service.name", value: .string("svc-\(b % 3)"))])
            let scoped = ScopedItems(scope: InstrumentationScope(name: "lib"), items: spans)
            return SpanBatch(resources: [ResourceItems(resource: resource, scopes: [scoped])])
        }
    }

    static func spanIDs(_ batch: SpanBatch) -> [UInt64] {
        batch.resources.flatMap { $0.scopes.flatMap { $0.items.map(\.spanID.value) } }.sorted()
    }

    static func everySpanID(_ store: TraceStore) throws -> [UInt64] {
        var ids = [UInt64]()
        try store.forEachBatch { ids += spanIDs($0); return true }
        return ids.sorted()
    }

    @Test("compaction turns closed segments into blocks and deletes them; reads see every span once")
    func compactAndRead() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir)
            let input = Self.batches(count: 40)
            for batch in input { try await store.append(batch) }
            let expected = input.flatMap(Self.spanIDs).sorted()
            let closedBefore = store.log.closedSegments.count
            #expect(closedBefore >= 3, "the fixture must span several segments")

            #expect(try Self.everySpanID(store) == expected)
            let written = try store.compact()
            #expect(written == closedBefore)
            #expect(store.log.closedSegments.isEmpty)
            #expect(try Self.everySpanID(store) == expected, "after compaction every span is read exactly once")
            #expect(try store.compact() == 0, "nothing left to compact")

            for trace in 0..<4 {
                let id = TraceBlockTestKit.traceID(UInt64(trace))
                let want = input.flatMap { Self.spanIDs($0.partitioned(by: [id])[id] ?? SpanBatch()) }.sorted()
                #expect(Self.spanIDs(try store.spans(ofTrace: id)) == want, "trace \(trace) from blocks and WAL")
            }
            #expect(Self.spanIDs(try store.spans(ofTrace: TraceBlockTestKit.traceID(99))).isEmpty)
            await store.close()

            let reopened = try Self.open(dir)
            #expect(try Self.everySpanID(reopened) == expected, "blocks and WAL tail survive a restart")
            await reopened.close()
        }
    }

    @Test("a crash after the block was written but before its segment was deleted loses and duplicates nothing")
    func crashBetweenBlockAndSegmentDeletion() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir)
            let input = Self.batches(count: 20)
            for batch in input { try await store.append(batch) }
            let expected = input.flatMap(Self.spanIDs).sorted()
            let firstSegment = try #require(store.log.closedSegments.first)
            let segmentPath = WALTestKit.segmentPath("\(dir)/wal", firstSegment)
            let segmentBytes = try WALTestKit.readFile(segmentPath)
            _ = try store.compact()
            await store.close()
            // Put the first segment back, as if the process died right after writing its block.
            try WALTestKit.writeFile(segmentPath, segmentBytes)
            try WALTestKit.writeFile("\(dir)/blocks/00000099.ktb.tmp", [1, 2, 3])

            let reopened = try Self.open(dir)
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/blocks/00000099.ktb.tmp"), "unfinished block writes are cleared")
            #expect(try Self.everySpanID(reopened) == expected, "the restored segment is not read twice")
            #expect(try reopened.compact() == 0, "its block already exists")
            #expect(!FileManager.default.fileExists(atPath: segmentPath), "and the segment is deleted now")
            #expect(try Self.everySpanID(reopened) == expected)
            await reopened.close()
        }
    }

    @Test("a scan for one service and time window skips other blocks' spans but keeps every match")
    func prunedScan() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir)
            let input = Self.batches(count: 40)
            for batch in input { try await store.append(batch) }
            _ = try store.compact()
            let window: ClosedRange<UInt64> = 1_700_000_000_000_000_000 ... 1_700_000_000_000_000_000 + 100

            var visited = [Span]()
            var services = Set<String>()
            try store.forEachBatch(startingIn: window, services: ["svc-1"]) { batch in
                for resource in batch.resources {
                    for scoped in resource.scopes { visited += scoped.items }
                    services.insert(resource.resource.serviceName ?? "")
                }
                return true
            }
            let wanted = input.flatMap { batch in
                batch.resources.filter { $0.resource.serviceName == "svc-1" }
                    .flatMap { $0.scopes.flatMap(\.items) }
                    .filter { window.contains($0.startTimeUnixNano) }
            }
            let visitedIDs = Set(visited.map(\.spanID))
            #expect(wanted.allSatisfy { visitedIDs.contains($0.spanID) }, "every matching span is visited")
            #expect(visited.count < input.reduce(0) { $0 + $1.itemCount }, "blocks' other spans are skipped")
            await store.close()
        }
    }

    static func blockFiles(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "\(dir)/blocks").filter { $0.hasSuffix(".ktb") }.sorted()
    }

    @Test("retention by age deletes blocks whose spans all ended before the cut-off; the WAL tail stays")
    func retentionByAge() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir, retention: TraceRetention(maxAge: .seconds(3600)))
            for batch in Self.batches(count: 40) { try await store.append(batch) }
            _ = try store.compact()  // the fixture's spans are from 2023: all blocks are past a one-hour retention
            #expect(try Self.blockFiles(dir).isEmpty)
            let tail = try Self.everySpanID(store)
            #expect(!tail.isEmpty, "spans still only in the active WAL segment are not touched")

            let young = try Self.open("\(dir)/young", retention: TraceRetention(maxAge: .seconds(3600)))
            for batch in Self.batches(count: 40) { try await young.append(batch) }
            _ = try young.compact()
            let blocks = try Self.blockFiles("\(dir)/young")
            #expect(try young.applyRetention(nowNanos: 1_700_000_000_000_000_000 + 1_000_000_000) == 0, "recent blocks are kept")
            #expect(try Self.blockFiles("\(dir)/young") == blocks)
            await store.close()
            await young.close()
        }
    }

    @Test("retention by size deletes the oldest blocks until the rest fit")
    func retentionBySize() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir)
            for batch in Self.batches(count: 40) { try await store.append(batch) }
            _ = try store.compact()
            let blocks = try Self.blockFiles(dir)
            #expect(blocks.count >= 3)
            let sizes = try blocks.map { try FileManager.default.attributesOfItem(atPath: "\(dir)/blocks/\($0)")[.size] as! Int }
            await store.close()

            let limit = Int64(sizes.suffix(2).reduce(0, +))
            let limited = try Self.open(dir, retention: TraceRetention(maxBytes: limit))
            #expect(try limited.applyRetention(nowNanos: 0) == blocks.count - 2)
            #expect(try Self.blockFiles(dir) == Array(blocks.suffix(2)), "the newest blocks are the ones kept")
            await limited.close()
        }
    }

    @Test("a batched lookup returns each trace exactly as a single lookup does, from blocks and WAL")
    func batchedLookup() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir)
            for batch in Self.batches(count: 40) { try await store.append(batch) }
            _ = try store.compact()
            for batch in Self.batches(count: 3) { try await store.append(batch) }  // more of each trace in the WAL tail
            let ids = Set((0..<4).map { TraceBlockTestKit.traceID(UInt64($0)) } + [TraceBlockTestKit.traceID(99)])
            let found = try store.spans(ofTraces: ids)
            #expect(found[TraceBlockTestKit.traceID(99)] == nil, "absent traces are absent")
            #expect(found.count == 4)
            for (id, batch) in found {
                #expect(Self.spanIDs(batch) == Self.spanIDs(try store.spans(ofTrace: id)))
                #expect(batch == batch.mergingEqualResources(), "spans are grouped per resource")
            }
            await store.close()
        }
    }

    @Test("a WAL-tail lookup decodes the records the tail summaries name: the same spans one by one and together; an id seen only in links finds none")
    func walTailLookup() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try Self.open(dir)
            let input = Self.batches(count: 6)  // no compaction: every span is in the WAL
            for batch in input { try await store.append(batch) }
            let linked = TraceID(high: 1, low: 2)  // only the links of the fixture carry it
            let ids = (0..<4).map { TraceBlockTestKit.traceID(UInt64($0)) } + [linked]
                + (90..<94).map { TraceBlockTestKit.traceID(UInt64($0)) }
            let all = try store.spans(ofTraces: Set(ids))
            for id in ids {
                let want = input.flatMap { Self.spanIDs($0.partitioned(by: [id])[id] ?? SpanBatch()) }.sorted()
                #expect(Self.spanIDs(try store.spans(ofTrace: id)) == want)
                #expect(Self.spanIDs(all[id] ?? SpanBatch()) == want)
            }
            #expect(try store.spans(ofTrace: linked).isEmpty)
            #expect(!(try store.spans(ofTrace: TraceBlockTestKit.traceID(0)).isEmpty))
            await store.close()
        }
    }

    @Test("byte search: at the start, in the middle, at the end, overlapping, absent, longer than the bytes")
    func containsBytes() {
        let bytes: [UInt8] = [1, 2, 1, 2, 3, 9, 9, 1]
        func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
            haystack.withUnsafeBytes { h in needle.withUnsafeBytes { h.containsBytes($0) } }
        }
        #expect(contains(bytes, [1, 2]))
        #expect(contains(bytes, [1, 2, 3]))
        #expect(contains(bytes, [9, 1]))
        #expect(contains(bytes, bytes))
        #expect(!contains(bytes, [1, 3]))
        #expect(!contains(bytes, [9, 1, 0]))
        #expect(!contains([1, 2], [1, 2, 3]))
        #expect(contains(bytes, []))
    }
}
