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
}
