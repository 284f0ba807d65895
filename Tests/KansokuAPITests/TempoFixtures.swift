import Foundation
import KansokuModel

/// Spans shared by the Tempo response tests.
enum TempoFixtures {
    static let traceID = TraceID(hex: "5b8efff798038103d269b633813fc60c")!
    static let otherTraceID = TraceID(hex: "0000000000000000000000000000abcd")!

    /// One trace over two resources, using every field and every value case.
    static let trace: SpanBatch = {
        let root = Span(
            traceID: traceID, spanID: SpanID(0xEEE1_9B7E_C3C1_B173), traceState: "k=v", flags: 0x101,
            name: "GET /checkout", kind: .server,
            startTimeUnixNano: 1_544_712_660_000_000_000, endTimeUnixNano: 1_544_712_661_500_000_000,
            attributes: [
                Attribute(key: "http.method", value: .string("GET")),
                Attribute(key: "http.status_code", value: .int(200)),
                Attribute(key: "big", value: .int(-9_007_199_254_740_993)),
                Attribute(key: "ratio", value: .double(0.25)),
                Attribute(key: "cached", value: .bool(false)),
                Attribute(key: "raw", value: .bytes([0, 1, 2, 0xFF])),
                Attribute(key: "list", value: .array([.string("a"), .int(1), .array([])])),
                Attribute(key: "map", value: .keyValueList([Attribute(key: "inner", value: .bool(true)),
                                                            Attribute(key: "nothing", value: .empty)])),
                Attribute(key: "nothing", value: .empty),
                Attribute(key: "emptyString", value: .string("")),
            ],
            droppedAttributesCount: 1,
            events: [SpanEvent(timeUnixNano: 1_544_712_660_100_000_000, name: "retry",
                               attributes: [Attribute(key: "attempt", value: .int(2))], droppedAttributesCount: 3)],
            droppedEventsCount: 4,
            links: [SpanLink(traceID: otherTraceID, spanID: SpanID(0x42), traceState: "a=b", flags: 1,
                             attributes: [Attribute(key: "why", value: .string("follows"))], droppedAttributesCount: 5)],
            droppedLinksCount: 6,
            status: SpanStatus(code: .error, message: "boom"))
        let child = Span(
            traceID: traceID, spanID: SpanID(0x0000_0000_0000_0001), parentSpanID: root.spanID,
            name: "SELECT", kind: .client,
            startTimeUnixNano: 1_544_712_660_200_000_000, endTimeUnixNano: 1_544_712_660_300_000_000,
            attributes: [Attribute(key: "db.system", value: .string("postgresql"))],
            status: SpanStatus(code: .ok))
        let remote = Span(
            traceID: traceID, spanID: SpanID(0xABCD), parentSpanID: child.spanID,
            name: "query", kind: .internal,
            startTimeUnixNano: 1_544_712_660_210_000_000, endTimeUnixNano: 1_544_712_660_250_000_000)
        return SpanBatch(resources: [
            ResourceItems(
                resource: Resource(attributes: [Attribute(key: "service.name", value: .string("shop")),
                                                Attribute(key: "host.name", value: .string("h1"))],
                                   droppedAttributesCount: 2),
                schemaURL: "https://opentelemetry.io/schemas/1.21.0",
                scopes: [ScopedItems(scope: InstrumentationScope(name: "my.library", version: "1.0.0",
                                                                 attributes: [Attribute(key: "lib", value: .string("x"))],
                                                                 droppedAttributesCount: 7),
                                     schemaURL: "https://opentelemetry.io/schemas/1.20.0",
                                     items: [root, child])]),
            ResourceItems(
                resource: Resource(attributes: [Attribute(key: "service.name", value: .string("db"))]),
                scopes: [ScopedItems(scope: InstrumentationScope(), items: [remote])]),
        ])
    }()

    /// The spans of `trace`, in order.
    static var spans: [Span] { trace.resources.flatMap { $0.scopes.flatMap(\.items) } }

    /// Parses JSON bytes into Foundation objects.
    static func parse(_ bytes: [UInt8]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }
}
