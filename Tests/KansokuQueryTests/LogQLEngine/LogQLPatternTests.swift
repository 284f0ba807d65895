import Testing
@testable import KansokuQuery

@Suite("LogQL pattern matching and line filters work on UTF-8 bytes, as Loki's do")
struct LogQLPatternTests {
    private func captures(_ pattern: String, _ line: String) throws -> [String] {
        try LogQLPattern(pattern, requireNamed: false).captures(line).map { "\($0.0)=\($0.1)" }
    }

    @Test("captures run to the next literal; a missing literal ends matching with the rest of the line")
    func captures() throws {
        let nginx = #"10.1.2.3 - - [23/Nov/2026:03:00:00 +0000] "GET /api/v1/cart HTTP/1.1" 200 512 "-""#
        #expect(try captures(#"<ip> - - [<_>] "<method> <path> <_>" <status> <size> <_>"#, nginx)
            == ["ip=10.1.2.3", "method=GET", "path=/api/v1/cart", "status=200", "size=512"])
        #expect(try captures("<a> | <b>", "x | y | z") == ["a=x", "b=y | z"])
        #expect(try captures("<a> | <b> !<c>", "x | y") == ["a=x", "b=y"])
        #expect(try captures("start <a>", "other x") == [])
        #expect(try captures("<a>,<b>", "") == [])
        #expect(try captures("<a> \u{2192} <b>", "caf\u{E9} \u{2192} na\u{EF}ve") == ["a=caf\u{E9}", "b=na\u{EF}ve"])
    }

    @Test("a literal matches bytes inside a character: an e before a combining accent is an e")
    func bytesNotCharacters() throws {
        let decomposed = "cafe\u{301} ok"
        #expect(try captures("<a>e<b>", decomposed) == ["a=caf", "b=\u{301} ok"])
        // Swift's character comparison would find neither.
        #expect(!decomposed.contains("cafe"))
        let contains = try LogQLLineFilterEvaluator(LogQLLineFilter(op: .contains, values: [.string("cafe")]))
        #expect(contains.keeps(decomposed))
        let notContains = try LogQLLineFilterEvaluator(LogQLLineFilter(op: .notContains, values: [.string("cafe")]))
        #expect(!notContains.keeps(decomposed))
        #expect(notContains.keeps("caf\u{E9}"))  // the precomposed é is other bytes
    }

    @Test("|> matches the whole line: a leading literal at the start, a trailing one at the end")
    func wholeLine() throws {
        let pattern = try LogQLPattern("GET <path> HTTP<_>", requireNamed: false)
        #expect(pattern.matchesWholeLine("GET /a HTTP/1.1"))
        #expect(!pattern.matchesWholeLine("POST /a HTTP/1.1"))
        let trailing = try LogQLPattern("<_> done", requireNamed: false)
        #expect(trailing.matchesWholeLine("job 7 done"))
        #expect(!trailing.matchesWholeLine("job 7 done later"))
        #expect(!trailing.matchesWholeLine("one"))
        let literalOnly = try LogQLPattern("exact", requireNamed: false)
        #expect(literalOnly.matchesWholeLine("exact"))
        #expect(!literalOnly.matchesWholeLine("exactly"))
    }
}
