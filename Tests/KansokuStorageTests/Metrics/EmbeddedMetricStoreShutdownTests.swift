import KansokuModel
import Testing
@testable import KansokuStorage

/// What a graceful stop leaves on disk.
@Suite("EmbeddedMetricStore shutdown")
struct EmbeddedMetricStoreShutdownTests {
    private func open(_ dir: String) throws -> EmbeddedMetricStore {
        let logs = WALLogCapture()
        return try EmbeddedMetricStore(log: WALTestKit.open("\(dir)/wal", segmentSize: 4096, logs: logs), blocksDirectory: "\(dir)/blocks",
                                       limits: MetricLimits(), options: MetricStoreOptions(), logger: logs.logger())
    }

    private func batch(_ t: Int64, exemplar: Bool = false) -> SampleBatch {
        let labels = SeriesLabels([("__name__", "up"), ("job", "a")])
        let exemplars = exemplar ? [SeriesExemplar(labels: SeriesLabels([("trace_id", "ab")]), value: 1, timestamp: t)] : []
        return SampleBatch(series: [SeriesSamples(labels: labels, samples: [Sample(timestamp: t, value: Double(t) / 1000)], exemplars: exemplars)])
    }

    @Test("with everything in blocks and no exemplars, the log's segments are deleted; the next start serves the same data")
    func segmentsGoWhenPersisted() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try open(dir)
            for t in stride(from: Int64(0), to: 600_000, by: 1_000) { _ = try await store.append(batch(t)) }
            let before = try store.select([], start: .min, end: .max)
            await store.close()
            #expect(try SegmentFiles.list("\(dir)/wal") == [])

            let reopened = try open(dir)
            #expect(try reopened.select([], start: .min, end: .max) == before)
            _ = try await reopened.append(batch(600_000))
            #expect(try reopened.select([], start: 599_000, end: .max).first?.samples.count == 2)
            await reopened.close()
        }
    }

    @Test("a log that holds exemplars stays, since blocks do not keep them")
    func exemplarsKeepTheLog() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try open(dir)
            _ = try await store.append(batch(1_000, exemplar: true))
            await store.close()
            #expect(try !SegmentFiles.list("\(dir)/wal").isEmpty)
            let reopened = try open(dir)
            #expect(try reopened.exemplars([], start: .min, end: .max).first?.exemplars.count == 1)
            await reopened.close()
        }
    }
}
