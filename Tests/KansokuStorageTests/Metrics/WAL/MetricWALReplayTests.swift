import KansokuModel
import Logging
import Synchronization
import Testing
@testable import KansokuStorage

@Suite("Metrics WAL series references, checkpoint and replay")
struct MetricWALReplayTests {
    private static let cutOptions = MetricStoreOptions(blockDuration: 60_000, maxBlockDuration: 60_000 * 9, retentionAge: nil)

    private func labels(_ pairs: (String, String)...) -> SeriesLabels { SeriesLabels(pairs) }

    private func series(_ labels: SeriesLabels, _ samples: [(Int64, Double)], exemplars: [SeriesExemplar] = []) -> SeriesSamples {
        SeriesSamples(labels: labels, samples: samples.map { Sample(timestamp: $0.0, value: $0.1) }, exemplars: exemplars)
    }

    private func open(_ dir: String, options: MetricStoreOptions = MetricStoreOptions(), segmentSize: Int = 64 << 20,
                      logs: WALLogCapture = WALLogCapture()) throws -> EmbeddedMetricStore {
        try EmbeddedMetricStore(log: WALTestKit.open("\(dir)/wal", segmentSize: segmentSize, logs: logs), blocksDirectory: "\(dir)/blocks",
                                options: options, logger: logs.logger())
    }

    private func records(_ store: EmbeddedMetricStore) throws -> [MetricWALRecord] {
        try store.log.allRecords().map { try MetricWALRecord(walPayload: $0.payload) }
    }

    private func ids(_ store: EmbeddedMetricStore) -> [SeriesLabels: UInt64] {
        Dictionary(uniqueKeysWithValues: store.head.walDefinitions().map { ($0.labels, $0.walID) })
    }

    /// Everything a query can see, for comparing a store before and after replay.
    private struct Visible: Equatable {
        var samples: [SeriesSamples]
        var series: [SeriesLabels]
        var names: [String]
        var metadata: [MetricFamilyMetadata]
        var exemplars: [SeriesExemplars]
    }

    private func visible(_ store: EmbeddedMetricStore) throws -> Visible {
        let all = [try SeriesMatcher(name: "__name__", op: .regexMatch, value: ".+")]
        return Visible(samples: try store.select(all, start: Int64.min, end: Int64.max),
                       series: try store.series([], start: Int64.min, end: Int64.max),
                       names: try store.labelNames([], start: Int64.min, end: Int64.max), metadata: store.metadata(),
                       exemplars: try store.exemplars([], start: Int64.min, end: Int64.max))
    }

    private func lostData(_ logs: WALLogCapture) -> Bool {
        logs.entries.contains { $0.level == .error }
    }

    @Test("a series is defined by the first record that logs it; later records, also after a head cut, name it by its id alone")
    func definitionsOnce() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try open(dir, options: Self.cutOptions)
            let up = labels(("__name__", "up"), ("job", "a"))
            let other = labels(("__name__", "other"))
            _ = try await store.append(SampleBatch(series: [series(up, [(0, 1)])]))
            _ = try await store.append(SampleBatch(series: [series(up, [(1_000, 1)]), series(other, [(1_000, 1)])]))
            var logged = try records(store)
            #expect(logged.map { $0.definitions.map(\.labels) } == [[up], [other]])
            let id = try #require(ids(store)[up])
            #expect(logged.map { $0.runs.map(\.walID) } == [[id], [id, try #require(ids(store)[other])]])

            for t in stride(from: Int64(2_000), through: 100_000, by: 1_000) {
                _ = try await store.append(SampleBatch(series: [series(up, [(t, 1)])]))
            }
            #expect(try store.compact() == 1)
            #expect(ids(store) == [up: id])  // `other` went with the cut; `up` kept its id though its index may change
            _ = try await store.append(SampleBatch(series: [series(up, [(101_000, 1)]), series(other, [(101_000, 1)])]))
            logged = try records(store)
            let last = try #require(logged.last)
            #expect(last.definitions.map(\.labels) == [other])
            #expect(last.runs.first?.walID == id)
            #expect(last.runs.last.map(\.walID).map { $0 > id } == true)  // a new id for a series that came back
            await store.close()
        }
    }

    @Test("replay after many appends across segments with a cut: checkpoint written, old segments deleted, identical results after a crash")
    func replayAcrossSegmentsWithCut() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try open(dir, options: Self.cutOptions, segmentSize: 4096)
            func name(_ i: Int) -> SeriesLabels { labels(("__name__", "m\(i % 3)"), ("job", "j\(i)"), ("zone", "z\(i % 2)")) }
            for t in stride(from: Int64(0), through: 120_000, by: 1_000) {
                // 20 steady series, 5 that stop at 40 s (dropped by the cut), 5 that start at 70 s.
                var batch: [SeriesSamples] = (0..<20).map { series(name($0), [(t, Double(t) + Double($0))]) }
                if t <= 40_000 { batch += (20..<25).map { series(name($0), [(t, -Double(t))]) } }
                if t >= 70_000 { batch += (25..<30).map { series(name($0), [(t, 0.5)]) } }
                let metadata = t == 0 ? [MetricFamilyMetadata(family: "m0", kind: .gauge, help: "first")] : []
                let report = try await store.append(SampleBatch(series: batch, metadata: metadata))
                #expect(report.rejectedSamples == 0)
            }
            let segmentsBefore = store.log.segmentCount
            #expect(segmentsBefore > 5)
            #expect(!WALTestKit.fileExists("\(dir)/wal-checkpoint"))
            #expect(try store.compact() == 1)
            #expect(WALTestKit.fileExists("\(dir)/wal-checkpoint"))
            #expect(store.log.segmentCount < segmentsBefore)
            #expect(try #require(store.log.closedSegments.first) > 1)
            let checkpoint = try #require(try MetricSeriesCheckpoint.read(from: "\(dir)/wal-checkpoint"))
            #expect(Set(checkpoint.series.map(\.labels)).isSuperset(of: (0..<20).map(name) + (25..<30).map(name)))
            #expect(checkpoint.metadata == [MetricFamilyMetadata(family: "m0", kind: .gauge, help: "first")])

            // More after the cut, with exemplars and a new series.
            let trace = SeriesExemplar(labels: labels(("trace_id", "abc")), value: 2, timestamp: 121_000)
            for t in stride(from: Int64(121_000), through: 130_000, by: 1_000) {
                _ = try await store.append(SampleBatch(series: [
                    series(name(0), [(t, 1)], exemplars: t == 121_000 ? [trace] : []), series(labels(("__name__", "fresh")), [(t, 2)]),
                ]))
            }
            let before = try visible(store)
            #expect(before.samples.count == 31)
            // Crash: the log is closed without the shutdown flush that would persist the head.
            await store.log.close()

            let logs = WALLogCapture()
            let reopened = try open(dir, options: Self.cutOptions, segmentSize: 4096, logs: logs)
            #expect(try visible(reopened) == before)
            #expect(!lostData(logs))
            #expect(logs.entries.contains { $0.message == "metrics WAL replayed" && $0.metadata["checkpointed_series"] != "0" })
            await reopened.close()

            // And once more after a clean shutdown (head in a block, segments dropped again).
            // Exemplars are not persisted in blocks: those in deleted segments are gone, as before series references.
            let again = try open(dir, options: Self.cutOptions, segmentSize: 4096)
            let afterClose = try visible(again)
            #expect(afterClose.samples == before.samples)
            #expect(afterClose.series == before.series)
            #expect(afterClose.metadata == before.metadata)
            await again.close()
        }
    }

    @Test("series ids are unique across reopening, also once the largest id's series is gone from the head and the log")
    func idsUniqueAcrossReopen() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            var used = Set<UInt64>()
            var time: Int64 = 0
            for round in 0..<4 {
                let store = try open(dir, options: Self.cutOptions, segmentSize: 1024)
                let known = ids(store)
                // Series replayed keep their ids.
                #expect(Set(known.values).isSubset(of: used))
                let fresh = labels(("__name__", "fresh\(round)"))
                var batch = [series(fresh, [(time, 1)]), series(labels(("__name__", "steady")), [(time, 1)])]
                batch += (0..<3).map { series(labels(("__name__", "churn"), ("round", "\(round)"), ("i", "\($0)")), [(time, 1)]) }
                _ = try await store.append(SampleBatch(series: batch))
                let now = ids(store)
                let new = now.filter { known[$0.key] == nil }.map(\.value)
                #expect(!new.isEmpty)
                #expect(used.isDisjoint(with: new), "round \(round) reused an id")
                used.formUnion(now.values)
                #expect(Set(now.values).count == now.count)
                // Let the head span two blocks so the churned series are cut away, then crash or close.
                for t in stride(from: time + 1_000, through: time + 100_000, by: 5_000) {
                    _ = try await store.append(SampleBatch(series: [series(labels(("__name__", "steady")), [(t, 1)])]))
                }
                time += 100_000
                _ = try store.compact()
                if round % 2 == 0 { await store.log.close() } else { await store.close() }
            }
        }
    }

    @Test("kill-like: concurrent appends and cuts, then the log closed without the store's flush; everything acknowledged is back")
    func crashKeepsAcknowledged() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try open(dir, options: Self.cutOptions, segmentSize: 1024)
            let acknowledged = Acknowledged()
            // First sequentially, so that a cut certainly deletes segments and writes the checkpoint.
            for t in stride(from: Int64(0), through: 100_000, by: 2_000) {
                let batch = (0..<3).map { k in
                    SeriesSamples(labels: SeriesLabels([("__name__", "load"), ("task", "warm"), ("k", "\(k)")]), samples: [Sample(timestamp: t, value: 1)])
                }
                #expect(try await store.append(SampleBatch(series: batch)).rejectedSamples == 0)
                acknowledged.samples.withLock { acked in for s in batch { acked[s.labels, default: []] += s.samples } }
            }
            #expect(try store.compact() == 1)
            #expect(WALTestKit.fileExists("\(dir)/wal-checkpoint"))
            #expect(!WALTestKit.fileExists(WALTestKit.segmentPath("\(dir)/wal", 1)))  // old segments went
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<6 {
                    group.addTask {
                        for request in 0..<40 {
                            let t = 100_000 + Int64(request) * 5_000
                            // Each task's series: a new one every 8 requests, plus ones it keeps.
                            let batch = (0...(request / 8)).map { k in
                                SeriesSamples(labels: SeriesLabels([("__name__", "load"), ("task", "\(task)"), ("k", "\(k)")]),
                                              samples: [Sample(timestamp: t, value: Double(task * 1000 + request))])
                            }
                            let report = try await store.append(SampleBatch(series: batch))
                            guard report.rejectedSamples == 0 else { continue }  // out of bounds behind a cut
                            acknowledged.samples.withLock { acked in
                                for s in batch { acked[s.labels, default: []] += s.samples }
                            }
                        }
                    }
                }
                group.addTask {
                    for _ in 0..<20 {
                        _ = try store.compact()
                        try await Task.sleep(for: .milliseconds(5))
                    }
                }
                try await group.waitForAll()
            }
            _ = try store.compact()
            let expected = acknowledged.samples.withLock { $0 }
            #expect(expected.count > 20)
            #expect(store.blocks.all.count >= 2)
            await store.log.close()  // no flush of the head: a crash right after the last acknowledgement

            let logs = WALLogCapture()
            let reopened = try open(dir, options: Self.cutOptions, segmentSize: 1024, logs: logs)
            #expect(!lostData(logs))
            for (labels, samples) in expected {
                let matchers = try labels.labels.map { try SeriesMatcher(name: $0.name, op: .equal, value: $0.value) }
                let found = try reopened.select(matchers, start: Int64.min, end: Int64.max).first { $0.labels == labels }
                let stored = Set(found?.samples ?? [])
                #expect(stored.isSuperset(of: samples), "\(labels)")
            }
            // New series after the crash get ids no replayed definition has.
            let replayed = Set(ids(reopened).values)
            _ = try await reopened.append(SampleBatch(series: [series(labels(("__name__", "after")), [(1_000_000, 1)])]))
            #expect(!replayed.contains(try #require(ids(reopened)[labels(("__name__", "after"))])))
            await reopened.close()
        }
    }

    @Test("records of the older layout and new records in one log replay together; ids stay unique")
    func mixedLayouts() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let a = labels(("__name__", "a")), b = labels(("__name__", "b")), c = labels(("__name__", "c"))
            let log = try WALTestKit.open("\(dir)/wal")
            _ = try await log.append(SampleBatch(series: [series(a, [(1, 1), (2, 2)]), series(b, [(1, 1)])],
                                                 metadata: [MetricFamilyMetadata(family: "a", kind: .counter)]).walPayload())
            await log.close()

            let store = try open(dir)
            _ = try await store.append(SampleBatch(series: [series(a, [(3, 3)]), series(c, [(1, 1)])]))
            let first = ids(store)
            #expect(Set(first.values).count == 3)
            await store.log.close()

            let reopened = try open(dir)
            #expect(ids(reopened)[a] == first[a])
            #expect(ids(reopened)[c] == first[c])
            _ = try await reopened.append(SampleBatch(series: [series(b, [(2, 2)])]))
            let second = ids(reopened)
            #expect(Set(second.values).count == 3)
            let before = try visible(reopened)
            #expect(before.samples.map { $0.samples.map(\.timestamp) } == [[1, 2, 3], [1, 2], [1]])
            #expect(before.metadata == [MetricFamilyMetadata(family: "a", kind: .counter)])
            await reopened.log.close()

            let third = try open(dir)
            #expect(try visible(third) == before)
            #expect(Set(ids(third).values).count == 3)
            await third.close()
        }
    }

    @Test("samples naming an id no definition holds are counted and logged, not a crash")
    func unknownIDs() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let log = try WALTestKit.open("\(dir)/wal")
            let record = MetricWALRecord(runs: [.init(walID: 42, count: 2)], samples: [Sample(timestamp: 1, value: 1), Sample(timestamp: 2, value: 2)],
                                         exemplars: [.init(walID: 42, exemplar: SeriesExemplar(labels: SeriesLabels([]), value: 1, timestamp: 1))])
            _ = try await log.append(record.encoded())
            await log.close()
            let logs = WALLogCapture()
            let store = try open(dir, logs: logs)
            #expect(store.head.seriesCount == 0)
            let lost = try #require(logs.entries.first { $0.level == .error })
            #expect(lost.metadata["samples"] == "2")
            #expect(lost.metadata["exemplars"] == "1")
            // The id is never handed out again.
            _ = try await store.append(SampleBatch(series: [series(labels(("__name__", "x")), [(5, 1)])]))
            #expect(try #require(ids(store).values.first) > 42)
            await store.close()
        }
    }

    @Test("a damaged checkpoint fails opening with an error naming it")
    func damagedCheckpoint() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            try WALTestKit.writeFile("\(dir)/wal-checkpoint", Array("KMSC garbage".utf8))
            do {
                _ = try open(dir)
                Issue.record("opened over a damaged checkpoint")
            } catch let error as MetricCheckpointError {
                #expect(error.path == "\(dir)/wal-checkpoint")
            }
        }
    }

    @Test("records that reached the log in another order than the head applied them all replay (concurrent appends)")
    func replayTakesRecordsInAnyOrder() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let up = labels(("__name__", "up"))
            let log = try WALTestKit.open("\(dir)/wal")
            // The later sample was logged first, as two racing requests can leave it.
            let later = MetricWALRecord(definitions: [.init(walID: 1, labels: up)], runs: [.init(walID: 1, count: 1)],
                                        samples: [Sample(timestamp: 2_000, value: 2)])
            let earlier = MetricWALRecord(definitions: [.init(walID: 1, labels: up)], runs: [.init(walID: 1, count: 1)],
                                          samples: [Sample(timestamp: 1_000, value: 1)])
            _ = try await log.append(later.encoded())
            _ = try await log.append(earlier.encoded())
            await log.close()

            let store = try open(dir)
            let all = try store.select([try SeriesMatcher(name: "__name__", op: .equal, value: "up")], start: Int64.min, end: Int64.max)
            #expect(all.first?.samples == [Sample(timestamp: 1_000, value: 1), Sample(timestamp: 2_000, value: 2)])
            await store.close()
        }
    }
}

/// What the concurrent appenders had acknowledged.
private final class Acknowledged: Sendable {
    let samples = Mutex<[SeriesLabels: [Sample]]>([:])
}
