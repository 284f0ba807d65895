import KansokuModel

/// Richly populated batches for the WAL encoding tests: every field set to
/// something other than its default, every enum case and value kind present.
enum WALEncodingFixtures {
    /// Every `AttributeValue` case, including nested containers and edge values.
    static let everyValue: [Attribute] = [
        Attribute(key: "empty", value: .empty),
        Attribute(key: "string", value: .string("héllo, 世界 🌍 \u{0}\n\"quoted\"")),
        Attribute(key: "empty.string", value: .string("")),
        Attribute(key: "true", value: .bool(true)),
        Attribute(key: "false", value: .bool(false)),
        Attribute(key: "int.min", value: .int(.min)),
        Attribute(key: "int.max", value: .int(.max)),
        Attribute(key: "int.negative", value: .int(-1)),
        Attribute(key: "double", value: .double(3.141592653589793)),
        Attribute(key: "double.subnormal", value: .double(.leastNonzeroMagnitude)),
        Attribute(key: "double.max", value: .double(.greatestFiniteMagnitude)),
        Attribute(key: "double.-inf", value: .double(-.infinity)),
        Attribute(key: "bytes", value: .bytes([0, 1, 0x7F, 0x80, 0xFF])),
        Attribute(key: "bytes.empty", value: .bytes([])),
        Attribute(key: "array", value: .array([.int(1), .string("two"), .array([.bool(true), .empty]), .bytes([9])])),
        Attribute(key: "kvlist", value: .keyValueList([
            Attribute(key: "inner", value: .double(-2.5)),
            Attribute(key: "nested", value: .keyValueList([Attribute(key: "deep", value: .array([]))])),
        ])),
        Attribute(key: "", value: .string("empty key")),
    ]

    static let resource = Resource(attributes: [
        Attribute(key: "service.name", value: .string("checkout")),
        Attribute(key: "service.version", value: .string("1.2.3")),
        Attribute(key: "host.cpus", value: .int(8)),
    ], droppedAttributesCount: 2)

    static let scope = InstrumentationScope(
        name: "io.opentelemetry.http", version: "0.9.1",
        attributes: [Attribute(key: "scope.attr", value: .bool(true))], droppedAttributesCount: 1)

    static let traceID = TraceID(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210)

    static func span(_ index: UInt64) -> Span {
        Span(
            traceID: traceID, spanID: SpanID(0x1000 + index), parentSpanID: index == 0 ? .zero : SpanID(0x1000),
            traceState: "vendor=value,other=1", flags: 0x301, name: "GET /cart/\(index)",
            kind: SpanKind(rawValue: Int32(index % 6)) ?? .server,
            startTimeUnixNano: 1_700_000_000_000_000_000 + index, endTimeUnixNano: .max,
            attributes: everyValue, droppedAttributesCount: 3,
            events: [
                SpanEvent(timeUnixNano: 1_700_000_000_000_000_500, name: "exception",
                          attributes: [Attribute(key: "exception.message", value: .string("boom"))], droppedAttributesCount: 4),
                SpanEvent(timeUnixNano: 0, name: ""),
            ],
            droppedEventsCount: 5,
            links: [
                SpanLink(traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), traceState: "k=v", flags: .max,
                         attributes: [Attribute(key: "link.kind", value: .string("follows"))], droppedAttributesCount: 6),
            ],
            droppedLinksCount: .max,
            status: SpanStatus(code: SpanStatus.Code(rawValue: Int32(index % 3)) ?? .error, message: "status ✓"))
    }

    static let spanBatch = SpanBatch(resources: [
        ResourceItems(resource: resource, schemaURL: "https://opentelemetry.io/schemas/1.26.0", scopes: [
            ScopedItems(scope: scope, schemaURL: "https://opentelemetry.io/schemas/1.24.0", items: (0..<6).map(span)),
            ScopedItems(scope: InstrumentationScope(), items: []),
        ]),
        ResourceItems(resource: Resource(), scopes: []),
        ResourceItems(resource: Resource(attributes: [Attribute(key: "service.name", value: .string("cart"))]), scopes: [
            ScopedItems(scope: InstrumentationScope(name: "minimal"), items: [
                Span(traceID: .zero, spanID: .zero, name: "", startTimeUnixNano: 0, endTimeUnixNano: 0),
            ]),
        ]),
    ])

    static let logBatch = LogBatch(resources: [
        ResourceItems(resource: resource, schemaURL: "https://opentelemetry.io/schemas/1.26.0", scopes: [
            ScopedItems(scope: scope, schemaURL: "scope-schema", items: [
                LogRecord(timeUnixNano: 1_700_000_000_000_000_001, observedTimeUnixNano: .max, severityNumber: 17,
                          severityText: "ERROR", body: .string("payment failed: \"card declined\""),
                          attributes: everyValue, droppedAttributesCount: 7, flags: 1,
                          traceID: traceID, spanID: SpanID(42), eventName: "payment.failed"),
                LogRecord(severityNumber: -5, body: .keyValueList(everyValue)),
                LogRecord(severityNumber: .min, body: .array([.double(.infinity), .bytes([1, 2, 3])])),
                LogRecord(severityNumber: .max, body: .empty, flags: .max),
                LogRecord(),
            ]),
        ]),
    ])

    /// An array value nested `levels` containers deep (alternating arrays and kvlists).
    static func nested(levels: Int) -> AttributeValue {
        var value = AttributeValue.string("core")
        for level in 0..<levels {
            value = level.isMultiple(of: 2) ? .array([value]) : .keyValueList([Attribute(key: "k\(level)", value: value)])
        }
        return value
    }
}

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct WALEncodingRandomGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
