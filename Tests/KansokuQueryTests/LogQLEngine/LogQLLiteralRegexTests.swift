import Testing
@testable import KansokuQuery

@Suite("Regexes that only choose among literals are matched without the regex engine, with the regex's answers")
struct LogQLLiteralRegexTests {
    static let simple = [
        "error", "POST", "(?i)post", "GET|POST", "POST|PUT|DELETE", #"level":"(error|warn)"#, #"level":"(?:error|warn)""#,
        ".*timeout.*", ".*timeout", "timeout.*", "(?i).*Payment Declined", #"HTTP/1\.1" 50(0|2|3)"#, "a(b|c)d(e|f)",
        "(?i)get|post", "x|", ".*", "(a|)b", #"\[error\]"#, "(?i)K", "(?i)s",
    ]
    static let notSimple = [
        "err.r", "^error", "error$", "a+", "ab?c", "[0-9]+", #"\d+"#, "(a|b)*", "(?P<x>a)", "(?i:a)b", "((a))", "a{2}",
        "caf\u{E9}", "(?s)a", #"\tx"#, "(a|b|c)(d|e|f)(g|h|i)(j|k|l)",
    ]
    static let lines = [
        "", "error", "ERROR: disk", "an Error occurred", "POST /api", "post /api", "PUT /x", "GET / HTTP/1.1\" 502 12",
        "HTTP/1.1\" 504", #"{"level":"warn","msg":"x"}"#, #"{"level":"info"}"#, "request timeout after 3s", "Payment declined",
        "abde", "acdf", "abdg", "b", "x", "[error] boom", "\u{212A}elvin", "\u{17F}ign", "caf\u{E9} error", "Ok", "s",
    ]

    @Test("unanchored (line filters): every simple pattern gives the regex's answer on every line")
    func somewhere() throws {
        for pattern in Self.simple {
            let literals = try #require(LogQLLiteralRegex(pattern), "\(pattern) should be simple")
            let regex = try Regex(pattern)
            for line in Self.lines {
                let expected = line.firstMatch(of: regex) != nil
                if let answer = line.withUTF8Bytes({ literals.matchesSomewhere(in: $0) }) {
                    #expect(answer == expected, "\(pattern) on \(line)")
                } else {
                    // Left to the regex only for (?i) and non-ASCII text.
                    #expect(literals.caseInsensitive && line.utf8.contains { $0 >= 0x80 }, "\(pattern) on \(line)")
                }
            }
        }
    }

    @Test("anchored (label matchers): exact alternatives compare whole values")
    func whole() throws {
        for pattern in Self.simple {
            let literals = try #require(LogQLLiteralRegex(pattern))
            let regex = try Regex(pattern)
            for line in Self.lines + ["warn", "Error", "GET", "post", "ab", "timeout\nlater", "a timeout", "TIMEOUT", "x\r"] {
                guard let answer = line.withUTF8Bytes({ literals.matchesWhole($0) }) else { continue }
                #expect(answer == (line.wholeMatch(of: regex) != nil), "\(pattern) on \(line)")
            }
        }
        #expect(LogQLLiteralRegex("error|warn")!.matchesWhole(UnsafeRawBufferPointer(start: nil, count: 0)) == false)
        #expect("no error".withUTF8Bytes { LogQLLiteralRegex(".*error")!.matchesWhole($0) } == true)
        #expect("error\nx".withUTF8Bytes { LogQLLiteralRegex("error.*")!.matchesWhole($0) } == nil)
        #expect("/api/v1/x".withUTF8Bytes { LogQLLiteralRegex("/api/.*")!.matchesWhole($0) } == true)
        #expect("/apix".withUTF8Bytes { LogQLLiteralRegex("/api/.*")!.matchesWhole($0) } == false)
    }

    @Test("anything beyond literals and literal groups is left to the regex engine")
    func refusals() {
        for pattern in Self.notSimple { #expect(LogQLLiteralRegex(pattern) == nil, "\(pattern)") }
    }

    @Test("line filters and label matchers use it, with the same answers")
    func evaluators() throws {
        let filter = try LogQLLineFilterEvaluator(LogQLLineFilter(op: .regexMatch, values: [.string(#"(?i)level":"(error|warn)"#)]))
        #expect(filter.keeps(#"{"LEVEL":"Warn"}"#))
        #expect(!filter.keeps(#"{"level":"info"}"#))
        let negated = try LogQLLineFilterEvaluator(LogQLLineFilter(op: .regexNoMatch, values: [.string("GET|POST")]))
        #expect(!negated.keeps("POST /a"))
        #expect(negated.keeps("PUT /a"))
        let matcher = try LogQLCompiledMatcher(LogQLMatcher(name: "level", type: .regexMatch, value: "error|warn"))
        #expect(matcher.matches("warn"))
        #expect(!matcher.matches("warning"))
        #expect(!matcher.matches(""))
        let notMatcher = try LogQLCompiledMatcher(LogQLMatcher(name: "level", type: .regexNoMatch, value: "error|warn"))
        #expect(notMatcher.matches("info"))
        #expect(!notMatcher.matches("error"))
    }
}
