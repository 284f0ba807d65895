import Testing
@testable import KansokuIngest
import KansokuModel

@Suite struct OTLPExponentialHistogramTests {
    static let second: UInt64 = 1_000_000_000
    static let t0: UInt64 = 1_700_000_000 * second + 123_456_789
    static let t0Milliseconds: Int64 = 1_700_000_000_123

    static func batch(_ metrics: [Metric]) -> MetricBatch {
        MetricBatch(resources: [ResourceItems(
            resource: Resource(attributes: [Attribute(key: "service.name", value: .string("checkout"))]),
            scopes: [ScopedItems(scope: InstrumentationScope(name: "io.test"), items: metrics)])])
    }

    static func point(at time: UInt64 = t0, count: UInt64, sum: Double? = nil, scale: Int32, zeroCount: UInt64 = 0,
                      zeroThreshold: Double = 0, positive: ExponentialHistogramDataPoint.Buckets = .init(),
                      negative: ExponentialHistogramDataPoint.Buckets = .init(), flags: UInt32 = 0,
                      exemplars: [Exemplar] = [], route: String = "/") -> ExponentialHistogramDataPoint {
        ExponentialHistogramDataPoint(
            header: DataPointHeader(attributes: [Attribute(key: "http.route", value: .string(route))], startTimeUnixNano: t0 - second,
                                    timeUnixNano: time, flags: flags, exemplars: exemplars),
            count: count, sum: sum, scale: scale, zeroCount: zeroCount, zeroThreshold: zeroThreshold,
            positive: positive, negative: negative, min: 0.5, max: 9)
    }

    static func metric(_ points: [ExponentialHistogramDataPoint], temporality: AggregationTemporality = .cumulative) -> Metric {
        Metric(name: "request.duration", description: "How long requests take.", unit: "s",
               data: .exponentialHistogram(ExponentialHistogramData(points: points, temporality: temporality)))
    }

    static let labels = SeriesLabels([("__name__", "request_duration_seconds"), ("http_route", "/"), ("job", "checkout"),
                                      ("otel_scope_name", "io.test")])

    /// The histograms of the one translated series of `request_duration_seconds`.
    static func histograms(_ result: OTLPTranslation) -> [HistogramSample] {
        result.samples.series.filter { $0.labels.name == "request_duration_seconds" }.flatMap(\.histograms)
    }

    @Test func cumulativePointBecomesOneNativeHistogramSeries() throws {
        // OTLP bucket k is native bucket k + 1. A run of three empty buckets splits the span; two stay as zeros.
        let point = Self.point(count: 8, sum: 20.5, scale: 2, zeroCount: 1,
                               positive: .init(offset: 1, bucketCounts: [1, 2, 0, 0, 0, 1, 0, 0, 2, 0]),
                               negative: .init(offset: -2, bucketCounts: [0, 1]))
        let result = OTLPPrometheusTranslator().translate(Self.batch([Self.metric([point])]))
        #expect(result.dropped.isEmpty)
        let series = try #require(result.samples.series.first { $0.labels.name == "request_duration_seconds" })
        #expect(series.labels == Self.labels)
        #expect(series.samples.isEmpty)
        #expect(series.histograms == [HistogramSample(timestamp: Self.t0Milliseconds, histogram: NativeHistogram(
            counterResetHint: .unknown, schema: 2, zeroThreshold: 1e-128, zeroCount: 1, count: 8, sum: 20.5,
            positiveSpans: [.init(offset: 2, length: 2), .init(offset: 3, length: 4)],
            negativeSpans: [.init(offset: 0, length: 1)],
            positiveBuckets: [1, 2, 1, 0, 0, 2], negativeBuckets: [1]))])
        // No classic series: one series per point, named after the family.
        #expect(result.samples.series.map(\.labels.name) == ["request_duration_seconds"])
        #expect(result.samples.metadata.contains(MetricFamilyMetadata(
            family: "request_duration_seconds", kind: .histogram, help: "How long requests take.", unit: "seconds")))
        #expect(result.samples.sampleCount == 1)
    }

    @Test func scalesAboveEightMergeNeighbouringBuckets() throws {
        // Scale 10 → schema 8: four OTLP buckets per native bucket; OTLP k goes to (k >> 2) + 1.
        let point = Self.point(count: 21, sum: 1, scale: 10,
                               positive: .init(offset: -3, bucketCounts: [1, 2, 3, 4, 5]),
                               negative: .init(offset: 6, bucketCounts: [6]))
        let result = OTLPPrometheusTranslator().translate(Self.batch([Self.metric([point])]))
        let histogram = try #require(Self.histograms(result).first?.histogram)
        #expect(histogram.schema == 8)
        #expect(histogram.positiveSpans == [.init(offset: 0, length: 2)])
        #expect(histogram.positiveBuckets == [6, 9])
        #expect(histogram.negativeSpans == [.init(offset: 2, length: 1)])
        #expect(histogram.negativeBuckets == [6])
        #expect(histogram.count == 21)
    }

    @Test func bucketsMergedAcrossAGapCloseIt() throws {
        // Scale 9: OTLP buckets 0 and 3 land in native buckets 1 and 2: one span, no zeros left.
        let point = Self.point(count: 2, scale: 9, positive: .init(offset: 0, bucketCounts: [1, 0, 0, 1]))
        let histogram = try #require(Self.histograms(OTLPPrometheusTranslator().translate(Self.batch([Self.metric([point])]))).first?.histogram)
        #expect(histogram.positiveSpans == [.init(offset: 1, length: 2)])
        #expect(histogram.positiveBuckets == [1, 1])
    }

    @Test func unconvertiblePointsAreDroppedOneByOne() throws {
        let points = [
            Self.point(count: 1, scale: -5, positive: .init(offset: 0, bucketCounts: [1])),
            Self.point(at: Self.t0 + Self.second, count: 1, scale: -4, positive: .init(offset: 0, bucketCounts: [1])),
            Self.point(at: Self.t0 + 2 * Self.second, count: 5, scale: 0, zeroCount: 1, positive: .init(offset: 0, bucketCounts: [1])),
            Self.point(at: Self.t0 + 3 * Self.second, count: 1, scale: 0, positive: .init(offset: .max, bucketCounts: [1])),
        ]
        let result = OTLPPrometheusTranslator().translate(Self.batch([Self.metric(points)]))
        #expect(Self.histograms(result).map(\.timestamp) == [Self.t0Milliseconds + 1_000])
        #expect(Self.histograms(result).first?.histogram.schema == -4)
        #expect(result.dropped == ["metric \"request.duration\": scale -5 is below -4, the coarsest native histogram schema (3 points dropped)"])
        #expect(throws: OTLPExponentialHistogramProblem.countMismatch(inBuckets: 2, count: 5)) {
            try OTLPExponentialHistogramConversion.nativeHistogram(points[2])
        }
        #expect(throws: OTLPExponentialHistogramProblem.bucketIndexOutOfRange(offset: .max, buckets: 1)) {
            try OTLPExponentialHistogramConversion.nativeHistogram(points[3])
        }
    }

    @Test func sumZeroThresholdAndNaN() throws {
        // No sum: 0, as Prometheus. A wider zero threshold than 1e-128 is kept.
        let noSum = try OTLPExponentialHistogramConversion.nativeHistogram(
            Self.point(count: 3, scale: 1, zeroCount: 3, zeroThreshold: 0.001))
        #expect(noSum.sum == 0)
        #expect(noSum.zeroThreshold == 0.001)
        #expect(noSum.zeroCount == 3 && noSum.count == 3)
        #expect(noSum.positiveSpans.isEmpty && noSum.negativeSpans.isEmpty)
        #expect(try OTLPExponentialHistogramConversion.nativeHistogram(Self.point(count: 0, scale: 0, zeroThreshold: 1e-300)).zeroThreshold == 1e-128)
        #expect(try OTLPExponentialHistogramConversion.nativeHistogram(Self.point(count: 0, scale: 0, zeroThreshold: .nan)).zeroThreshold == 1e-128)
        // A NaN sum means NaN observations, which sit in no bucket: the count may exceed the buckets.
        let nan = try OTLPExponentialHistogramConversion.nativeHistogram(
            Self.point(count: 4, sum: .nan, scale: 0, positive: .init(offset: 0, bucketCounts: [3])))
        #expect(nan.count == 4 && nan.sum.isNaN)
    }

    @Test func noRecordedValueIsAFloatStaleMarker() throws {
        let points = [
            Self.point(count: 1, scale: 0, positive: .init(offset: 0, bucketCounts: [1])),
            Self.point(at: Self.t0 + Self.second, count: 0, scale: 0, flags: 1),
        ]
        let result = OTLPPrometheusTranslator().translate(Self.batch([Self.metric(points)]))
        let series = try #require(result.samples.series.first { $0.labels == Self.labels })
        #expect(series.histograms.map(\.timestamp) == [Self.t0Milliseconds])
        #expect(series.samples.count == 1)
        #expect(series.samples.first?.isStaleMarker == true)
        #expect(series.samples.first?.timestamp == Self.t0Milliseconds + 1_000)
        #expect(result.dropped.isEmpty)
    }

    @Test func exemplarsAreAttachedToTheSeries() throws {
        let trace = TraceID(high: 1, low: 2)
        let exemplar = Exemplar(timeUnixNano: Self.t0, value: .double(0.7), traceID: trace, spanID: SpanID(3))
        let point = Self.point(count: 1, sum: 0.7, scale: 0, positive: .init(offset: -1, bucketCounts: [1]), exemplars: [exemplar])
        let result = OTLPPrometheusTranslator().translate(Self.batch([Self.metric([point])]))
        let series = try #require(result.samples.series.first { $0.labels == Self.labels })
        #expect(series.exemplars == [SeriesExemplar(labels: SeriesLabels([("span_id", SpanID(3).hex), ("trace_id", trace.hex)]),
                                                    value: 0.7, timestamp: Self.t0Milliseconds)])
    }

    @Test func deltasAreAccumulatedIntoRunningTotals() throws {
        let translator = OTLPPrometheusTranslator()
        let first = Self.point(count: 2, sum: 3, scale: 1, positive: .init(offset: 0, bucketCounts: [1, 1]))
        // A finer scale: the total keeps the coarser one, as Prometheus adds histograms.
        let second = Self.point(at: Self.t0 + Self.second, count: 3, sum: 4, scale: 2, zeroCount: 1,
                                positive: .init(offset: 0, bucketCounts: [2]))
        let other = Self.point(at: Self.t0 + Self.second, count: 1, sum: 1, scale: 1,
                               positive: .init(offset: 0, bucketCounts: [1]), route: "/other")
        let one = translator.translate(Self.batch([Self.metric([first], temporality: .delta)]))
        #expect(Self.histograms(one).map(\.histogram.count) == [2])
        let two = translator.translate(Self.batch([Self.metric([second, other], temporality: .delta)]))
        let total = try #require(Self.histograms(two).first?.histogram)
        #expect(total == NativeHistogram(schema: 1, zeroThreshold: 1e-128, zeroCount: 1, count: 5, sum: 7,
                                         positiveSpans: [.init(offset: 1, length: 2)], positiveBuckets: [3, 1]))
        #expect(translator.deltaSeriesCount == 2)

        // Out of order: dropped and reported. Stale: the total is forgotten and the series ends.
        let late = translator.translate(Self.batch([Self.metric([first], temporality: .delta)]))
        #expect(Self.histograms(late).isEmpty)
        #expect(late.dropped.first?.contains("delta point at or before the last accumulated point (1 point dropped)") == true)
        let stale = Self.point(at: Self.t0 + 2 * Self.second, count: 0, scale: 0, flags: 1)
        let ended = translator.translate(Self.batch([Self.metric([stale], temporality: .delta)]))
        #expect(ended.samples.series.first { $0.labels == Self.labels }?.samples.first?.isStaleMarker == true)
        #expect(translator.deltaSeriesCount == 1)
        let restarted = translator.translate(Self.batch([Self.metric(
            [Self.point(at: Self.t0 + 3 * Self.second, count: 2, sum: 3, scale: 1, positive: .init(offset: 0, bucketCounts: [1, 1]))],
            temporality: .delta)]))
        #expect(Self.histograms(restarted).map(\.histogram.count) == [2])
    }

    @Test func unspecifiedTemporalityIsDropped() {
        let point = Self.point(count: 1, scale: 0, positive: .init(offset: 0, bucketCounts: [1]))
        let result = OTLPPrometheusTranslator().translate(Self.batch([Self.metric([point], temporality: .unspecified)]))
        #expect(Self.histograms(result).isEmpty)
        #expect(result.dropped.first?.contains("aggregation temporality is unspecified") == true)
    }
}
