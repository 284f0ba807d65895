import Testing
@testable import KansokuQuery

/// Queries that must be rejected, with the exact text returned to Grafana.
@Suite("TraceQL errors")
struct TraceQLErrorTests {
    static let cases: [(query: String, message: String)] = [
        ("{", "parse error at line 1, col 2: syntax error: unexpected $end"),
        ("{ name = }", "parse error at line 1, col 10: syntax error: unexpected CLOSE_BRACE"),
        (#"{ name "x" }"#, "parse error at line 1, col 8: syntax error: unexpected STRING, expecting comparison operator"),
        (#"{ .foo = "bar" "#, "parse error at line 1, col 16: syntax error: unexpected $end, expecting CLOSE_BRACE"),
        (#"{ .a = "x" } }"#, "parse error at line 1, col 14: syntax error: unexpected CLOSE_BRACE"),
        ("{ .a = 1 } && ", "parse error at line 1, col 15: syntax error: unexpected $end, expecting OPEN_BRACE or OPEN_PARENS"),
        (#"{ name = "a" | count() > 1 }"#,
         "parse error at line 1, col 14: syntax error: unexpected PIPE, expecting CLOSE_BRACE"),
        ("{ kind = serverr }", "parse error at line 1, col 10: syntax error: unexpected IDENTIFIER"),
        (#"{ .a != -"x" }"#, "parse error at line 1, col 10: syntax error: unexpected STRING"),
        (#"{ .a = "x } "#, "parse error at line 1, col 8: syntax error: literal not terminated"),
        (#"{ .a = "\q" }"#, #"parse error at line 1, col 9: syntax error: invalid escape sequence \q"#),
        ("{ duration > 5xs }", "parse error at line 1, col 14: syntax error: invalid duration 5xs"),
        ("{\n  name = @ }", #"parse error at line 2, col 10: syntax error: unexpected character "@""#),
        ("{ .a = 99999999999999999999 }", "parse error at line 1, col 8: syntax error: integer 99999999999999999999 out of range"),
        (#"{ duration > "slow" }"#,
         #"parse error at line 1, col 3: binary operations must operate on the same type: duration > "slow""#),
        ("{ status = 200 }", "parse error at line 1, col 3: binary operations must operate on the same type: status = 200"),
        ("{ span.foo = error }", "parse error at line 1, col 3: binary operations must operate on the same type: span.foo = error"),
        ("{ status > error }", "parse error at line 1, col 10: illegal operation for the given type: status > error"),
        ("{ .a > nil }", "parse error at line 1, col 6: illegal operation for the given type: .a > nil"),
        ("{ .a =~ 1 }", "parse error at line 1, col 6: illegal operation for the given type: .a =~ 1"),
        (#"{ span.foo =~ "[" }"#, #"parse error at line 1, col 12: error parsing regexp: "[""#),
        ("{ .a = 1 } | by(.b)", "parse error at line 1, col 14: pipeline stage by() is not supported"),
        ("{ .a = 1 } | select(.b)", "parse error at line 1, col 14: pipeline stage select() is not supported"),
        (#"{ } | count() > "x""#,
         #"parse error at line 1, col 15: binary operations must operate on the same type: count() > "x""#),
        ("{ } | avg(duration) > 5", "parse error at line 1, col 21: binary operations must operate on the same type: avg(duration) > 5"),
        ("{ parent.foo = 1 }", "parse error at line 1, col 3: attribute scope parent is not supported"),
        ("{ .a = 1 } < { .b = 1 }", "parse error at line 1, col 12: syntax error: span set operator < is not supported"),
        ("name = \"x\"", "parse error at line 1, col 1: syntax error: unexpected IDENTIFIER, expecting OPEN_BRACE or OPEN_PARENS"),
    ]

    @Test(arguments: cases)
    func rejects(_ query: String, _ message: String) {
        #expect(throws: TraceQLParseError.self) { try TraceQLParser.parse(query) }
        do {
            _ = try TraceQLParser.parse(query)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func positionIsExposed() {
        do {
            _ = try TraceQLParser.parse("{ .a = 1 }\n&& { .b = }")
            Issue.record("expected an error")
        } catch {
            #expect(error.position == TraceQLSourcePosition(offset: 21, line: 2, column: 11))
            #expect(error.message == "syntax error: unexpected CLOSE_BRACE")
        }
    }
}
