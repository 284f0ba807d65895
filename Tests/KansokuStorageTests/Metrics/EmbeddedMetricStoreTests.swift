import KansokuModel
import Logging
import Testing
@testable import KansokuStorage

@Suite("EmbeddedMetricStore")
struct EmbeddedMetricStoreTests {
    private func labels(_ pairs: (String, String)...) -> SeriesLabels { SeriesLabels(pairs) }

    private func series(_ labels: SeriesLabels, _ samples: [(Int64, Double)], exemplars: [SeriesExemplar] = []) -> SeriesSamples {
        SeriesSamples(labels: labels, samples: samples.map { Sample(timestamp: $0.0, value: $0.1) }, exemplars: exemplars)
    }

    private func m(_ name: String, _ op: SeriesMatcher.Operator, _ value: String) throws -> SeriesMatcher {
        try SeriesMatcher(name: name, op: op, value: value)
    }

    private func open(_ dir: String, limits: MetricLimits = MetricLimits(), options: MetricStoreOptions = MetricStoreOptions(),
                      segmentSize: Int = 64 << 20, logs: WALLogCapture = WALLogCapture()) throws -> EmbeddedMetricStore {
        try EmbeddedMetricStore(log: WALTestKit.open("\(dir)/wal", segmentSize: segmentSize, logs: logs), blocksDirectory: "\(dir)/blocks",
                                limits: limits, options: options, logger: logs.logger())
    }

    /// Runs `body` with a fresh store in a temporary directory and closes it afterwards.
    private func withStore(limits: MetricLimits = MetricLimits(), _ body: (EmbeddedMetricStore) async throws -> Void) async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try open(dir, limits: limits)
            try await body(store)
            await store.close()
        }
    }

    private func everything(_ store: EmbeddedMetricStore) throws -> [SeriesSamples] {
        try store.select([m("__name__", .regexMatch, ".+")], start: Int64.min, end: Int64.max)
    }

    @Test("select returns matching series sorted by labels, with only the samples in range")
    func appendThenSelect() async throws {
        try await withStore { store in
            let batch = SampleBatch(series: [
                series(labels(("__name__", "up"), ("job", "b")), [(1_000, 1), (2_000, 2), (3_000, 3), (4_000, 4)]),
                series(labels(("__name__", "up"), ("job", "a")), [(1_000, 10), (2_000, 20)]),
                series(labels(("__name__", "up"), ("env", "x")), [(3_000, 30)]),
                series(labels(("__name__", "late")), [(10_000, 1)]),
            ])
            let report = try await store.append(batch)
            #expect(report.acceptedSamples == 8)
            #expect(report.rejectedSamples == 0)
            #expect(report.rejections.isEmpty)
            #expect(report.summary == "")

            let ups = try store.select([m("__name__", .equal, "up")], start: 0, end: 5_000)
            #expect(ups.map(\.labels) == [labels(("__name__", "up"), ("env", "x")), labels(("__name__", "up"), ("job", "a")),
                                         labels(("__name__", "up"), ("job", "b"))])
            #expect(ups[2].samples.map(\.value) == [1, 2, 3, 4])
            #expect(ups.allSatisfy { $0.exemplars.isEmpty })

            let bounded = try store.select([m("__name__", .equal, "up")], start: 2_000, end: 2_500)
            #expect(bounded.map(\.labels) == [labels(("__name__", "up"), ("job", "a")), labels(("__name__", "up"), ("job", "b"))])
            #expect(bounded.map { $0.samples.map(\.value) } == [[20], [2]])
            #expect(try store.select([m("job", .equal, "b")], start: 3_000, end: 3_000).map { $0.samples.map(\.value) } == [[3]])
            #expect(try store.select([m("__name__", .equal, "late")], start: 0, end: 9_999).isEmpty)
            #expect(try store.select([m("__name__", .regexMatch, ".+")], start: 5_000, end: 9_999).isEmpty)
            #expect(try store.select([m("__name__", .equal, "nope")], start: Int64.min, end: Int64.max).isEmpty)
            #expect(try everything(store).count == 4)
        }
    }

    @Test("rejections use Prometheus's wording and rejected samples never reach the log")
    func reportAndRejectionTexts() async throws {
        try await withStore { store in
            let up = labels(("__name__", "up"), ("job", "api"))
            let report = try await store.append(SampleBatch(series: [
                series(up, [(2_000, 1), (1_000, 1), (2_000, 1), (2_000, 5), (3_000, 1)]),
            ]))
            #expect(report.acceptedSamples == 3)
            #expect(report.rejectedSamples == 2)
            #expect(report.rejections.map(\.description) == [
                "out of order sample for series up{job=\"api\"} timestamp=1000",
                "duplicate sample for timestamp for series up{job=\"api\"} timestamp=2000",
            ])
            #expect(report.rejections.map(\.reason) == [.outOfOrder, .duplicateTimestamp])
            #expect(report.summary == report.rejections.map(\.description).joined(separator: "; "))

            let records = try store.log.allRecords()
            #expect(records.count == 1)
            let logged = try MetricWALRecord(walPayload: try #require(records.first).payload)
            #expect(logged.definitions.map(\.labels) == [up])
            #expect(logged.samplesByRun.map { Array($0.samples) } == [[Sample(timestamp: 2_000, value: 1), Sample(timestamp: 3_000, value: 1)]])

            // Nothing new stored and no metadata: the log is left alone.
            let again = try await store.append(SampleBatch(series: [series(up, [(3_000, 1), (1_500, 1)])]))
            #expect(again.acceptedSamples == 1)
            #expect(again.rejectedSamples == 1)
            #expect(try store.log.allRecords().count == 1)
        }
    }

    @Test("older than the out-of-order window is 'too old'")
    func tooOldText() async throws {
        try await withStore(limits: MetricLimits(outOfOrderWindow: 10_000)) { store in
            let report = try await store.append(SampleBatch(series: [series(labels(("__name__", "up")), [(100_000, 1), (95_000, 2), (80_000, 3)])]))
            #expect(report.acceptedSamples == 2)
            #expect(report.rejections.map(\.description) == ["too old sample for series up timestamp=80000"])
            #expect(try everything(store).first?.samples.map(\.timestamp) == [95_000, 100_000])
        }
    }

    @Test("only the first ten rejections are listed, and the summary says there are more")
    func rejectionListIsBounded() async throws {
        try await withStore { store in
            let samples = [(Int64(100), 1.0)] + (0..<12).map { (Int64($0), 1.0) }
            let report = try await store.append(SampleBatch(series: [series(labels(("__name__", "up")), samples)]))
            #expect(report.acceptedSamples == 1)
            #expect(report.rejectedSamples == 12)
            #expect(report.rejections.count == 10)
            #expect(report.summary.hasSuffix("; out of order sample for series up timestamp=9 (and more)"))
        }
    }

    @Test("label sets that cannot name a series are rejected with the reason; the rest of the batch is stored")
    func invalidLabels() async throws {
        try await withStore { store in
            let report = try await store.append(SampleBatch(series: [
                series(labels(("job", "x")), [(1, 1), (2, 2)]),
                series(labels(("__name__", "up"), ("", "v")), [(1, 1)]),
                series(labels(), [(1, 1)]),
                series(labels(("__name__", ""), ("job", "y")), [(1, 1)]),
                series(labels(("__name__", "ok")), [(1, 1)]),
            ]))
            #expect(report.acceptedSamples == 1)
            #expect(report.rejectedSamples == 5)
            #expect(report.rejections.map(\.description) == [
                "invalid labels for series {job=\"x\"}: missing metric name (__name__)",
                "invalid labels for series up{=\"v\"}: empty label name",
                "invalid labels for series {}: empty label set",
                "invalid labels for series {job=\"y\"}: missing metric name (__name__)",
            ])
            #expect(try store.series([], start: Int64.min, end: Int64.max) == [labels(("__name__", "ok"))])
        }
    }

    @Test("a series with more labels than maxLabelsPerSeries is rejected")
    func maxLabelsPerSeries() async throws {
        try await withStore(limits: MetricLimits(maxLabelsPerSeries: 3)) { store in
            let report = try await store.append(SampleBatch(series: [
                series(labels(("__name__", "m"), ("a", "1"), ("b", "2"), ("c", "3")), [(1, 1), (2, 1)]),
                series(labels(("__name__", "m"), ("a", "1"), ("b", "2")), [(1, 1)]),
            ]))
            #expect(report.acceptedSamples == 1)
            #expect(report.rejectedSamples == 2)
            #expect(report.rejections.map(\.description) == ["series m{a=\"1\", b=\"2\", c=\"3\"} has more than 3 labels"])
            #expect(report.rejections.first?.reason == .tooManyLabels(limit: 3))
        }
    }

    @Test("past maxSeries no new series is created, but existing ones keep taking samples")
    func maxSeries() async throws {
        try await withStore(limits: MetricLimits(maxSeries: 2)) { store in
            _ = try await store.append(SampleBatch(series: [
                series(labels(("__name__", "a")), [(1, 1)]), series(labels(("__name__", "b")), [(1, 1)]),
            ]))
            let report = try await store.append(SampleBatch(series: [
                series(labels(("__name__", "c"), ("x", "y")), [(2, 1), (3, 1)]), series(labels(("__name__", "a")), [(2, 2)]),
            ]))
            #expect(report.acceptedSamples == 1)
            #expect(report.rejectedSamples == 2)
            #expect(report.rejections.map(\.description) == ["series limit of 2 reached; new series c{x=\"y\"} not created"])
            #expect(try store.series([], start: Int64.min, end: Int64.max).map(\.name) == ["a", "b"])
            #expect(try everything(store).first?.samples.map(\.value) == [1, 2])
        }
    }

    @Test("series past maxSeriesPerRequest are dropped; earlier series and the metadata are kept")
    func maxSeriesPerRequest() async throws {
        try await withStore(limits: MetricLimits(maxSeriesPerRequest: 2)) { store in
            let report = try await store.append(SampleBatch(series: [
                series(labels(("__name__", "s1")), [(1, 1)]),
                series(labels(("__name__", "s2")), [(1, 1), (2, 2)]),
                series(labels(("__name__", "s3")), [(1, 1), (2, 2)]),
                series(labels(("__name__", "s4")), [(1, 1), (2, 2), (3, 3)]),
            ], metadata: [MetricFamilyMetadata(family: "s4", kind: .gauge)]))
            #expect(report.acceptedSamples == 3)
            #expect(report.rejectedSamples == 5)
            #expect(report.rejections.map(\.description) == ["request has more than 2 series; series s3 and later ones dropped"])
            #expect(try store.series([], start: Int64.min, end: Int64.max).map(\.name) == ["s1", "s2"])
            #expect(store.metadata() == [MetricFamilyMetadata(family: "s4", kind: .gauge)])
        }
    }

    private func seedLabelData(_ store: EmbeddedMetricStore) async throws {
        _ = try await store.append(SampleBatch(series: [
            series(labels(("__name__", "up"), ("env", "prod"), ("job", "api")), [(1_000, 1), (3_000, 1)]),
            series(labels(("__name__", "up"), ("job", "db")), [(5_000, 1), (6_000, 1)]),
            series(labels(("__name__", "http"), ("env", "dev"), ("instance", "i1")), [(1_000, 1)]),
        ]))
    }

    @Test("a select of many head series (decoded in parts on every core) gives each series its own samples, in label order")
    func manyHeadSeriesDecodeInParts() async throws {
        try await withStore(limits: MetricLimits(outOfOrderWindow: 10_000)) { store in
            let count = HeadSnapshotDecoder.minimumSeriesPerPart * 4 + 3
            // Series i has i % 7 + 1 samples, values naming it; every third series gets a late (out-of-order) one too.
            func samples(_ i: Int) -> [(Int64, Double)] {
                (0..<(i % 7 + 1)).map { (k: Int) -> (Int64, Double) in (Int64(k) * 1_000, Double(i * 100 + k)) }
            }
            let written: [SeriesSamples] = (0..<count).map { i in series(labels(("__name__", "m"), ("i", String(i))), samples(i)) }
            _ = try await store.append(SampleBatch(series: written))
            let late: [SeriesSamples] = (0..<count).filter { $0 % 3 == 0 }.map { i in
                series(labels(("__name__", "m"), ("i", String(i))), [(500, -Double(i))])
            }
            _ = try await store.append(SampleBatch(series: late))
            let found = try store.select([m("__name__", .equal, "m")], start: 0, end: 4_000)
            #expect(found.map(\.labels) == written.map(\.labels).sorted())
            for s in found {
                let i = Int(s.labels["i"]!)!
                var expected: [Sample] = samples(i).prefix(5).map { Sample(timestamp: $0.0, value: $0.1) }
                if i % 3 == 0 { expected.insert(Sample(timestamp: 500, value: -Double(i)), at: 1) }
                #expect(s.samples == expected, "series \(i)")
            }
        }
    }

    @Test("series() ORs its selectors and keeps series with data in the time range")
    func seriesQuery() async throws {
        try await withStore { store in
            try await seedLabelData(store)
            #expect(try store.series([], start: Int64.min, end: Int64.max) == [
                labels(("__name__", "http"), ("env", "dev"), ("instance", "i1")),
                labels(("__name__", "up"), ("env", "prod"), ("job", "api")),
                labels(("__name__", "up"), ("job", "db")),
            ])
            #expect(try store.series([[m("__name__", .equal, "up")]], start: 4_000, end: 10_000) == [labels(("__name__", "up"), ("job", "db"))])
            #expect(try store.series([[m("job", .equal, "db")], [m("env", .equal, "dev")]], start: Int64.min, end: Int64.max).map(\.name) == ["http", "up"])
            #expect(try store.series([[m("env", .notEqual, "prod")]], start: 0, end: 2_000).map(\.name) == ["http"])
            #expect(try store.series([], start: 7_000, end: 8_000).isEmpty)
            #expect(try store.series([], start: 3_000, end: 5_000).count == 2)
        }
    }

    @Test("labelNames and labelValues follow the selectors and time range")
    func labelNamesAndValues() async throws {
        try await withStore { store in
            try await seedLabelData(store)
            #expect(try store.labelNames([], start: Int64.min, end: Int64.max) == ["__name__", "env", "instance", "job"])
            #expect(try store.labelNames([], start: 4_000, end: 10_000) == ["__name__", "job"])
            #expect(try store.labelNames([[m("__name__", .equal, "http")]], start: Int64.min, end: Int64.max) == ["__name__", "env", "instance"])
            #expect(try store.labelNames([[m("__name__", .equal, "none")]], start: Int64.min, end: Int64.max).isEmpty)

            #expect(try store.labelValues("job", [], start: Int64.min, end: Int64.max) == ["api", "db"])
            #expect(try store.labelValues("__name__", [], start: Int64.min, end: Int64.max) == ["http", "up"])
            #expect(try store.labelValues("env", [[m("__name__", .equal, "up")]], start: Int64.min, end: Int64.max) == ["prod"])
            #expect(try store.labelValues("env", [], start: 4_000, end: 10_000).isEmpty)
            #expect(try store.labelValues("env", [], start: 0, end: 1_000) == ["dev", "prod"])
            #expect(try store.labelValues("job", [[m("env", .equal, "")], [m("env", .equal, "prod")]], start: Int64.min, end: Int64.max) == ["api", "db"])
            #expect(try store.labelValues("missing", [], start: Int64.min, end: Int64.max).isEmpty)
        }
    }

    @Test("the newest metadata of a family replaces the older one; families come sorted")
    func metadataNewestWins() async throws {
        try await withStore { store in
            _ = try await store.append(SampleBatch(metadata: [
                MetricFamilyMetadata(family: "up", kind: .gauge, help: "old"),
                MetricFamilyMetadata(family: "a_total", kind: .counter, help: "requests"),
            ]))
            _ = try await store.append(SampleBatch(metadata: [MetricFamilyMetadata(family: "up", kind: .counter, help: "new", unit: "seconds")]))
            #expect(store.metadata() == [
                MetricFamilyMetadata(family: "a_total", kind: .counter, help: "requests"),
                MetricFamilyMetadata(family: "up", kind: .counter, help: "new", unit: "seconds"),
            ])
            #expect(try store.log.allRecords().count == 2)
        }
    }

    @Test("exemplars are returned per matching series within the time range, oldest first")
    func exemplarsInRange() async throws {
        try await withStore { store in
            func ex(_ trace: String, _ value: Double, _ t: Int64) -> SeriesExemplar {
                SeriesExemplar(labels: labels(("trace_id", trace)), value: value, timestamp: t)
            }
            let up = labels(("__name__", "up"))
            let other = labels(("__name__", "other"))
            _ = try await store.append(SampleBatch(series: [
                series(up, [(1_000, 1)], exemplars: [ex("a", 1, 1_000), ex("b", 2, 2_000)]),
                series(other, [(1_000, 1)], exemplars: [ex("z", 9, 2_000)]),
            ]))
            _ = try await store.append(SampleBatch(series: [series(up, [(3_000, 1)], exemplars: [ex("c", 3, 3_000)])]))

            #expect(try store.exemplars([[m("__name__", .equal, "up")]], start: 1_500, end: 3_000)
                == [SeriesExemplars(labels: up, exemplars: [ex("b", 2, 2_000), ex("c", 3, 3_000)])])
            #expect(try store.exemplars([], start: 2_000, end: 2_000) == [
                SeriesExemplars(labels: other, exemplars: [ex("z", 9, 2_000)]),
                SeriesExemplars(labels: up, exemplars: [ex("b", 2, 2_000)]),
            ])
            #expect(try store.exemplars([[m("__name__", .equal, "none")]], start: Int64.min, end: Int64.max).isEmpty)
            #expect(try store.exemplars([], start: 4_000, end: 5_000).isEmpty)
        }
    }

    /// Everything a query can see, for comparing a store before and after replay.
    private struct Visible: Equatable {
        var samples: [SeriesSamples]
        var series: [SeriesLabels]
        var names: [String]
        var jobs: [String]
        var metadata: [MetricFamilyMetadata]
        var exemplars: [SeriesExemplars]
    }

    private func visible(_ store: EmbeddedMetricStore) throws -> Visible {
        Visible(samples: try everything(store), series: try store.series([], start: Int64.min, end: Int64.max),
                names: try store.labelNames([], start: Int64.min, end: Int64.max),
                jobs: try store.labelValues("job", [], start: Int64.min, end: Int64.max), metadata: store.metadata(),
                exemplars: try store.exemplars([], start: Int64.min, end: Int64.max))
    }

    @Test("reopening (head persisted as a block on close, log replayed) gives an identical store, out-of-order samples and exemplars included")
    func replay() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let limits = MetricLimits(outOfOrderWindow: 60_000)
            let api = labels(("__name__", "up"), ("job", "api"))
            let db = labels(("__name__", "up"), ("job", "db"))
            let trace = SeriesExemplar(labels: labels(("trace_id", "abc")), value: 0.25, timestamp: 110_000)
            let stale = Double(bitPattern: Sample.staleMarkerBits)

            let store = try open(dir, limits: limits)
            _ = try await store.append(SampleBatch(series: [series(api, [(100_000, 1), (110_000, 2), (120_000, 3)], exemplars: [trace])],
                                                   metadata: [MetricFamilyMetadata(family: "up", kind: .gauge, help: "is up")]))
            let report = try await store.append(SampleBatch(series: [
                series(api, [(105_000, 1.5), (70_000, 0.5), (50_000, 9), (120_000, 3), (130_000, stale)]),
                series(db, [(-5_000, -1), (0, .nan)]),
            ]))
            #expect(report.acceptedSamples == 6)
            #expect(report.rejections.map(\.description) == ["too old sample for series up{job=\"api\"} timestamp=50000"])
            let before = try visible(store)
            #expect(before.samples.first?.samples.map(\.timestamp) == [70_000, 100_000, 105_000, 110_000, 120_000, 130_000])
            #expect(before.exemplars == [SeriesExemplars(labels: api, exemplars: [trace])])
            await store.close()

            let logs = WALLogCapture()
            let reopened = try open(dir, limits: limits, logs: logs)
            let after = try visible(reopened)
            #expect(after == before)
            #expect(after.samples.first?.samples.last?.isStaleMarker == true)
            #expect(after.samples.last?.samples.last?.value.isNaN == true)
            // Everything was persisted on close: replay finds the samples already in the block.
            #expect(reopened.blocks.all.count == 1)
            #expect(logs.entries.contains { $0.message == "metrics WAL replayed" && $0.metadata["skipped"] == "8" })
            #expect(reopened.head.samplesAppended == 0)
            await reopened.close()
        }
    }

    @Test("records of the older self-contained layout still replay; one that does not decode is logged and skipped")
    func replaySkipsUndecodableRecords() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let log = try WALTestKit.open("\(dir)/wal")
            _ = try await log.append(SampleBatch(series: [series(labels(("__name__", "a")), [(1, 1)])]).walPayload())
            _ = try await log.append([WALFormat.version, UInt8(ascii: "P"), 0xFF])
            _ = try await log.append([WALFormat.version, MetricWALRecord.itemTag, 0xFF])
            _ = try await log.append(SampleBatch(series: [series(labels(("__name__", "b")), [(1, 1)])]).walPayload())
            await log.close()

            let logs = WALLogCapture()
            let store = try open(dir, logs: logs)
            #expect(try store.series([], start: Int64.min, end: Int64.max).map(\.name) == ["a", "b"])
            #expect(logs.entries.filter { $0.level == .error && $0.message == "undecodable metrics WAL record" }.count == 2)
            await store.close()
        }
    }

    @Test("the head is cut into a block once it spans 1.5 blocks; reads merge block and head; older appends are out of bounds; persisted WAL segments go")
    func cutHeadIntoBlocks() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let options = MetricStoreOptions(blockDuration: 60_000, maxBlockDuration: 60_000 * 9, retentionAge: nil)
            let store = try open(dir, options: options, segmentSize: 1024)
            let up = labels(("__name__", "up"), ("job", "a"))
            let gone = labels(("__name__", "gone"), ("job", "a"))
            _ = try await store.append(SampleBatch(series: [series(gone, [(1_000, 1)])]))
            for t in stride(from: Int64(0), through: 100_000, by: 1_000) {
                _ = try await store.append(SampleBatch(series: [series(up, [(t, Double(t))])]))
            }
            let segmentsBefore = store.log.segmentCount
            #expect(try store.compact() == 1)
            #expect(store.blocks.all.map(\.meta.maxTime) == [59_000])
            #expect(store.log.segmentCount < segmentsBefore)
            let all = try everything(store)
            #expect(all.map(\.labels) == [gone, up])
            #expect(all.last?.samples.map(\.timestamp) == Array(stride(from: Int64(0), through: 100_000, by: 1_000)))
            // `gone` has nothing after the cut: the head forgot it, the block still serves it.
            #expect(store.head.seriesCount == 1)
            let late = try await store.append(SampleBatch(series: [series(labels(("__name__", "late")), [(30_000, 1)])]))
            #expect(late.rejections.map(\.description) == ["out of bounds for series late timestamp=30000"])
            await store.close()

            let reopened = try open(dir, options: options, segmentSize: 1024)
            #expect(try everything(reopened) == all)
            await reopened.close()
        }
    }
}
