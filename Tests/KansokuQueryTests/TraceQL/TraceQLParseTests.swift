import KansokuModel
import Testing
@testable import KansokuQuery

/// Queries Grafana's Tempo query builder and users write, which must parse.
@Suite("TraceQL parsing")
struct TraceQLParseTests {
    static let validQueries: [String] = [
        "{}",
        "{ }",
        #"{resource.service.name="frontend" && span.http.status_code>=500}"#,
        #"{name="GET /cart" && duration>100ms}"#,
        "{status=error}",
        "{ status = ok }",
        "{ status != unset }",
        "{ kind = server }",
        "{ kind=client || kind=producer || kind=consumer || kind=internal || kind=unspecified }",
        "{ duration > 1.5s }",
        "{ duration >= 2m && duration <= 1h30m }",
        "{ duration < 500us || duration < 10ns }",
        #"{ .http.method = "GET" }"#,
        #"{ span."http.method" = "POST" }"#,
        #"{ resource."k8s.pod.name" =~ "cart-.*" }"#,
        #"{ span.http.url !~ ".*health.*" }"#,
        "{ span.http.status_code != 200 }",
        "{ span.ratio > 0.25 && span.retries <= 3 }",
        "{ span.cached = true || span.cached = false }",
        "{ span.temperature > -5 && span.offset >= -1.5 }",
        #"{ rootServiceName = "frontend" }"#,
        #"{ rootName = "GET /" && traceDuration > 2s }"#,
        #"{ statusMessage = "deadline exceeded" }"#,
        #"{ (span.a = "x" || span.b = "y") && resource.c = "z" }"#,
        #"{ resource.service.name = `cart` && span.path = `C:\temp` }"#,
        #"{ resource.service.name = "frontend" } && { resource.service.name = "cart" }"#,
        "{ status = error } || { duration > 1s }",
        #"{ resource.service.name = "frontend" } > { resource.service.name = "cart" }"#,
        #"{ name = "GET /cart" } >> { kind = server }"#,
        #"{ span.db.system = "redis" } ~ { span.messaging.system = "kafka" }"#,
        "{ } | count() > 2",
        "{ status = error } | avg(duration) > 100ms",
        #"{ resource.service.name = "cart" } | { kind = client } | max(span.http.status_code) >= 500"#,
        "({ kind = server } | count() = 1) && { kind = client }",
        "{ span.db.system = nil } || { span.db.system != nil }",
        #"{ span:duration > 1s && span:name = "x" && trace:rootService = "y" && trace:duration < 1m }"#,
        "{\n  resource.service.name = \"api\"\n  && span.http.status_code >= 400\n}",
    ]

    @Test(arguments: validQueries)
    func parses(_ query: String) throws {
        let parsed = try TraceQLParser.parse(query)
        // The canonical form must itself parse back to the same tree.
        #expect(try TraceQLParser.parse(parsed.description) == parsed, "\(parsed)")
    }

    @Test func emptySpanset() throws {
        #expect(try TraceQLParser.parse("{}").root == .filter(nil))
    }

    @Test func builderQuery() throws {
        let query = try TraceQLParser.parse(#"{resource.service.name="frontend" && span.http.status_code>=500}"#)
        #expect(query.root == .filter(.and(
            .comparison(TraceQLComparison(field: .attribute(scope: .resource, name: "service.name"), op: .equal,
                                          value: .string("frontend"))),
            .comparison(TraceQLComparison(field: .attribute(scope: .span, name: "http.status_code"), op: .greaterOrEqual,
                                          value: .int(500)))
        )))
    }

    @Test func intrinsicsAndKeywords() throws {
        let query = try TraceQLParser.parse("{ status = error && kind = internal && duration > 1.5s && traceDuration < 2m }")
        #expect(query.root == .filter(.and(.and(.and(
            .comparison(TraceQLComparison(field: .intrinsic(.status), op: .equal, value: .status(.error))),
            .comparison(TraceQLComparison(field: .intrinsic(.kind), op: .equal, value: .kind(.internal)))),
            .comparison(TraceQLComparison(field: .intrinsic(.duration), op: .greater, value: .duration(1_500_000_000)))),
            .comparison(TraceQLComparison(field: .intrinsic(.traceDuration), op: .less, value: .duration(120_000_000_000)))
        )))
    }

    @Test(arguments: [("10ns", Int64(10)), ("500us", 500_000), ("100ms", 100_000_000), ("1.5s", 1_500_000_000),
                      ("2m", 120_000_000_000), ("1h30m", 5_400_000_000_000), ("0.5ms", 500_000)])
    func durationLiterals(_ text: String, _ nanos: Int64) throws {
        let query = try TraceQLParser.parse("{ duration = \(text) }")
        #expect(query.root == .filter(.comparison(TraceQLComparison(field: .intrinsic(.duration), op: .equal,
                                                                    value: .duration(nanos)))))
    }

    @Test func attributeNames() throws {
        func field(_ q: String) throws -> TraceQLField? {
            guard case .filter(.comparison(let c)?) = try TraceQLParser.parse(q).root else { return nil }
            return c.field
        }
        #expect(try field(#"{ span."http.method" = "GET" }"#) == .attribute(scope: .span, name: "http.method"))
        #expect(try field(#"{ span."with space" = "GET" }"#) == .attribute(scope: .span, name: "with space"))
        #expect(try field(#"{ ."x" = 1 }"#) == .attribute(scope: .unscoped, name: "x"))
        #expect(try field(#"{ .k8s.pod-name = "a" }"#) == .attribute(scope: .unscoped, name: "k8s.pod-name"))
        #expect(try field(#"{ resource.service.name="a" }"#) == .attribute(scope: .resource, name: "service.name"))
        #expect(try field(#"{ span.name = "a" }"#) == .attribute(scope: .span, name: "name"))
        #expect(try field(#"{ name = "a" }"#) == .intrinsic(.name))
    }

    @Test func stringLiterals() throws {
        func value(_ q: String) throws -> TraceQLStatic? {
            guard case .filter(.comparison(let c)?) = try TraceQLParser.parse(q).root else { return nil }
            return c.value
        }
        #expect(try value(#"{ .a = "say \"hi\"\n\t\\ \u00e9" }"#) == .string("say \"hi\"\n\t\\ é"))
        #expect(try value(#"{ .a = `raw \n "quoted"` }"#) == .string(#"raw \n "quoted""#))
        #expect(try value("{ .a = 1.25 }") == .float(1.25))
        #expect(try value("{ .a = -7 }") == .int(-7))
        #expect(try value("{ .a = true }") == .bool(true))
        #expect(try value("{ .a = nil }") == .nil)
    }

    @Test func precedence() throws {
        // && binds tighter than || inside a filter...
        let inner = try TraceQLParser.parse("{ .a = 1 || .b = 2 && .c = 3 }")
        #expect(inner.description == "{ (.a = 1 || (.b = 2 && .c = 3)) }")
        // ...and between span sets; structural operators bind tightest, pipes loosest.
        let outer = try TraceQLParser.parse("{ .a = 1 } || { .b = 2 } && { .c = 3 } > { .d = 4 } | count() > 1")
        #expect(outer.description == "(({ .a = 1 } || ({ .b = 2 } && ({ .c = 3 } > { .d = 4 }))) | count() > 1)")
        let chain = try TraceQLParser.parse("{ .a = 1 } > { .b = 2 } >> { .c = 3 }")
        #expect(chain.description == "(({ .a = 1 } > { .b = 2 }) >> { .c = 3 })")
    }
}
