import KansokuModel
import Testing
@testable import KansokuQuery

@Suite("TraceQL span hints: necessary conditions, lean criteria, three-valued span tests")
struct TraceQLSpanHintsTests {
    static func hints(_ query: String) throws -> TraceQLSpanHints {
        TraceQLSpanHints(try TraceQLParser.parse(query))
    }

    /// The condition inside `{ text }`.
    static func condition(_ text: String) throws -> TraceQLFieldExpr {
        guard case .filter(let condition?) = try TraceQLParser.parse("{ \(text) }").root else {
            Issue.record("not a filter: \(text)")
            return .constant(true)
        }
        return condition
    }

    // MARK: Necessary conditions

    static let necessary: [(query: String, condition: String?)] = [
        ("{ }", nil),
        (#"{ resource.service.name = "cart" }"#, #"resource.service.name = "cart""#),
        // &&: either side; the one with more lean criteria, the left on a tie, a present one over none.
        (#"{ kind = server } && { resource.service.name = "cart" && name = "x" }"#, #"resource.service.name = "cart" && name = "x""#),
        ("{ span.a = 1 } && { span.b = 2 }", "span.a = 1"),
        ("{ kind = server } && { status = error }", "kind = server"),
        ("{ } && { span.b = 2 }", "span.b = 2"),
        ("{ span.a = 1 } && { }", "span.a = 1"),
        ("{ kind = server } && { false }", "false"),
        // ||: both sides, or nothing.
        ("{ kind = server } || { status = error }", "kind = server || status = error"),
        ("{ kind = server } || { }", nil),
        ("{ } || { kind = server }", nil),
        // Structural: the right side, unless the left has strictly more criteria or the right has none.
        (#"{ kind = server } > { name = "q" }"#, #"name = "q""#),
        (#"{ kind = server } >> { name = "q" }"#, #"name = "q""#),
        (#"{ kind = server } ~ { name = "q" }"#, #"name = "q""#),
        (#"{ resource.service.name = "cart" } > { }"#, #"resource.service.name = "cart""#),
        (#"{ resource.service.name = "cart" && kind = server } >> { name = "q" }"#,
         #"resource.service.name = "cart" && kind = server"#),
        ("{ } > { }", nil),
        // Pipelines.
        ("{ status = error } | count() > 2", "status = error"),
        ("{ } | count() > 2", nil),
        ("{ status = error } | { kind = client }", "status = error && kind = client"),
        ("{ } | { kind = client }", "kind = client"),
        // The stage keeps spans of either side of &&, so only "one of them, and client" holds for its spans.
        ("({ status = error } && { span.x = 1 }) | { kind = client }", "(status = error || span.x = 1) && kind = client"),
        // A stage after >: its spans are right-hand spans.
        (#"({ kind = server } > { name = "q" }) | { status = ok }"#, #"name = "q" && status = ok"#),
        ("({ status = error } | count() > 1) && { kind = producer }", "status = error"),
    ]

    @Test(arguments: necessary)
    func necessaryCondition(_ query: String, _ expected: String?) throws {
        let found = try Self.hints(query).condition
        #expect(found == (try expected.map(Self.condition)), "\(query): \(found.map(\.description) ?? "nil")")
    }

    // MARK: Lean criteria

    @Test func everyCriterionFromAConjunction() throws {
        let hints = try Self.hints(#"{ resource.service.name = "cart" && name = "GET" && duration > 10ms "#
                                   + "&& duration <= 1s && status = error && kind = server }")
        #expect(hints.criteria.services == ["cart"])
        #expect(hints.criteria.spanNames == ["GET"])
        #expect(hints.criteria.minDurationNanos == 10_000_001)
        #expect(hints.criteria.maxDurationNanos == 1_000_000_000)
        #expect(hints.criteria.statusCodes == [.error])
        #expect(hints.criteria.kinds == [.server])
        #expect(hints.criteria.strength == 5)
        #expect(hints.criteriaAreExact)
        #expect(!hints.criteria.isUnsatisfiable)
    }

    @Test func durationBounds() throws {
        var c = try Self.hints("{ duration >= 10ms && duration < 1s }").criteria
        #expect(c.minDurationNanos == 10_000_000 && c.maxDurationNanos == 999_999_999)
        c = try Self.hints("{ duration = 5ms }").criteria
        #expect(c.minDurationNanos == 5_000_000 && c.maxDurationNanos == 5_000_000)
        c = try Self.hints("{ duration > 1ms && duration > 3ms && duration < 9ms && duration <= 7ms }").criteria
        #expect(c.minDurationNanos == 3_000_001 && c.maxDurationNanos == 7_000_000)
        #expect(try Self.hints("{ duration != 5ms }").criteriaAreExact == false)
        #expect(try Self.hints("{ duration != 5ms }").criteria == TraceQLLeanCriteria())
    }

    @Test func uncertainComparisonsGiveNoCriteria() throws {
        for query in [#"{ .service.name = "cart" }"#, #"{ span.service.name = "cart" }"#, #"{ resource.service.name != "cart" }"#,
                      #"{ resource.service.name =~ "cart" }"#, #"{ name =~ "GET.*" }"#, "{ status != error }",
                      "{ kind = server || kind = client }", #"{ rootServiceName = "cart" }"#, "{ traceDuration > 1s }",
                      "{ span.http.status_code = 500 }", #"{ name > "a" }"#] {
            let hints = try Self.hints(query)
            #expect(hints.criteria == TraceQLLeanCriteria(), "\(query)")
            #expect(!hints.criteriaAreExact, "\(query)")
        }
    }

    @Test func partialCapture() throws {
        let hints = try Self.hints(#"{ name = "GET" && span.http.status_code = 500 }"#)
        #expect(hints.criteria.spanNames == ["GET"])
        #expect(!hints.criteriaAreExact, "the attribute still needs the span test")
        // A resource without service.name is service "" to a store, which the comparison would not match.
        let empty = try Self.hints(#"{ resource.service.name = "" }"#)
        #expect(empty.criteria.services == [""])
        #expect(!empty.criteriaAreExact)
        #expect(try Self.hints("{ true && kind = client }").criteriaAreExact)
        #expect(try Self.hints("{ }").criteriaAreExact)
    }

    @Test func contradictions() throws {
        for query in [#"{ name = "a" && name = "b" }"#, "{ duration > 5ms && duration < 5ms }", "{ duration < 0ns }",
                      "{ false }", "{ kind = server && kind = client }", "{ status = ok && false }",
                      "{ kind = server } && { false }"] {
            #expect(try Self.hints(query).criteria.isUnsatisfiable, "\(query)")
        }
        #expect(try !Self.hints("{ duration <= 0ns }").criteria.isUnsatisfiable)
        // Nothing lasts longer than Int64.max (durations are clamped to it).
        let field = TraceQLField.intrinsic(.duration)
        let beyond = TraceQLLeanCriteria.implied(by: .comparison(TraceQLComparison(field: field, op: .greater, value: .duration(.max))))
        #expect(beyond.criteria.isUnsatisfiable && beyond.exact)
        let below = TraceQLLeanCriteria.implied(by: .comparison(TraceQLComparison(field: field, op: .less, value: .duration(.min))))
        #expect(below.criteria.isUnsatisfiable && below.exact)
    }

    @Test func sufficiency() throws {
        #expect(try Self.hints("{ kind = server }").conditionIsSufficient)
        #expect(try Self.hints("{ }").conditionIsSufficient)
        #expect(try Self.hints("{ kind = server } || { span.a = 1 }").conditionIsSufficient)
        #expect(try !Self.hints(#"{ rootName = "x" }"#).conditionIsSufficient)
        #expect(try !Self.hints("{ kind = server } && { span.a = 1 }").conditionIsSufficient)
        #expect(try !Self.hints("{ kind = server } > { }").conditionIsSufficient)
        #expect(try !Self.hints("{ kind = server } | count() > 1").conditionIsSufficient)
    }

    // MARK: Three-valued span test

    static let server = TraceQLFixture.span(1, parent: 0, "GET /cart", .server, 0, 300, [Attribute(key: "n", value: .int(3))])
    static let resource = TraceQLFixture.resource("frontend", [])

    @Test func threeValuedLogic() throws {
        func truth(_ text: String) throws -> TraceQLSpanHints.Truth {
            // Hints of the condition itself, so its regular expressions are compiled.
            try Self.hints("{ \(text) }").truth(of: try Self.condition(text), span: Self.server, resource: Self.resource)
        }
        #expect(try truth(#"rootName = "x""#) == .unknown)
        #expect(try truth("traceDuration > 1s") == .unknown)
        #expect(try truth(#"trace:rootService = "frontend""#) == .unknown)
        #expect(try truth("kind = server") == .yes)
        #expect(try truth("kind = client") == .no)
        #expect(try truth(#"rootName = "x" && kind = client"#) == .no)
        #expect(try truth(#"kind = client && rootName = "x""#) == .no)
        #expect(try truth(#"rootName = "x" && kind = server"#) == .unknown)
        #expect(try truth(#"rootName = "x" || kind = client"#) == .unknown)
        #expect(try truth(#"rootName = "x" || kind = server"#) == .yes)
        #expect(try truth(#"kind = server || rootName = "x""#) == .yes)
        #expect(try truth("kind = client || false") == .no)
        #expect(try truth(#"(rootName = "x" || kind = client) && span.n = 3"#) == .unknown)
        #expect(try truth(#"name =~ "GET.*" && .n > 2 && resource.service.name = "frontend""#) == .yes)
        #expect(try truth(#"name !~ "GET.*""#) == .no)
    }

    @Test func mayMatchTreatsUnknownAsPossible() throws {
        let client = TraceQLFixture.span(2, parent: 1, "call", .client, 10, 20)
        let hints = try Self.hints(#"{ rootServiceName = "nobody" && kind = server }"#)
        #expect(hints.mayMatch(span: Self.server, resource: Self.resource))
        #expect(!hints.mayMatch(span: client, resource: Self.resource))
        #expect(try Self.hints("{ }").mayMatch(span: client, resource: Self.resource))
        #expect(try !Self.hints("{ false }").mayMatch(span: client, resource: Self.resource))
        // A pattern that does not compile fails either way, as in the evaluator.
        let broken = TraceQLSpanHints(TraceQLQuery(root: .filter(.comparison(
            TraceQLComparison(field: .intrinsic(.name), op: .regexNoMatch, value: .string("("))))))
        #expect(!broken.mayMatch(span: Self.server, resource: Self.resource))
    }
}
