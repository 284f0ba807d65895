import KansokuModel
import Testing
@testable import KansokuQuery

/// A hand-built trace of three services:
///
/// ```
/// frontend  1 "GET /cart"         server   0–300ms  ok     http.status_code=200
///           └ 2 "call cart"       client  10–250ms  error  http.status_code=503 ("upstream failed")
/// cart          └ 3 "POST /cart/items" server 20–240ms error http.status_code=503, ratio=0.75, cached=false, env=canary
///                 ├ 4 "redis GET" client  30–35ms   db.system=redis
/// inventory       │ └ 6 "query"   server  31–34ms   db.rows=12
///                 │   └ 8 "compute" internal 32–33ms
/// cart            └ 5 "publish"   producer 40–45ms  messaging.system=kafka
/// inventory         └ 7 "consume order" consumer 50–100ms
/// ```
/// Resources: frontend (env=prod), cart (env=prod), inventory (env=staging, region=eu).
enum TraceQLFixture {
    static let traceID = TraceID(high: 1, low: 2)
    static let ms: UInt64 = 1_000_000

    static func span(_ id: UInt64, parent: UInt64, _ name: String, _ kind: SpanKind, _ start: UInt64, _ end: UInt64,
                     status: SpanStatus = SpanStatus(), _ attributes: [Attribute] = []) -> Span {
        Span(traceID: traceID, spanID: SpanID(id), parentSpanID: SpanID(parent), name: name, kind: kind,
             startTimeUnixNano: 1_000 * ms + start * ms, endTimeUnixNano: 1_000 * ms + end * ms,
             attributes: attributes, status: status)
    }

    static func resource(_ service: String, _ extra: [Attribute]) -> Resource {
        Resource(attributes: [Attribute(key: "service.name", value: .string(service))] + extra)
    }

    static func group(_ resource: Resource, _ spans: [Span]) -> ResourceItems<Span> {
        ResourceItems(resource: resource, scopes: [ScopedItems(scope: InstrumentationScope(name: "test"), items: spans)])
    }

    static let trace: SpanBatch = SpanBatch(resources: [
        group(resource("frontend", [Attribute(key: "env", value: .string("prod"))]), [
            span(1, parent: 0, "GET /cart", .server, 0, 300, status: SpanStatus(code: .ok),
                 [Attribute(key: "http.method", value: .string("GET")), Attribute(key: "http.status_code", value: .int(200))]),
            span(2, parent: 1, "call cart", .client, 10, 250, status: SpanStatus(code: .error, message: "upstream failed"),
                 [Attribute(key: "http.status_code", value: .int(503)), Attribute(key: "peer.service", value: .string("cart"))]),
        ]),
        group(resource("cart", [Attribute(key: "env", value: .string("prod"))]), [
            span(3, parent: 2, "POST /cart/items", .server, 20, 240, status: SpanStatus(code: .error),
                 [Attribute(key: "http.status_code", value: .int(503)), Attribute(key: "ratio", value: .double(0.75)),
                  Attribute(key: "cached", value: .bool(false)), Attribute(key: "env", value: .string("canary"))]),
            span(4, parent: 3, "redis GET", .client, 30, 35, [Attribute(key: "db.system", value: .string("redis"))]),
            span(5, parent: 3, "publish", .producer, 40, 45, [Attribute(key: "messaging.system", value: .string("kafka"))]),
        ]),
        group(resource("inventory", [Attribute(key: "env", value: .string("staging")),
                                     Attribute(key: "region", value: .string("eu"))]), [
            span(6, parent: 4, "query", .server, 31, 34, [Attribute(key: "db.rows", value: .int(12))]),
            span(7, parent: 5, "consume order", .consumer, 50, 100),
            span(8, parent: 6, "compute", .internal, 32, 33),
        ]),
    ])
}

@Suite("TraceQL evaluation")
struct TraceQLEvaluatorTests {
    static let all: [UInt64] = [1, 2, 3, 4, 5, 6, 7, 8]

    static let cases: [(query: String, ids: [UInt64])] = [
        // Span sets and scopes
        ("{}", all),
        (#"{ resource.service.name = "cart" }"#, [3, 4, 5]),
        (#"{ resource.service.name != "cart" }"#, [1, 2, 6, 7, 8]),
        (#"{ resource.region = "eu" }"#, [6, 7, 8]),
        (#"{ resource.region != "us" }"#, [6, 7, 8]),
        (#"{ .region = "eu" }"#, [6, 7, 8]),
        (#"{ .env = "canary" }"#, [3]),
        (#"{ .env = "prod" }"#, [1, 2, 4, 5]),
        (#"{ span.env = "prod" }"#, []),
        (#"{ span."db.system" = "redis" }"#, [4]),
        (#"{ span.db.system = "redis" }"#, [4]),
        ("{ span.db.system = nil }", [1, 2, 3, 5, 6, 7, 8]),
        ("{ span.db.system != nil }", [4]),
        // Numbers, booleans, strings
        ("{ span.http.status_code >= 500 }", [2, 3]),
        ("{ span.http.status_code != 200 }", [2, 3]),
        ("{ .http.status_code = 503.0 }", [2, 3]),
        (#"{ span.http.status_code != "503" }"#, []),
        ("{ span.http.status_code < 300 }", [1]),
        ("{ span.ratio > 0.5 }", [3]),
        ("{ span.ratio < 1 }", [3]),
        ("{ span.ratio <= 0.75 && span.ratio >= 0.75 }", [3]),
        ("{ span.db.rows > 11.5 }", [6]),
        ("{ span.cached = false }", [3]),
        ("{ span.cached != true }", [3]),
        ("{ true }", all),
        ("{ false }", []),
        // Intrinsics
        (#"{ name = "GET /cart" }"#, [1]),
        (#"{ name != "GET /cart" }"#, [2, 3, 4, 5, 6, 7, 8]),
        (#"{ name =~ "GET.*" }"#, [1]),
        (#"{ name =~ "GET" }"#, []),
        (#"{ name =~ "GET /car{1,3}t" }"#, [1]),
        (#"{ name =~ "GET /cart{,3}" }"#, []),  // Go reads `{,3}` as text, not as a repeat
        (#"{ name !~ ".*cart.*" }"#, [4, 5, 6, 7, 8]),
        (#"{ name > "q" }"#, [4, 6]),
        ("{ status = error }", [2, 3]),
        ("{ status = ok }", [1]),
        ("{ status = unset }", [4, 5, 6, 7, 8]),
        ("{ status != unset }", [1, 2, 3]),
        (#"{ statusMessage = "upstream failed" }"#, [2]),
        ("{ kind = server }", [1, 3, 6]),
        ("{ kind = client }", [2, 4]),
        ("{ kind = producer }", [5]),
        ("{ kind = consumer }", [7]),
        ("{ kind = internal }", [8]),
        ("{ kind = unspecified }", []),
        ("{ kind != server }", [2, 4, 5, 7, 8]),
        ("{ duration > 100ms }", [1, 2, 3]),
        ("{ duration > 0.2s }", [1, 2, 3]),
        ("{ duration >= 50ms && duration < 1s }", [1, 2, 3, 7]),
        ("{ duration <= 3ms }", [6, 8]),
        ("{ duration = 5ms }", [4, 5]),
        ("{ duration < 2000us }", [8]),
        ("{ duration > 999999ns }", all),
        ("{ span:duration > 100ms }", [1, 2, 3]),
        (#"{ rootServiceName = "frontend" }"#, all),
        (#"{ rootServiceName = "cart" }"#, []),
        (#"{ trace:rootService = "frontend" && kind = producer }"#, [5]),
        (#"{ rootName = "GET /cart" }"#, all),
        ("{ traceDuration = 300ms }", all),
        ("{ traceDuration > 1s }", []),
        // && / || / parentheses inside a filter
        (#"{ (kind = server || kind = client) && resource.service.name = "cart" }"#, [3, 4]),
        (#"{ kind = server || kind = client && resource.service.name = "cart" }"#, [1, 3, 4, 6]),
        // Span set operators
        ("{ status = error } && { kind = consumer }", [2, 3, 7]),
        ("{ status = error } && { kind = unspecified }", []),
        ("{ kind = producer } || { kind = unspecified }", [5]),
        ("{ kind = producer } || { kind = consumer }", [5, 7]),
        (#"{ resource.service.name = "frontend" } > { resource.service.name = "cart" }"#, [3]),
        (#"{ name = "GET /cart" } > { }"#, [2]),
        (#"{ name = "GET /cart" } >> { kind = server }"#, [3, 6]),
        (#"{ resource.service.name = "inventory" } >> { resource.service.name = "cart" }"#, []),
        (#"{ resource.service.name = "cart" } >> { }"#, [4, 5, 6, 7, 8]),
        (#"{ name = "redis GET" } ~ { }"#, [5]),
        (#"{ name = "GET /cart" } ~ { }"#, []),
        ("{ kind = server } > { kind = client } > { kind = server }", [3, 6]),
        // Pipelines
        ("{ status = error } | count() > 1", [2, 3]),
        ("{ status = error } | count() > 2", []),
        ("{ status = error } | count() = 2", [2, 3]),
        ("{ } | avg(duration) > 100ms", all),
        ("{ } | avg(duration) > 104ms", []),
        ("{ } | max(duration) >= 300ms", all),
        ("{ kind = server } | min(duration) = 3ms", [1, 3, 6]),
        ("{ } | min(span.http.status_code) = 200", all),
        ("{ } | sum(span.http.status_code) = 1206", all),
        ("{ } | avg(span.ratio) < 0.5", []),
        (#"{ resource.service.name = "cart" } | { kind = client }"#, [4]),
        ("({ status = error } | count() = 2) && { kind = producer }", [2, 3, 5]),
        ("{ kind = unspecified } | count() = 0", []),
    ]

    @Test(arguments: cases)
    func matches(_ query: String, _ ids: [UInt64]) throws {
        let parsed = try TraceQLParser.parse(query)
        let spans = TraceQLEvaluator.matchingSpans(parsed, in: TraceQLFixture.trace)
        #expect(spans.map(\.spanID.value) == ids, "\(query)")
        #expect(TraceQLEvaluator.matches(parsed, in: TraceQLFixture.trace) == !ids.isEmpty)
    }

    @Test func emptyTraceNeverMatches() throws {
        #expect(TraceQLEvaluator.matchingSpans(try TraceQLParser.parse("{}"), in: SpanBatch()).isEmpty)
    }

    @Test func traceWithoutRootHasNoRootIntrinsics() throws {
        var trace = TraceQLFixture.trace
        trace.resources.removeFirst()  // drop the frontend root and its client span
        #expect(TraceQLEvaluator.matchingSpans(try TraceQLParser.parse(#"{ rootName != "x" }"#), in: trace).isEmpty)
        #expect(TraceQLEvaluator.matchingSpans(try TraceQLParser.parse("{ traceDuration = 220ms }"), in: trace).count == 6)
        // The parent of span 3 is not in the trace, so nothing is its child.
        #expect(TraceQLEvaluator.matchingSpans(try TraceQLParser.parse("{ } > { name = \"POST /cart/items\" }"), in: trace).isEmpty)
    }
}
