import KansokuModel
import Testing
@testable import KansokuQuery

/// The hints must never lose a match: every trace the evaluator matches has
/// a span that passes both the lean criteria and `mayMatch`. Checked over
/// every query of the evaluator's tests plus a few more, on several traces.
@Suite("TraceQL span hints agree with the evaluator")
struct TraceQLSpanHintsPropertyTests {
    typealias F = TraceQLFixture

    /// The fixture trace, the same without its root, a trace with awkward
    /// fields (a span attribute shadowing `service.name`, a resource without
    /// one, an end before its start), and a one-span trace.
    static let traces: [SpanBatch] = {
        var rootless = F.trace
        rootless.resources.removeFirst()
        let odd = SpanBatch(resources: [
            F.group(F.resource("frontend", []), [
                F.span(1, parent: 0, "GET /cart", .server, 0, 50, [Attribute(key: "service.name", value: .string("cart"))]),
                Span(traceID: F.traceID, spanID: SpanID(2), parentSpanID: SpanID(1), name: "wrapped", kind: .client,
                     startTimeUnixNano: 2_000 * F.ms, endTimeUnixNano: 1_000 * F.ms, status: SpanStatus(code: .error)),
            ]),
            F.group(Resource(attributes: [Attribute(key: "host.name", value: .string("h"))]), [
                F.span(3, parent: 1, "query", .internal, 10, 20, [Attribute(key: "db.rows", value: .int(3))]),
            ]),
        ])
        let single = SpanBatch(resources: [
            F.group(F.resource("cart", []), [F.span(1, parent: 0, "GET /cart", .server, 0, 5, status: SpanStatus(code: .ok))]),
        ])
        return [F.trace, rootless, odd, single]
    }()

    static let extraQueries = [
        #"{ .service.name = "cart" }"#,
        #"{ resource.service.name = "" }"#,
        #"{ span.service.name = "cart" && kind = server }"#,
        "{ duration > 1h }",
        "{ duration > 1000s && status = error }",
        #"{ name = "GET /cart" } && { name = "query" }"#,
        #"{ kind = server } >> { resource.service.name = "inventory" && duration < 5ms }"#,
        #"({ status = error } && { kind = client }) | { resource.service.name = "cart" }"#,
        #"{ rootName = "GET /cart" && kind = consumer }"#,
        #"{ traceDuration > 200ms } || { name = "nothing" }"#,
        "{ } | count() > 3",
        "{ duration > 100ms } | avg(duration) > 200ms",
        #"{ resource.service.name = "cart" } ~ { kind = producer }"#,
        #"{ resource.service.name = "frontend" && status = error } > { name =~ "POST.*" }"#,
        #"{ resource.service.name = "cart" && name = "POST /cart/items" && kind = server && status = error }"#,
        #"{ name = "redis GET" || name = "query" } && { kind = internal }"#,
    ]

    static var queries: [String] { TraceQLEvaluatorTests.cases.map(\.query) + extraQueries }

    @Test func everyMatchedTraceHasACandidateSpan() throws {
        var matchedPairs = 0
        for text in Self.queries {
            let query = try TraceQLParser.parse(text)
            let hints = TraceQLSpanHints(query)
            for (t, trace) in Self.traces.enumerated() {
                let spans = trace.resources.flatMap { group in group.scopes.flatMap(\.items).map { ($0, group.resource) } }
                let passing = spans.filter { span, resource in
                    hints.criteria.admits(span: span, resource: resource) && hints.mayMatch(span: span, resource: resource)
                }
                let matches = TraceQLEvaluator.matches(query, in: trace)
                if matches {
                    matchedPairs += 1
                    #expect(!passing.isEmpty, "\(text) matches trace \(t) but no span passes the hints (\(String(describing: hints.condition)))")
                }
                if hints.criteriaAreExact {
                    for (span, resource) in spans {
                        #expect(hints.criteria.admits(span: span, resource: resource) == hints.mayMatch(span: span, resource: resource),
                                "\(text): criteria called exact disagree with the condition on span \(span.spanID.value) of trace \(t)")
                    }
                }
                if hints.conditionIsSufficient {
                    #expect(passing.isEmpty != matches, "\(text): called sufficient, but candidates and matches differ on trace \(t)")
                }
            }
        }
        #expect(matchedPairs > 100, "the fixture must exercise many matches")
    }

    @Test func durationAggregatesClampInsteadOfTrapping() throws {
        // The odd trace's wrapped span lasts "Int64.max": sums and averages past it clamp.
        let odd = Self.traces[2]
        #expect(TraceQLEvaluator.matches(try TraceQLParser.parse("{ } | sum(duration) > 1s"), in: odd))
        #expect(TraceQLEvaluator.matches(try TraceQLParser.parse("{ } | max(duration) > 1000000h"), in: odd))
        #expect(!TraceQLEvaluator.matches(try TraceQLParser.parse("{ } | avg(duration) < 1s"), in: odd))
    }

    @Test func hintsNarrowSomething() throws {
        // The property above holds trivially for hints that admit every span; these must not.
        var narrowing = 0
        for text in Self.queries {
            let hints = TraceQLSpanHints(try TraceQLParser.parse(text))
            let rejects = Self.traces.contains { trace in
                trace.resources.contains { group in
                    group.scopes.flatMap(\.items).contains { !hints.mayMatch(span: $0, resource: group.resource) }
                }
            }
            if rejects { narrowing += 1 }
        }
        #expect(narrowing > Self.queries.count / 2)
    }
}
