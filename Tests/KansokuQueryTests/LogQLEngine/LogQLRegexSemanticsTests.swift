import Testing
@testable import KansokuQuery

/// Line filters, `regexp` stages and `=~` matchers answer as Loki's Go
/// regexes do where Swift's `Regex` would differ (``RE2Regex``).
@Suite("LogQL regexes have Go's semantics")
struct LogQLRegexSemanticsTests {
    static let lines = [
        "a\rc carriage return",          // Go's `.` takes \r; Swift's stops at any line break
        "code \u{0661}\u{0662}\u{0663}",  // Arabic-Indic digits: not `\d` in Go
        "\u{212A}elvin sign",             // KELVIN SIGN: a `k` under Go's (?i)
        "tail newline\n",                 // Go's `$` is only the very end
        "plain GET 200",
    ]

    static let engine: LogQLEngine = {
        var source = InMemoryLogQLSource()
        for (i, line) in lines.enumerated() {
            let labels: LogQLLabels = ["app": "re", "pod": i == 1 ? "pod-\u{0661}" : "pod-\(i)"]
            source.add(labels, LogQLEntry(timestamp: ns(Int64(i + 1)), line: line))
        }
        return LogQLEngine(source: source)
    }()

    func lines(_ query: String) throws -> [String] {
        try Self.engine.select(LogQLParser.parseLogQuery(query), start: ns(0), end: ns(100), direction: .forward, limit: 100)
            .flatMap { $0.entries }.sorted { $0.timestamp < $1.timestamp }.map(\.line)
    }

    @Test("|~ and !~ line filters")
    func lineFilters() throws {
        #expect(try lines(#"{app="re"} |~ "a.c""#) == [Self.lines[0]])
        #expect(try lines(#"{app="re"} |~ "code \\d+""#).isEmpty)
        #expect(try lines(#"{app="re"} |~ "(?i)kelvin""#) == [Self.lines[2]])
        #expect(try lines(#"{app="re"} |~ "newline$""#).isEmpty)
        #expect(try lines(#"{app="re"} |~ "(?m)newline$""#) == [Self.lines[3]])
        #expect(try lines(#"{app="re"} !~ "[A-Z]{3} \\d{3}$""#).count == 4)
    }

    @Test("regexp stage captures")
    func regexpStage() throws {
        let query = #"{app="re"} | regexp `(?P<method>[A-Z]+) (?P<status>\d+)` | line_format "{{.method}}/{{.status}}""#
        #expect(try lines(query + #" | method != """#) == ["GET/200"])
    }

    @Test("=~ stream matchers are anchored and ASCII for \\d")
    func streamMatchers() throws {
        #expect(try lines(#"{app="re", pod=~"pod-\\d"}"#).count == 4)
        #expect(try lines(#"{app="re", pod=~"pod-."}"#).count == 5)
        #expect(try lines(#"{app="re", pod=~"od-\\d"}"#).isEmpty)
    }
}
