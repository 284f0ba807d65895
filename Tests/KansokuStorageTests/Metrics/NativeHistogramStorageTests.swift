import KansokuModel
import Logging
import Testing
@testable import KansokuStorage

/// Native histograms through the embedded metric engine: their chunk and
/// WAL encodings, the head, blocks, replay and compaction.
@Suite("Native histograms in the metric store")
struct NativeHistogramStorageTests {
    private static func h(_ notation: String) -> NativeHistogram { NativeHistogram(notation: notation)! }

    /// A counter-like run: every sample adds one observation to bucket 1.
    private static func run(from start: Int64, count: Int, step: Int64 = 1_000) -> [HistogramSample] {
        (0..<count).map { i in
            var histogram = h("{{schema:2 z_bucket:1 z_bucket_w:0.001 buckets:[1 0 2] offset:-1 n_buckets:[3] custom_values:[]}}")
            histogram.count = Double(7 + i)
            histogram.sum = 1.5 * Double(i)
            histogram.positiveBuckets[1] = Double(i)
            return HistogramSample(timestamp: start + Int64(i) * step, histogram: histogram)
        }
    }

    private static let name = SeriesLabels([("__name__", "latency"), ("job", "api")])

    private func open(_ dir: String, options: MetricStoreOptions = MetricStoreOptions()) throws -> EmbeddedMetricStore {
        let logs = WALLogCapture()
        return try EmbeddedMetricStore(log: WALTestKit.open("\(dir)/wal", logs: logs), blocksDirectory: "\(dir)/blocks",
                                       limits: MetricLimits(), options: options, logger: logs.logger())
    }

    private func everything(_ store: EmbeddedMetricStore) throws -> [SeriesSamples] {
        try store.select([SeriesMatcher(name: "__name__", op: .regexMatch, value: ".+")], start: Int64.min, end: Int64.max)
    }

    @Test("a histogram chunk decodes to what was encoded; damage is reported, not trusted")
    func chunkRoundTrip() throws {
        let samples = Self.run(from: -5_000, count: 130) + [HistogramSample(timestamp: 200_000, histogram: Self.h(
            "{{schema:-53 count:3 sum:12 custom_values:[0.5 1 2.5] buckets:[1 0 2] counter_reset_hint:gauge}}"))]
        let chunk = HistogramChunk(samples)
        #expect(chunk.count == samples.count)
        #expect(try chunk.decodeAll() == samples)
        #expect(try HistogramChunk(bytes: chunk.bytes).decodeAll() == samples)
        #expect(throws: WALDecodingError.self) { try HistogramChunk(bytes: Array(chunk.bytes.dropLast(3))).decodeAll() }
        var badSchema = HistogramChunk([HistogramSample(timestamp: 1, histogram: Self.h("{{schema:3}}"))]).bytes
        badSchema[4] = 40  // schema 20 (zig-zag): no such schema
        #expect(throws: WALDecodingError.self) { try HistogramChunk(bytes: badSchema).decodeAll() }
    }

    @Test("WAL records carry histograms after the float sections; float-only records keep their old bytes")
    func walRecord() throws {
        let floats = MetricWALRecord(runs: [.init(walID: 3, count: 1)], samples: [Sample(timestamp: 5, value: 1)])
        var both = floats
        both.histograms = Self.run(from: 10, count: 3).map { MetricWALRecord.Histogram(walID: 4, sample: $0) }
        let decoded = try MetricWALRecord(walPayload: both.encoded())
        #expect(decoded.histograms.map(\.sample) == Self.run(from: 10, count: 3))
        #expect(decoded.histograms.map(\.walID) == [4, 4, 4])
        #expect(decoded.samples == floats.samples)
        #expect(Array(both.encoded().prefix(floats.encoded().count)) == floats.encoded())
        #expect(both.newestTimestamp == 2_010)
        #expect(try MetricWALRecord(walPayload: floats.encoded()).histograms.isEmpty)
    }

    @Test("a histogram sent again bit for bit is a duplicate, also a stale marker's whose NaN sum is not equal to itself")
    func staleMarkerResent() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try open(dir)
            var stale = Self.run(from: 20_000, count: 1)[0]
            stale.histogram.sum = Double(bitPattern: 0x7FF0_0000_0000_0002)
            let batch = SampleBatch(series: [SeriesSamples(labels: Self.name, samples: [], histograms: [stale])])
            _ = try await store.append(batch)
            let resent = try await store.append(batch)
            #expect(resent.acceptedSamples == 1 && resent.rejections.isEmpty)
            await store.close()
        }
    }

    @Test("appended histograms are selected from the head, survive a restart, and are refused on a conflicting timestamp")
    func headAndReplay() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try open(dir)
            let samples = Self.run(from: 10_000, count: 5)
            let report = try await store.append(SampleBatch(series: [SeriesSamples(labels: Self.name, samples: [], histograms: samples)]))
            #expect(report.acceptedSamples == 5)
            var conflicting = samples[2]
            conflicting.histogram.sum += 1
            let second = try await store.append(SampleBatch(series: [
                SeriesSamples(labels: Self.name, samples: [], histograms: [samples[1], conflicting]),
            ]))
            #expect(second.acceptedSamples == 1)  // the identical one is a duplicate, accepted
            #expect(second.rejections.map(\.description) == ["duplicate sample for timestamp for series latency{job=\"api\"} timestamp=12000"])
            let selected = try store.select([SeriesMatcher(name: "job", op: .equal, value: "api")], start: 11_000, end: 13_000)
            #expect(selected.map(\.labels) == [Self.name])
            #expect(selected.first?.histograms == Array(samples[1...3]))
            #expect(selected.first?.samples.isEmpty == true)
            #expect(try store.series([], start: 0, end: 20_000) == [Self.name])
            await store.close()

            let reopened = try open(dir)
            #expect(try everything(reopened).first?.histograms == samples)
            await reopened.close()
        }
    }

    @Test("histograms move into blocks with the head cut, merge with the head on read, and survive compaction")
    func blocksAndCompaction() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let options = MetricStoreOptions(blockDuration: 60_000, maxBlockDuration: 60_000 * 9, retentionAge: nil)
            let store = try open(dir, options: options)
            let floats = SeriesLabels([("__name__", "up")])
            let samples = Self.run(from: 0, count: 101)
            for sample in samples {
                _ = try await store.append(SampleBatch(series: [
                    SeriesSamples(labels: Self.name, samples: [], histograms: [sample]),
                    SeriesSamples(labels: floats, samples: [Sample(timestamp: sample.timestamp, value: 1)]),
                ]))
            }
            #expect(try store.compact() == 1)
            #expect(store.blocks.all.count == 1)
            let all = try everything(store)
            #expect(all.map(\.labels) == [Self.name, floats])
            #expect(all.first?.histograms == samples)
            #expect(all.last?.samples.count == 101 && all.last?.histograms.isEmpty == true)

            // Two blocks holding the same series merge into one with every sample.
            let reader = try #require(store.blocks.all.first)
            let second = try MetricBlockWriter.write([MetricBlockSeries(labels: Self.name, chunks: [],
                                                                          histogramChunks: MetricBlockCompactor.encode(Self.run(from: 60_500, count: 3)))],
                                                     minTime: 60_500, maxTime: 62_500, to: "\(dir)/blocks")
            let mergedMeta = try MetricBlockCompactor.merge([reader, try MetricBlockReader(path: second.path)], into: dir)
            let merged = try MetricBlockReader(path: mergedMeta.path)
            let histograms = try merged.select([SeriesMatcher(name: "__name__", op: .equal, value: "latency")], start: .min, end: .max)
            #expect(histograms.first?.histograms.map(\.timestamp) == Array(stride(from: Int64(0), through: 59_000, by: 1_000)) + [60_500, 61_500, 62_500])
            #expect(try merged.allSeries().map(\.sampleCount) == [63, 60])
            await store.close()
        }
    }

    @Test("blocks of format versions 1 (floats only) and 2 (untagged XOR chunks) are still read; version 1 cannot hold histograms")
    func olderBlockVersions() throws {
        try MetricBlockTestKit.withTemporaryDirectory { dir in
            let samples = (0..<130).map { Sample(timestamp: Int64($0) * 1_000, value: Double($0) / 3) }
            let series = MetricBlockSeries(labels: SeriesLabels([("__name__", "up")]), chunks: MetricBlockCompactor.encode(samples),
                                           histogramChunks: [])
            var options = MetricBlockWriter.Options()
            for version: UInt32 in [1, 2, 3] {
                options.formatVersion = version
                let meta = try MetricBlockWriter.write([series], minTime: 0, maxTime: 129_000, to: dir, options: options)
                let reader = try MetricBlockReader(path: meta.path)
                #expect(reader.formatVersion == version)
                #expect(try reader.select([], start: .min, end: .max).first?.samples == samples)
                #expect(try reader.allSeries().first?.samples() == samples)
            }
            options.formatVersion = 1
            let withHistograms = MetricBlockSeries(labels: Self.name, chunks: [], histogramChunks: MetricBlockCompactor.encode(Self.run(from: 0, count: 2)))
            #expect(throws: MetricBlockError.self) {
                try MetricBlockWriter.write([withHistograms], minTime: 0, maxTime: 1_000, to: dir, options: options)
            }
        }
    }
}
