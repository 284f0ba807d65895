import Testing
@testable import KansokuStorage

@Suite("SeriesMatcher")
struct SeriesMatcherTests {
    private func matcher(_ op: SeriesMatcher.Operator, _ value: String, name: String = "env") throws -> SeriesMatcher {
        try SeriesMatcher(name: name, op: op, value: value)
    }

    @Test("= compares the whole value exactly")
    func equal() throws {
        let m = try matcher(.equal, "prod")
        #expect(m.matches("prod"))
        #expect(!m.matches("production"))
        #expect(!m.matches("pro"))
        #expect(!m.matches("Prod"))
        #expect(!m.matches(""))
    }

    @Test("!= is the negation of =")
    func notEqual() throws {
        let m = try matcher(.notEqual, "prod")
        #expect(!m.matches("prod"))
        #expect(m.matches("production"))
        #expect(m.matches(""))
    }

    @Test("=~ matches a regular expression against the whole value")
    func regexMatch() throws {
        let m = try matcher(.regexMatch, "pro.*")
        #expect(m.matches("prod"))
        #expect(m.matches("production"))
        #expect(m.matches("pro"))
        #expect(!m.matches("preprod"))
        #expect(!m.matches("dev"))
        #expect(!m.matches(""))
    }

    @Test("!~ is the negation of =~")
    func regexNoMatch() throws {
        let m = try matcher(.regexNoMatch, "pro.*")
        #expect(!m.matches("prod"))
        #expect(m.matches("preprod"))
        #expect(m.matches("dev"))
        #expect(m.matches(""))
    }

    @Test("patterns are anchored at both ends, literal or not", arguments: [
        ("a", ["a"], ["ab", "ba", "bab", ""]),
        ("a+", ["a", "aaa"], ["ab", "ba", "baa", ""]),
        ("b.*", ["b", "bcd"], ["ab", "abc"]),
        (".*b", ["b", "ab"], ["ba", "abc"]),
        ("a|b", ["a", "b"], ["ab", "ba", "xa", "bx"]),
        ("(a|b)c", ["ac", "bc"], ["abc", "acx", "c"]),
    ])
    func anchoring(pattern: String, matching: [String], notMatching: [String]) throws {
        let m = try matcher(.regexMatch, pattern)
        for value in matching { #expect(m.matches(value), "\(pattern) should match \(value)") }
        for value in notMatching { #expect(!m.matches(value), "\(pattern) should not match \(value)") }
        let negated = try matcher(.regexNoMatch, pattern)
        for value in matching + notMatching { #expect(negated.matches(value) == !m.matches(value)) }
    }

    @Test("alternatives of plain text take the set lookup; anything with regex syntax does not")
    func literalAlternativesDetection() {
        #expect(SeriesMatcher.literalAlternatives(of: "a|bc|d") == ["a", "bc", "d"])
        #expect(SeriesMatcher.literalAlternatives(of: "prod") == ["prod"])
        #expect(SeriesMatcher.literalAlternatives(of: "a||b") == ["a", "", "b"])
        #expect(SeriesMatcher.literalAlternatives(of: "") == [""])
        #expect(SeriesMatcher.literalAlternatives(of: "with space|dash-ed|under_score") == ["with space", "dash-ed", "under_score"])
        for pattern in ["a.b", "a+", "a*", "a?", "(a)", "[ab]", "a{2}", "^a", "a$", "a\\|b", "\\d"] {
            #expect(SeriesMatcher.literalAlternatives(of: pattern) == nil, "\(pattern) has regex syntax")
        }
    }

    @Test("the literal fast path answers exactly as the regex engine would", arguments: [
        ("a|bc|d", "(?:a|bc|d)"),
        ("prod", "(?:prod)"),
        ("a|", "(?:a|)"),
        ("", "(?:)"),
        ("GET|POST|PUT", "(?:GET|POST|PUT)"),
    ])
    func literalMatchesRegex(literal: String, regex: String) throws {
        #expect(SeriesMatcher.literalAlternatives(of: literal) != nil)
        #expect(SeriesMatcher.literalAlternatives(of: regex) == nil)
        let candidates = ["a", "bc", "d", "", "ab", "b", "abc", "a|bc", "prod", "production", "GET", "get", "POST", "PUTS", "GET|POST"]
        for op in [SeriesMatcher.Operator.regexMatch, .regexNoMatch] {
            let fast = try matcher(op, literal)
            let slow = try matcher(op, regex)
            for candidate in candidates {
                #expect(fast.matches(candidate) == slow.matches(candidate),
                        "\(literal) and \(regex) disagree on \"\(candidate)\" for \(op.rawValue)")
            }
        }
    }

    @Test("matchesEmpty tells whether a series without the label is selected", arguments: [
        (SeriesMatcher.Operator.equal, "", true),
        (.equal, "a", false),
        (.notEqual, "a", true),
        (.notEqual, "", false),
        (.regexMatch, ".*", true),
        (.regexMatch, ".+", false),
        (.regexMatch, "a|", true),
        (.regexMatch, "a|b", false),
        (.regexMatch, "", true),
        (.regexNoMatch, ".+", true),
        (.regexNoMatch, ".*", false),
        (.regexNoMatch, "a", true),
    ])
    func matchesEmpty(op: SeriesMatcher.Operator, value: String, expected: Bool) throws {
        #expect(try matcher(op, value).matchesEmpty == expected)
    }

    @Test("an invalid regular expression throws an error naming the pattern", arguments: [
        (SeriesMatcher.Operator.regexMatch, "("), (.regexMatch, "[a-"), (.regexNoMatch, "a)"), (.regexNoMatch, "*a"),
    ])
    func invalidRegex(op: SeriesMatcher.Operator, pattern: String) throws {
        let error = #expect(throws: SeriesMatcherError.self) { try matcher(op, pattern) }
        #expect(error?.pattern == pattern)
        #expect(error?.description.hasPrefix("invalid regular expression \"\(pattern)\": ") == true)
        #expect(error?.reason.isEmpty == false)
    }

    @Test("= and != never compile their value, so regex syntax there is plain text")
    func equalityIsNotRegex() throws {
        let m = try matcher(.equal, "(")
        #expect(m.matches("("))
        let dot = try matcher(.equal, "a.b")
        #expect(!dot.matches("axb"))
        #expect(try matcher(.notEqual, "[").matches("x"))
    }

    @Test(". matches a newline, as Prometheus compiles with (?s)")
    func dotMatchesNewline() throws {
        #expect(try matcher(.regexMatch, "a.b").matches("a\nb"))
        #expect(try matcher(.regexMatch, ".*").matches("line one\nline two"))
        #expect(try matcher(.regexMatch, ".+").matches("\n"))
        #expect(!(try matcher(.regexNoMatch, "a.*").matches("a\n\nb")))
    }

    @Test(". matches one Unicode scalar (Go's rune), not one grapheme cluster")
    func unicodeScalarSemantics() throws {
        #expect(try matcher(.regexMatch, ".").matches("€"))
        // A flag is one grapheme of two scalars.
        #expect(try matcher(.regexMatch, "..").matches("🇯🇵"))
        #expect(!(try matcher(.regexMatch, ".").matches("🇯🇵")))
    }

    @Test("classes and case folding are Go's (RE2), as Prometheus matches, not Swift's Unicode-aware ones", arguments: [
        (#"\d+"#, "\u{0663}", false),  // ARABIC-INDIC DIGIT THREE: \d is ASCII in Go
        (#"\d+"#, "0123", true),
        (#"a\sb"#, "a\u{0B}b", false),  // vertical tab: Go's \s is [\t\n\f\r ]
        (#"a\sb"#, "a\tb", true),
        (#"\w+"#, "caf\u{E9}", false),  // \w is [0-9A-Za-z_] in Go
        (#"(?i)k8s"#, "\u{212A}8S", true),  // Go folds KELVIN SIGN to k
        (#"a{,3}"#, "a{,3}", true),  // not a repeat in Go: literal text
        (#"a{,3}"#, "aaa", false),
        (#"[[:alpha:]]+-[[:digit:]]"#, "api-7", true),
    ])
    func goSemantics(pattern: String, value: String, expected: Bool) throws {
        #expect(try matcher(.regexMatch, pattern).matches(value) == expected, "\(pattern) on \(value.unicodeScalars.map { $0.value })")
        #expect(try matcher(.regexNoMatch, pattern).matches(value) == !expected)
    }

    @Test("description prints the matcher as PromQL writes it")
    func description() throws {
        #expect(try matcher(.equal, "prod").description == "env=\"prod\"")
        #expect(try matcher(.notEqual, "").description == "env!=\"\"")
        #expect(try matcher(.regexMatch, "a.*").description == "env=~\"a.*\"")
        #expect(try matcher(.regexNoMatch, "a|b", name: "__name__").description == "__name__!~\"a|b\"")
    }
}
