import Testing
@testable import KansokuIngest
import KansokuModel

@Suite struct OTLPPrometheusTranslatorTests {
    static let second: UInt64 = 1_000_000_000
    static let t0: UInt64 = 1_700_000_000 * second + 123_456_789

    static func attr(_ key: String, _ value: String) -> Attribute { Attribute(key: key, value: .string(value)) }

    static func batch(_ metrics: [Metric], resource: [Attribute] = [attr("service.name", "checkout")],
                      scope: InstrumentationScope = InstrumentationScope(name: "io.test", version: "1.2")) -> MetricBatch {
        MetricBatch(resources: [ResourceItems(resource: Resource(attributes: resource), scopes: [ScopedItems(scope: scope, items: metrics)])])
    }

    static func header(_ time: UInt64, _ attributes: [Attribute] = [], flags: UInt32 = 0, exemplars: [Exemplar] = []) -> DataPointHeader {
        DataPointHeader(attributes: attributes, startTimeUnixNano: t0 - second, timeUnixNano: time, flags: flags, exemplars: exemplars)
    }

    static func series(_ result: OTLPTranslation, _ name: String, _ where: [String: String] = [:]) -> [SeriesSamples] {
        result.samples.series.filter { s in s.labels.name == name && `where`.allSatisfy { s.labels[$0.key] == $0.value } }
    }

    static func counter(_ name: String, _ value: Double, at time: UInt64, temporality: AggregationTemporality = .cumulative,
                        attributes: [Attribute] = [], flags: UInt32 = 0) -> Metric {
        Metric(name: name, unit: "1", data: .sum(SumData(points: [NumberDataPoint(header: header(time, attributes, flags: flags), value: .double(value))],
                                                      temporality: temporality, isMonotonic: true)))
    }

    @Test func jobInstanceScopeAndTargetInfo() throws {
        let resource = [Self.attr("service.name", "checkout"), Self.attr("service.namespace", "shop"),
                        Self.attr("service.instance.id", "pod-7"), Self.attr("k8s.pod.name", "pod-7"),
                        Attribute(key: "host.cpus", value: .int(8))]
        let gauge = Metric(name: "queue.depth", data: .gauge([
            NumberDataPoint(header: Self.header(Self.t0, [Self.attr("queue", "a")]), value: .int(3)),
            NumberDataPoint(header: Self.header(Self.t0 + 5 * Self.second, [Self.attr("queue", "b")]), value: .int(4)),
        ]))
        let result = OTLPPrometheusTranslator().translate(Self.batch([gauge], resource: resource))

        let a = try #require(Self.series(result, "queue_depth", ["queue": "a"]).first)
        #expect(a.labels == SeriesLabels([("__name__", "queue_depth"), ("job", "shop/checkout"), ("instance", "pod-7"),
                                          ("otel_scope_name", "io.test"), ("otel_scope_version", "1.2"), ("queue", "a")]))
        #expect(a.samples == [Sample(timestamp: 1_700_000_000_123, value: 3)])

        let target = try #require(Self.series(result, "target_info").first)
        #expect(target.labels == SeriesLabels([("__name__", "target_info"), ("job", "shop/checkout"), ("instance", "pod-7"),
                                               ("k8s_pod_name", "pod-7"), ("host_cpus", "8")]))
        // Once, at the newest point time of the resource.
        #expect(target.samples == [Sample(timestamp: 1_700_000_005_123, value: 1)])
        #expect(result.samples.metadata.contains(MetricFamilyMetadata(family: "target_info", kind: .gauge, help: "Target metadata")))
        #expect(result.samples.metadata.contains(MetricFamilyMetadata(family: "queue_depth", kind: .gauge)))
    }

    @Test func noTargetInfoWithoutExtraResourceAttributes() {
        let result = OTLPPrometheusTranslator().translate(Self.batch([Self.counter("c", 1, at: Self.t0)]))
        #expect(Self.series(result, "target_info").isEmpty)
        #expect(Self.series(result, "c_total").first?.labels["job"] == "checkout")
    }

    @Test func collidingAttributeNamesJoinInKeyOrder() throws {
        let point = NumberDataPoint(header: Self.header(Self.t0, [Self.attr("http.method", "b"), Self.attr("http_method", "c"),
                                                                  Self.attr("http-method", "a"), Self.attr("2xx", "d")]), value: .int(1))
        let result = OTLPPrometheusTranslator().translate(Self.batch([Metric(name: "g", data: .gauge([point]))]))
        let series = try #require(Self.series(result, "g").first)
        // Original keys in order: "http-method" < "http.method" < "http_method".
        #expect(series.labels["http_method"] == "a;b;c")
        #expect(series.labels["key_2xx"] == "d")
    }

    @Test func countersAndSumsKindsAndMetadata() {
        let sums = [
            Metric(name: "system.network.io", description: "Bytes moved", unit: "By",
                   data: .sum(SumData(points: [NumberDataPoint(header: Self.header(Self.t0), value: .int(10))], temporality: .cumulative, isMonotonic: true))),
            Metric(name: "memory.used", unit: "By",
                   data: .sum(SumData(points: [NumberDataPoint(header: Self.header(Self.t0), value: .int(-5))], temporality: .delta, isMonotonic: false))),
        ]
        let result = OTLPPrometheusTranslator().translate(Self.batch(sums))
        #expect(Self.series(result, "system_network_io_bytes_total").first?.samples.first?.value == 10)
        #expect(Self.series(result, "memory_used_bytes").first?.samples.first?.value == -5)
        #expect(result.samples.metadata.contains(MetricFamilyMetadata(family: "system_network_io_bytes_total", kind: .counter, help: "Bytes moved", unit: "bytes")))
        #expect(result.samples.metadata.contains(MetricFamilyMetadata(family: "memory_used_bytes", kind: .gauge, unit: "bytes")))
        #expect(result.dropped.isEmpty)
    }

    @Test func histogramBucketsSumCount() throws {
        let point = HistogramDataPoint(header: Self.header(Self.t0, [Self.attr("route", "/")]), count: 10, sum: 1.25,
                                       bucketCounts: [2, 3, 4, 1], explicitBounds: [0.005, 0.1, 1])
        let metric = Metric(name: "http.server.request.duration", unit: "s", data: .histogram(HistogramData(points: [point], temporality: .cumulative)))
        let result = OTLPPrometheusTranslator().translate(Self.batch([metric]))

        let name = "http_server_request_duration_seconds"
        let buckets = Self.series(result, name + "_bucket")
        #expect(buckets.map { $0.labels["le"] } == ["0.005", "0.1", "1", "+Inf"])
        #expect(buckets.map { $0.samples[0].value } == [2, 5, 9, 10])
        #expect(Self.series(result, name + "_sum").first?.samples == [Sample(timestamp: 1_700_000_000_123, value: 1.25)])
        #expect(Self.series(result, name + "_count").first?.samples.first?.value == 10)
        #expect(buckets.allSatisfy { $0.labels["route"] == "/" && $0.labels["job"] == "checkout" })
        #expect(result.samples.metadata.contains(MetricFamilyMetadata(family: name, kind: .histogram, unit: "seconds")))
    }

    @Test func summaryQuantiles() {
        let point = SummaryDataPoint(header: Self.header(Self.t0), count: 7, sum: 3.5,
                                     quantiles: [.init(quantile: 0.5, value: 0.4), .init(quantile: 0.99, value: 1.1), .init(quantile: 1, value: 2)])
        let result = OTLPPrometheusTranslator().translate(Self.batch([Metric(name: "rpc.latency", unit: "ms", data: .summary([point]))]))
        let name = "rpc_latency_milliseconds"
        #expect(Self.series(result, name).map { $0.labels["quantile"] } == ["0.5", "0.99", "1"])
        #expect(Self.series(result, name).map { $0.samples[0].value } == [0.4, 1.1, 2])
        #expect(Self.series(result, name + "_sum").first?.samples.first?.value == 3.5)
        #expect(Self.series(result, name + "_count").first?.samples.first?.value == 7)
        #expect(result.samples.metadata.contains(MetricFamilyMetadata(family: name, kind: .summary, unit: "milliseconds")))
    }

    @Test func deltaSumsAccumulateAcrossBatches() {
        let translator = OTLPPrometheusTranslator()
        var values: [Sample] = []
        for (i, delta) in [5.0, 3.0, 2.0].enumerated() {
            let time = Self.t0 + UInt64(i) * 10 * Self.second
            let result = translator.translate(Self.batch([Self.counter("jobs.done", delta, at: time, temporality: .delta)]))
            values += Self.series(result, "jobs_done_total").flatMap(\.samples)
        }
        #expect(values.map(\.value) == [5, 8, 10])
        #expect(values.map(\.timestamp) == [1_700_000_000_123, 1_700_000_010_123, 1_700_000_020_123])

        // A point not after the last one would double count: dropped with a reason.
        let late = translator.translate(Self.batch([Self.counter("jobs.done", 1, at: Self.t0 + 10 * Self.second, temporality: .delta)]))
        #expect(late.samples.sampleCount == 0)
        #expect(late.dropped.count == 1)
    }

    @Test func deltaHistogramsAccumulateAndRestartOnNewBounds() {
        let translator = OTLPPrometheusTranslator()
        func run(_ counts: [UInt64], bounds: [Double], at i: UInt64) -> [Double] {
            let point = HistogramDataPoint(header: Self.header(Self.t0 + i * Self.second), count: counts.reduce(0, +), sum: 1,
                                           bucketCounts: counts, explicitBounds: bounds)
            let metric = Metric(name: "size", unit: "By", data: .histogram(HistogramData(points: [point], temporality: .delta)))
            let result = translator.translate(Self.batch([metric]))
            let sum = Self.series(result, "size_bytes_sum").first?.samples.first?.value ?? -1
            return Self.series(result, "size_bytes_bucket").map { $0.samples[0].value } + [sum]
        }
        #expect(run([1, 2, 0], bounds: [10, 100], at: 1) == [1, 3, 3, 1])
        #expect(run([0, 1, 1], bounds: [10, 100], at: 2) == [1, 4, 5, 2])
        #expect(run([4, 0], bounds: [50], at: 3) == [4, 4, 1])
    }

    @Test func deltaStateIsEvictedAfterAnHourOfPointTime() {
        let translator = OTLPPrometheusTranslator()
        _ = translator.translate(Self.batch([Self.counter("a", 1, at: Self.t0, temporality: .delta)]))
        _ = translator.translate(Self.batch([Self.counter("b", 1, at: Self.t0 + 30 * 60 * Self.second, temporality: .delta)]))
        #expect(translator.deltaSeriesCount == 2)
        _ = translator.translate(Self.batch([Self.counter("b", 1, at: Self.t0 + 62 * 60 * Self.second, temporality: .delta)]))
        #expect(translator.deltaSeriesCount == 1)
        // "a" comes back and starts over.
        let again = translator.translate(Self.batch([Self.counter("a", 1, at: Self.t0 + 63 * 60 * Self.second, temporality: .delta)]))
        #expect(Self.series(again, "a_total").first?.samples.first?.value == 1)
    }

    @Test func noRecordedValueBecomesStaleMarker() {
        let stale = Self.counter("c", 9, at: Self.t0, flags: 1)
        let histogram = Metric(name: "h", data: .histogram(HistogramData(points: [
            HistogramDataPoint(header: Self.header(Self.t0, flags: 1), count: 0, sum: 0, bucketCounts: [0, 0], explicitBounds: [1]),
        ], temporality: .cumulative)))
        let result = OTLPPrometheusTranslator().translate(Self.batch([stale, histogram]))
        let samples = result.samples.series.filter { $0.labels.name != "target_info" }.flatMap(\.samples)
        #expect(samples.count == 5)  // c_total, h_sum, h_count, two buckets
        #expect(samples.allSatisfy { $0.isStaleMarker && $0.timestamp == 1_700_000_000_123 })
    }

    @Test func exemplarsCarryTraceIdsAndLandInTheirBucket() throws {
        let trace = TraceID(high: 0x0102_0304_0506_0708, low: 0x090a_0b0c_0d0e_0f10)
        let exemplars = [
            Exemplar(filteredAttributes: [Self.attr("user.id", "u1")], timeUnixNano: Self.t0 - 500_000, value: .double(0.07), traceID: trace, spanID: SpanID(0xab)),
            Exemplar(timeUnixNano: Self.t0, value: .double(50), traceID: trace),
        ]
        let point = HistogramDataPoint(header: Self.header(Self.t0, exemplars: exemplars), count: 3, sum: 50.07,
                                       bucketCounts: [0, 2, 1], explicitBounds: [0.05, 0.1])
        let result = OTLPPrometheusTranslator().translate(Self.batch([Metric(name: "lat", data: .histogram(HistogramData(points: [point], temporality: .cumulative)))]))

        let inSecond = try #require(Self.series(result, "lat_bucket", ["le": "0.1"]).first)
        #expect(inSecond.exemplars == [SeriesExemplar(labels: SeriesLabels([("trace_id", "0102030405060708090a0b0c0d0e0f10"),
                                                                             ("span_id", "00000000000000ab"), ("user_id", "u1")]),
                                                      value: 0.07, timestamp: 1_700_000_000_122)])
        let inInf = try #require(Self.series(result, "lat_bucket", ["le": "+Inf"]).first)
        #expect(inInf.exemplars.map(\.value) == [50])
        #expect(Self.series(result, "lat_bucket", ["le": "0.05"]).first?.exemplars.isEmpty == true)

        let counter = Metric(name: "reqs", data: .sum(SumData(points: [NumberDataPoint(header: Self.header(Self.t0, exemplars: [exemplars[1]]), value: .int(4))],
                                                             temporality: .cumulative, isMonotonic: true)))
        let counted = OTLPPrometheusTranslator().translate(Self.batch([counter]))
        #expect(Self.series(counted, "reqs_total").first?.exemplars.first?.labels["trace_id"] == trace.hex)
    }

    @Test func unspecifiedTemporalityIsDropped() {
        let result = OTLPPrometheusTranslator().translate(Self.batch([Self.counter("x", 1, at: Self.t0, temporality: .unspecified)]))
        #expect(result.samples.sampleCount == 0)
        #expect(result.dropped.first?.contains("unspecified") == true)
    }
}
