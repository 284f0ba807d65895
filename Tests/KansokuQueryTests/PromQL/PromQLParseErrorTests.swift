import Testing
@testable import KansokuQuery

/// Each parse-time error, with Prometheus's wording and position.
@Suite("PromQL parse errors")
struct PromQLParseErrorTests {
    @Test(arguments: [
        ("", "no expression found in input"),
        ("sum(", "unclosed left parenthesis"),
        ("foo(", #"unknown function with name "foo""#),
        ("sum(x y)", #"unexpected identifier "y" in aggregation, expected "," or ")""#),
        ("1 +", "unexpected end of input"),
        ("*1", "unexpected <op:*>"),
        ("@@", "unexpected <op:@>"),
        ("a - on(b) ignoring(c) d", "unexpected <ignoring>"),
        ("x{a}", #"unexpected "}" in label matching, expected label matching operator"#),
        ("x{a=}", #"unexpected "}" in label matching, expected string"#),
        (#"x{a="b" c="d"}"#, #"unexpected identifier "c" in label matching, expected "," or "}""#),
        ("sum by x (y)", #"unexpected identifier "x" in grouping opts, expected "(""#),
        ("sum by (x) (y) by (z)", "unexpected <by>"),
        ("rate(x[5m],)", "trailing commas not allowed in function call args"),
        ("foo bar", #"unexpected identifier "bar""#),
        ("x[5m:1m:1m]", "unexpected \":\" in subquery selector, expected \"]\""),
        ("x[step]", #"unexpected "]" in subquery or range selector, expected number, duration, step(), or range()"#),
    ])
    func syntaxErrors(query: String, message: String) {
        #expect(promqlError(query)?.message == message, "\(query)")
    }

    @Test(arguments: [
        // Types
        ("rate(x)", #"expected type range vector in call to function "rate", got instant vector"#),
        ("abs(x[5m])", #"expected type instant vector in call to function "abs", got range vector"#),
        (#"clamp(x, "a", 1)"#, #"expected type scalar in call to function "clamp", got string"#),
        ("sum(x[5m])", "expected type instant vector in aggregation expression, got range vector"),
        ("topk(x, y)", "expected type scalar in aggregation parameter, got instant vector"),
        ("count_values(1, y)", "expected type string in aggregation parameter, got scalar"),
        ("x[5m] + 1", "binary expression must contain only scalar and instant vector types"),
        ("1 + x[5m]", "binary expression must contain only scalar and instant vector types"),
        ("-x[5m]", #"unary expression only allowed on expressions of type scalar or instant vector, got "range vector""#),
        ("x[5m][1h:1m]", "subquery is only allowed on instant vector, got matrix instead"),
        // Argument counts
        ("rate()", #"expected 1 argument(s) in call to "rate", got 0"#),
        ("time(1)", #"expected 0 argument(s) in call to "time", got 1"#),
        ("round()", #"expected at least 1 argument(s) in call to "round", got 0"#),
        ("round(x, 1, 2)", #"expected at most 2 argument(s) in call to "round", got 3"#),
        ("hour(x, x)", #"expected at most 1 argument(s) in call to "hour", got 2"#),
        (#"label_join(x, "a")"#, #"expected at least 3 argument(s) in call to "label_join", got 2"#),
        ("sum()", "no arguments for aggregate expression provided"),
        ("sum(1, x)", "wrong number of arguments for aggregate expression provided, expected 1, got 2"),
        ("topk(x)", "wrong number of arguments for aggregate expression provided, expected 2, got 1"),
        // Binary operator rules
        ("1 > 2", "comparisons between scalars must use BOOL modifier"),
        ("a + bool b", "bool modifier can only be used on comparison operators"),
        ("1 and 1", #"set operator "and" not allowed in binary scalar expression"#),
        ("a and 1", #"set operator "and" not allowed in binary scalar expression"#),
        ("1 + on(x) a", "vector matching only allowed between instant vectors"),
        ("a and on(x) group_left(y) b", #"no grouping allowed for "and" operation"#),
        ("a * on(x) group_left(x) b", #"label "x" must not occur in ON and GROUP clause at once"#),
        ("a or fill(0) b", "filling in missing series not allowed for set operators"),
        ("a + fill(0) 1", "filling in missing series only allowed between instant vectors"),
        // Selectors and modifiers
        ("{}", "vector selector must contain at least one non-empty matcher"),
        (#"{a=""}"#, "vector selector must contain at least one non-empty matcher"),
        (#"{a=~".*"}"#, "vector selector must contain at least one non-empty matcher"),
        (#"{a!~".+"}"#, "vector selector must contain at least one non-empty matcher"),
        (#"{a=~"(b|)"}"#, "vector selector must contain at least one non-empty matcher"),
        (#"foo{__name__="bar"}"#, #"metric name must not be set twice: "foo" or "bar""#),
        ("sum(x)[5m]", "ranges only allowed for vector selectors"),
        ("x offset 5m [5m]", "no offset modifiers allowed before range"),
        ("x @ 1 [5m]", "no @ modifiers allowed before range"),
        ("x offset 1m offset 2m", "offset may not be set multiple times"),
        ("x @ 1 @ 2", "@ <timestamp> may not be set multiple times"),
        ("1 offset 1m", "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        ("rate(x[5m]) @ 1", "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        ("x @ Inf", "timestamp out of bounds for @ modifier: +Inf"),
        ("x[0s]", "duration must be greater than 0"),
        ("x[5m:0s]", "duration must be greater than 0"),
        ("x[5m/0]", "division by zero"),
        ("x[5m%0]", "modulo by zero"),
        ("x[1:1m] anchored", "anchored modifier is not supported for subqueries"),
        ("x[5m] anchored smoothed", "anchored and smoothed modifiers cannot be used together"),
        (#"info(x, y)"#, "expected label selectors only, got vector selector instead"),
        (#"info(x, sum(y))"#, "expected label selectors only"),
    ])
    func semanticErrors(query: String, message: String) {
        #expect(promqlError(query)?.message == message, "\(query)")
    }

    @Test func errorsCarryPositions() throws {
        let error = try #require(promqlError("sum(rate(x))"))
        #expect(error.position.offset == 9)
        #expect(error.position.line == 1)
        #expect(error.position.column == 10)
        #expect(error.description == #"1:10: parse error: expected type range vector in call to function "rate", got instant vector"#)

        let multiline = try #require(promqlError("sum(\n  foo(x)\n)"))
        #expect(multiline.position.line == 2)
        #expect(multiline.position.column == 3)

        // Comparison errors point at the operator, set-operator errors at the expression start.
        #expect(promqlError("1 > 2")?.position.offset == 2)
        #expect(promqlError("a and 1")?.position.offset == 0)
        #expect(promqlError("(1))")?.position.offset == 4)
    }

    @Test func errorIsSendableAndDescribable() {
        let error: any Error & Sendable = PromQLParseError(position: PromQLSourcePosition(offset: 0, line: 1, column: 1), message: "x")
        #expect(String(describing: error) == "1:1: parse error: x")
    }
}
