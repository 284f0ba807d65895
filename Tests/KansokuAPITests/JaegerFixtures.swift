import KansokuModel

/// Traces for the Jaeger rendering and search tests.
enum JaegerFixtures {
    /// 2023-11-14T22:13:20Z in nanoseconds.
    static let base: UInt64 = 1_700_000_000_000_000_000
    static let ms: UInt64 = 1_000_000

    static func resource(_ service: String?, _ extra: [Attribute] = []) -> Resource {
        Resource(attributes: (service.map { [Attribute(key: "service.name", value: .string($0))] } ?? []) + extra)
    }

    static func batch(_ resource: Resource, scope: InstrumentationScope = InstrumentationScope(name: "test"),
                      _ spans: [Span]) -> SpanBatch {
        SpanBatch(resources: [ResourceItems(resource: resource, scopes: [ScopedItems(scope: scope, items: spans)])])
    }

    // MARK: The rich two-service trace

    static let richTrace = TraceID(high: 0x0AF7_6519_16CD_43DD, low: 0x8448_EB21_1C80_319C)
    static let linkedTrace = TraceID(high: 0, low: 0x42)
    static let frontend = resource("frontend", [
        Attribute(key: "host.name", value: .string("web-1")),
        Attribute(key: "process.pid", value: .int(4242)),
    ])
    static let backend = resource("backend", [
        Attribute(key: "k8s.labels", value: .array([.string("a"), .int(1)])),
    ])
    static let httpScope = InstrumentationScope(name: "io.otel.http", version: "1.2.0")
    static let dbScope = InstrumentationScope(name: "io.otel.db")

    static let root = Span(
        traceID: richTrace, spanID: SpanID(0x00F0_67AA_0BA9_02B7), traceState: "vendor=x", name: "GET /checkout",
        kind: .server, startTimeUnixNano: base + 1_500, endTimeUnixNano: base + 150 * ms + 1_500,
        attributes: [
            Attribute(key: "http.method", value: .string("GET")),
            Attribute(key: "http.status_code", value: .int(200)),
            Attribute(key: "ratio", value: .double(0.5)),
            Attribute(key: "cached", value: .bool(false)),
            Attribute(key: "payload", value: .bytes([0xDE, 0xAD, 0xBE, 0xEF])),
            Attribute(key: "list", value: .array([.int(1), .string("two")])),
            Attribute(key: "map", value: .keyValueList([Attribute(key: "inner", value: .bool(true))])),
            Attribute(key: "nothing", value: .empty),
        ],
        events: [SpanEvent(timeUnixNano: base + 10 * ms, name: "cache.miss",
                           attributes: [Attribute(key: "cache.key", value: .string("cart:7"))])],
        status: SpanStatus(code: .ok))

    static let query = Span(
        traceID: richTrace, spanID: SpanID(2), parentSpanID: root.spanID, name: "SELECT carts",
        kind: .client, startTimeUnixNano: base + 20 * ms, endTimeUnixNano: base + 70 * ms,
        attributes: [Attribute(key: "db.system", value: .string("postgresql"))],
        events: [SpanEvent(timeUnixNano: base + 69 * ms, name: "exception",
                           attributes: [Attribute(key: "exception.message", value: .string("reset"))])],
        links: [SpanLink(traceID: linkedTrace, spanID: SpanID(0x99))],
        status: SpanStatus(code: .error, message: "connection reset"))

    static let render = Span(
        traceID: richTrace, spanID: SpanID(3), parentSpanID: root.spanID, name: "render",
        startTimeUnixNano: base + 100 * ms, endTimeUnixNano: base + 140 * ms)

    /// The rich trace as a store returns it: frontend in two groups (same
    /// resource, two scopes), backend in between, the root stored twice.
    static let richBatch = SpanBatch(resources: [
        ResourceItems(resource: frontend, scopes: [ScopedItems(scope: httpScope, items: [render])]),
        ResourceItems(resource: backend, scopes: [ScopedItems(scope: dbScope, items: [query])]),
        ResourceItems(resource: frontend, scopes: [ScopedItems(scope: httpScope, items: [root, root])]),
    ])
}
