import Testing
@testable import KansokuQuery

@Suite("PromQLCompiledMatcher")
struct PromQLCompiledMatcherTests {
    private func matches(_ op: PromQLMatchOperator, _ pattern: String, _ value: String) throws -> Bool {
        try PromQLCompiledMatcher(PromQLLabelMatcher(name: "pod", op: op, value: pattern)).matches(value)
    }

    @Test("regexes match with Go's RE2 meaning, anchored and with (?s), as Prometheus compiles them", arguments: [
        (#"api-.*"#, "api-7f9c", true),
        (#"api-.*"#, "web-api-1", false),  // anchored at both ends
        (#"a.b"#, "a\nb", true),  // . takes a newline
        (#"\d+"#, "\u{0663}", false),  // ARABIC-INDIC DIGIT THREE: \d is ASCII in Go
        (#"a\sb"#, "a\u{0B}b", false),  // vertical tab: Go's \s is [\t\n\f\r ]
        (#"\w+"#, "caf\u{E9}", false),
        (#"a{,3}"#, "a{,3}", true),  // not a repeat in Go: literal text
    ])
    func goSemantics(pattern: String, value: String, expected: Bool) throws {
        #expect(try matches(.regexMatch, pattern, value) == expected)
        #expect(try matches(.regexNoMatch, pattern, value) == !expected)
    }

    @Test("a pattern neither engine takes is an execution error naming it")
    func invalid() {
        #expect(throws: PromQLEvaluationError.self) { try matches(.regexMatch, "(", "x") }
    }
}
