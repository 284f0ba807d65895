import KansokuModel

/// Batches for the debug rendering tests.
enum DebugRenderingFixtures {
    static let traceA = TraceID(high: 0x0AF7_6519_16CD_43DD, low: 0x8448_EB21_1C80_319C)
    static let traceB = TraceID(high: 1, low: 2)

    static let checkout = Resource(attributes: [
        Attribute(key: "service.name", value: .string("checkout")),
        Attribute(key: "host.cpus", value: .int(8)),
    ])
    static let cart = Resource(attributes: [Attribute(key: "service.name", value: .string("cart"))])
    static let scope = InstrumentationScope(name: "io.otel.http", version: "1.0.0",
                                            attributes: [Attribute(key: "scope.flag", value: .bool(true))])

    /// One attribute of every value kind.
    static let everyValue: [Attribute] = [
        Attribute(key: "string", value: .string("v\"1\"")),
        Attribute(key: "int", value: .int(-42)),
        Attribute(key: "double", value: .double(2.5)),
        Attribute(key: "nan", value: .double(.nan)),
        Attribute(key: "bool", value: .bool(true)),
        Attribute(key: "bytes", value: .bytes([0xDE, 0xAD, 0xBE, 0xEF])),
        Attribute(key: "array", value: .array([.int(1), .string("two"), .empty])),
        Attribute(key: "kvlist", value: .keyValueList([Attribute(key: "inner", value: .double(-0.5))])),
        Attribute(key: "empty", value: .empty),
    ]

    static let spanBatch = SpanBatch(resources: [
        ResourceItems(resource: checkout, scopes: [
            ScopedItems(scope: scope, items: [
                Span(traceID: traceA, spanID: SpanID(0xB7AD_6B71_6920_3331), parentSpanID: .zero,
                     traceState: "k=v", flags: 1, name: "GET /cart", kind: .server,
                     startTimeUnixNano: 1_700_000_000_000_000_001, endTimeUnixNano: 1_700_000_000_500_000_000,
                     attributes: everyValue,
                     events: [SpanEvent(timeUnixNano: 1_700_000_000_100_000_000, name: "exception",
                                        attributes: [Attribute(key: "exception.message", value: .string("boom"))])],
                     links: [SpanLink(traceID: traceB, spanID: SpanID(3), traceState: "x=y",
                                      attributes: [Attribute(key: "link", value: .int(1))])],
                     status: SpanStatus(code: .error, message: "failed")),
                Span(traceID: traceB, spanID: SpanID(0x10), parentSpanID: SpanID(0xB7AD_6B71_6920_3331),
                     name: "SELECT", kind: .client, startTimeUnixNano: 5, endTimeUnixNano: 6),
            ]),
        ]),
        ResourceItems(resource: cart, scopes: [
            ScopedItems(scope: InstrumentationScope(name: "cart.lib"), items: [
                Span(traceID: traceA, spanID: SpanID(0x20), name: "cart.add", startTimeUnixNano: 7, endTimeUnixNano: 8),
            ]),
        ]),
    ])

    static let logBatch = LogBatch(resources: [
        ResourceItems(resource: checkout, scopes: [
            ScopedItems(scope: scope, items: [
                LogRecord(timeUnixNano: 1_700_000_000_000_000_001, observedTimeUnixNano: 1_700_000_000_000_000_002,
                          severityNumber: 17, severityText: "ERROR", body: .string("payment failed\n"),
                          attributes: everyValue, flags: 1, traceID: traceA, spanID: SpanID(0x42), eventName: "payment.failed"),
                LogRecord(observedTimeUnixNano: 9, severityNumber: 9, body: .keyValueList([
                    Attribute(key: "msg", value: .string("structured")), Attribute(key: "n", value: .int(3)),
                ])),
            ]),
        ]),
    ])

    static func header(_ time: UInt64, exemplar: Bool = false) -> DataPointHeader {
        DataPointHeader(attributes: [Attribute(key: "route", value: .string("/cart"))],
                        startTimeUnixNano: time - 100, timeUnixNano: time,
                        exemplars: exemplar ? [Exemplar(filteredAttributes: [Attribute(key: "user", value: .string("u1"))],
                                                        timeUnixNano: time - 1, value: .double(0.25),
                                                        traceID: traceA, spanID: SpanID(7))] : [])
    }

    static let metricBatch = MetricBatch(resources: [
        ResourceItems(resource: checkout, scopes: [
            ScopedItems(scope: scope, items: [
                Metric(name: "queue.depth", description: "Items waiting", unit: "{item}", data: .gauge([
                    NumberDataPoint(header: header(1_000), value: .int(7)),
                    NumberDataPoint(header: header(2_000), value: .double(.infinity)),
                ])),
                Metric(name: "requests", unit: "1", data: .sum(SumData(points: [
                    NumberDataPoint(header: header(3_000, exemplar: true), value: .int(12)),
                ], temporality: .cumulative, isMonotonic: true))),
                Metric(name: "latency", unit: "ms", data: .histogram(HistogramData(points: [
                    HistogramDataPoint(header: header(4_000), count: 6, sum: 12.5, bucketCounts: [1, 2, 3],
                                       explicitBounds: [1, 2.5], min: 0, max: 9.75),
                    HistogramDataPoint(header: header(5_000), count: 0, sum: nil, bucketCounts: [], explicitBounds: []),
                ], temporality: .delta))),
                Metric(name: "latency.exp", data: .exponentialHistogram(ExponentialHistogramData(points: [
                    ExponentialHistogramDataPoint(header: header(6_000), count: 4, sum: 3.5, scale: -2, zeroCount: 1,
                                                  positive: .init(offset: -3, bucketCounts: [1, 2]),
                                                  negative: .init(offset: 4, bucketCounts: [1]), min: -1, max: nil),
                ], temporality: .unspecified))),
                Metric(name: "rpc.summary", data: .summary([
                    SummaryDataPoint(header: header(7_000), count: 3, sum: 7.25, quantiles: [
                        .init(quantile: 0.5, value: 2), .init(quantile: 0.99, value: 4.5),
                    ]),
                ])),
            ]),
        ]),
        ResourceItems(resource: cart, scopes: [
            ScopedItems(scope: InstrumentationScope(), items: [
                Metric(name: "cart.size", data: .gauge([NumberDataPoint(header: header(8_000), value: .int(1))])),
            ]),
        ]),
    ])
}
