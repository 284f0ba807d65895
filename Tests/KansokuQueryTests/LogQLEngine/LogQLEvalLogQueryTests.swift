import Testing
@testable import KansokuQuery

/// Log queries: line filters, parsers, label filters, formatting, limits.
@Suite("LogQL evaluation: log queries")
struct LogQLEvalLogQueryTests {
    @Test func selectorReturnsStreamWithAllEntries() throws {
        let streams = try logqlLogs(#"{app="nginx"}"#, direction: .backward)
        #expect(streams.count == 1)
        #expect(streams[0].labels == ["app": "nginx", "env": "prod"])
        #expect(streams[0].entries.count == 100)
        #expect(streams[0].entries.first?.timestamp == ns(99 * 6)) // backward: newest first
    }

    @Test func lineFilters() throws {
        #expect(try logqlCount(#"{app="nginx"} |= "500""#) == 10)
        #expect(try logqlCount(#"{app="nginx"} != "GET""#) == 0)
        #expect(try logqlCount(#"{app="nginx"} |~ "orders.* 404""#) == 10)
        #expect(try logqlCount(#"{app="nginx"} |= "users" |~ "\" 500 ""#) == 10)
    }

    /// Loki: `|= "a" or "b"` keeps lines containing either; negative
    /// filters chained keep lines containing neither.
    @Test func lineFilterOr() throws {
        #expect(try logqlCount(#"{app="nginx"} |= "404" or "500""#) == 20)
        #expect(try logqlCount(#"{app="nginx"} != "404" != "500""#) == 80)
        #expect(try logqlCount(#"{app="nginx"} != "404" or "500""#) == 80)
    }

    @Test func patternLineFilter() throws {
        #expect(try logqlCount(#"{app="nginx"} |> "<_> \"GET /api/users <_>\" 500 <_>""#) == 10)
        #expect(try logqlCount(#"{app="nginx"} !> "<_> 200 <_>""#) == 20)
    }

    @Test func patternParser() throws {
        let streams = try logqlLogs(#"{app="nginx"} | pattern `<ip> - - "<method> <path> <_>" <status> <size>` | status="404""#)
        #expect(streams.reduce(0) { $0 + $1.entries.count } == 10)
        let expected: LogQLLabels = ["app": "nginx", "env": "prod", "ip": "10.0.0.2", "method": "GET",
                                     "path": "/api/orders", "size": "105", "status": "404"]
        #expect(streams.contains { $0.labels == expected })
    }

    @Test func patternWithNumericFilter() throws {
        #expect(try logqlCount(#"{app="nginx"} | pattern `<_> "<_>" <status> <size>` | size > 190"#) == 9)
    }

    @Test func regexpParserNamedGroups() throws {
        #expect(try logqlCount(#"{app="nginx"} | regexp `(?P<code>\d{3}) (?P<size>\d+)$` | code >= 500"#) == 10)
        let first = try logqlLogs(#"{app="nginx"} | regexp `(?P<code>\d{3}) (?P<size>\d+)$`"#, limit: 1)
        #expect(first[0].labels == ["app": "nginx", "code": "500", "env": "prod", "size": "100"])
    }

    /// As Loki: a matching `regexp` sets every named group, an unmatched
    /// optional one to "", and the empty label stays in the result (stream
    /// labels and metric series); a numeric filter on it is a `LabelFilterErr`.
    @Test func regexpUnmatchedGroupIsAnEmptyLabel() throws {
        let regexp = #"regexp `(?P<code>\d{3}) (?P<size>\d+)(?P<tail> extra)?$`"#
        let first = try logqlLogs(#"{app="nginx"} | "# + regexp, limit: 1)
        #expect(first[0].labels == ["app": "nginx", "code": "500", "env": "prod", "size": "100", "tail": ""])
        #expect(try logqlCount(#"{app="nginx"} | "# + regexp + #" | tail > 1 | __error__="LabelFilterErr""#) == 100)
        let vector = try logqlVector(#"sum by (tail, code) (count_over_time({app="nginx"} | "# + regexp + #" [10m]))"#)
        #expect(vector == [#"{code="200", tail=""}"#: 80, #"{code="404", tail=""}"#: 10, #"{code="500", tail=""}"#: 9])
    }

    /// The parser already rejects this; the engine checks again for
    /// hand-built queries.
    @Test func regexpWithoutNamedGroupIsAnError() {
        let query = LogQLLogQuery(selector: LogQLStreamSelector(matchers: [LogQLMatcher(name: "app", type: .equal, value: "nginx")]),
                                  pipeline: [.parser(.regexp(#"(\d+)"#))])
        #expect(throws: LogQLEvaluationError.regexpWithoutNamedGroups) {
            try logqlEngine.select(query, start: ns(0), end: ns(1000))
        }
    }

    @Test func forwardLimitTakesOldest() throws {
        let streams = try logqlLogs(#"{app="nginx"}"#, direction: .forward, limit: 3)
        #expect(streams[0].entries.map(\.timestamp) == [ns(0), ns(6), ns(12)])
    }

    /// Loki merges all streams by time and keeps the newest `limit` for
    /// BACKWARD; ties on timestamp are ordered by label set. Structured
    /// metadata is part of the output labels (Loki 3), so `region` splits
    /// the api stream.
    @Test func backwardLimitAcrossStreams() throws {
        let streams = try logqlLogs(#"{app=~"nginx|api", env="prod"}"#, end: ns(400), direction: .backward, limit: 5)
        #expect(streams.map(\.labels) == [["app": "api", "env": "prod", "region": "eu"],
                                           ["app": "api", "env": "prod", "region": "us"], ["app": "nginx", "env": "prod"]])
        #expect(streams[0].entries.map(\.timestamp) == [ns(390)])
        #expect(streams[1].entries.map(\.timestamp) == [ns(395), ns(385)])
        #expect(streams[2].entries.map(\.timestamp) == [ns(396), ns(390)])
    }

    @Test func endIsExclusive() throws {
        let streams = try logqlLogs(#"{app="worker"}"#, start: ns(10), end: ns(30))
        #expect(streams[0].entries.map(\.timestamp) == [ns(10), ns(20)])
    }

    @Test func jsonAndLevelFilter() throws {
        #expect(try logqlCount(#"{app="api"} | json | level="error""#) == 20)
    }

    /// Nested keys joined by `_`, arrays skipped, names sanitised (`-` → `_`,
    /// leading digit prefixed by `_`), and a parsed label colliding with a
    /// stream label gets the `_extracted` suffix.
    @Test func jsonFlatteningAndSanitisation() throws {
        let streams = try logqlLogs(#"{app="worker"} | json | job="b""#)
        #expect(streams.map(\.labels) == [[
            "_1st": "y", "app": "worker", "app_extracted": "shadow", "env": "prod", "job": "b",
            "level": "error", "nested_deep_key": "v", "weird_key": "x",
        ]])
    }

    @Test func jsonParseErrors() throws {
        #expect(try logqlCount(#"{app="worker"} | json | __error__="JSONParserErr""#) == 2)
        #expect(try logqlCount(#"{app="worker"} | json | __error__="""#) == 3)
        let errored = try logqlLogs(#"{app="worker"} |= "not json" | json"#)
        #expect(errored[0].labels["__error__"] == "JSONParserErr")
    }

    @Test func jsonWithExpressions() throws {
        let streams = try logqlLogs(#"{app="api", env="prod"} | json lvl="level", method="http.method", st="http.status""#, limit: 1)
        #expect(streams.map(\.labels) == [[
            "app": "api", "env": "prod", "lvl": "error", "method": "GET", "region": "eu", "st": "500",
        ]])
    }

    /// Loki keeps a label a parser set to "" (a JSON "" string, a path that
    /// is not in the line) and skips JSON nulls.
    @Test func jsonEmptyMissingAndNull() throws {
        var source = InMemoryLogQLSource()
        source.add(["app": "x"], LogQLEntry(timestamp: ns(1), line: #"{"a":null,"b":"","c":1}"#))
        let engine = LogQLEngine(source: source)
        let all = try engine.select(LogQLParser.parseLogQuery(#"{app="x"} | json"#), start: ns(0), end: ns(10))
        #expect(all.map(\.labels) == [["app": "x", "b": "", "c": "1"]])
        let paths = try engine.select(LogQLParser.parseLogQuery(#"{app="x"} | json c="c", gone="no.such.field""#),
                                      start: ns(0), end: ns(10))
        #expect(paths.map(\.labels) == [["app": "x", "c": "1", "gone": ""]])
    }

    @Test func logfmtParser() throws {
        #expect(try logqlCount(#"{env="staging"} | logfmt | status=503"#) == 10)
        let first = try logqlLogs(#"{env="staging"} | logfmt"#, limit: 1)
        #expect(first[0].labels == ["app": "api", "duration": "0s", "env": "staging", "level": "warn",
                                    "msg": "slow request", "status": "200", "user": "u0"])
    }

    /// Duration filters compare Go durations: `duration > 10s` on "11s".
    @Test func durationLabelFilter() throws {
        #expect(try logqlCount(#"{env="staging"} | logfmt | duration > 10s"#) == 9)
        #expect(try logqlCount(#"{app="api", env="prod"} | json | duration <= 50ms"#) == 6)
    }

    /// Bytes filters parse humanized sizes: "71KB" > 70KB.
    @Test func bytesLabelFilter() throws {
        #expect(try logqlCount(#"{app="api", env="prod"} | json | size > 70KB"#) == 9)
    }

    @Test func labelFilterBooleanOperators() throws {
        #expect(try logqlCount(#"{app="api", env="prod"} | json | level="error" or latency_ms > 75"#) == 23)
        #expect(try logqlCount(#"{app="api", env="prod"} | json | level="info", latency_ms < 10"#) == 7)
        #expect(try logqlCount(#"{app="api", env="prod"} | json | level="info" and latency_ms < 10"#) == 7)
    }

    /// Numeric filters: lines already in error pass; a missing label drops the
    /// line; a non-numeric value keeps it with `__error__="LabelFilterErr"`.
    @Test func numericFilterErrors() throws {
        #expect(try logqlCount(#"{app="worker"} | json | job > 1"#) == 4)
        #expect(try logqlCount(#"{app="worker"} | json | job > 1 | __error__="LabelFilterErr""#) == 2)
    }

    @Test func structuredMetadataIsALabel() throws {
        #expect(try logqlCount(#"{app="api"} | region="us""#) == 40)
    }

    @Test func unpack() throws {
        let streams = try logqlLogs(#"{app="worker"} |= "_entry" | unpack"#)
        #expect(streams.map(\.labels) == [["app": "worker", "env": "prod", "level": "debug", "pod": "p1"]])
        #expect(streams[0].entries.map(\.line) == ["packed line"])
    }

    /// A `keep` after `| json` lets it build only the kept labels; the
    /// streams are those of building every label (a `line_format` that
    /// leaves the line as it is keeps every label built).
    @Test func jsonBeforeKeepBuildsOnlyTheKeptLabels() throws {
        for selector in [#"{app="api", env="prod"}"#, #"{app="worker"}"#] {
            for stages in [#"| keep level"#, #"| keep level, http_method="GET" | level="error""#,
                           #"| keep app_extracted, nested_deep_key | drop level="info""#] {
                let narrowed = try logqlLogs("\(selector) | json \(stages)")
                let built = try logqlLogs(#"\#(selector) | json | line_format "{{ __line__ }}" \#(stages)"#)
                #expect("\(narrowed)" == "\(built)", "\(selector) \(stages)")
                #expect(!narrowed.isEmpty)
            }
        }
        func fields(_ query: String, read: Set<String>? = nil) throws -> [String]? {
            try LogQLPipeline(LogQLParser.parseLogQuery(query).pipeline, labelsRead: read)
                .base(["app": "api"]).jsonFieldsRead?.sorted()
        }
        #expect(try fields(#"{app="api"} | json | keep level, http_method="GET" | level="error""#) == ["http_method", "level"])
        #expect(try fields(#"{app="api"} | json | drop msg, level="info" | x > 1"#, read: ["app", "y"]) == ["level", "x", "y"])
        #expect(try fields(#"{app="api"} | json | drop msg"#) == nil)
        #expect(try fields(#"{app="api"} | json | line_format "{{.x}}" | keep x"#) == nil)
    }

    @Test func decolorize() throws {
        #expect(try logqlLines(#"{app="worker"} |= "job failed" | decolorize"#) == ["ERROR job failed id=1"])
    }

    @Test func lineFormat() throws {
        #expect(try logqlLines(#"{app="api", env="prod"} | json | line_format "{{.level | upper}} {{.msg}}""#, limit: 2)
            == ["ERROR req 0", "INFO req 1"])
    }

    /// `printf`, Go-style `ToLower`, and a missing key printing as the empty
    /// string (Loki 2.8 and 3.x: `missingkey=zero` on a `map[string]string`).
    @Test func lineFormatFunctions() throws {
        let q = #"{env="staging"} | logfmt | line_format `{{ printf "%s/%s" .user .status }} {{ ToLower "WARN" }} [{{.missing}}]`"#
        #expect(try logqlLines(q, limit: 1) == ["u0/200 warn []"])
        #expect(try logqlLines(#"{env="staging"} | line_format "{{ __line__ | trunc 9 }}""#, limit: 1) == ["level=war"])
    }

    /// As Loki: `__timestamp__` prints as Go prints a `time.Time` (in UTC),
    /// and `title` is Go's `strings.Title` (upper case after any separator).
    @Test func timestampAndTitle() throws {
        #expect(try logqlLines(#"{app="worker"} |= "not json" | line_format "{{ __timestamp__ }}""#)
            == ["2023-11-14 22:13:50 +0000 UTC"])
        #expect(LogQLTime.goString(1_748_865_575_001_204_774) == "2025-06-02 11:59:35.001204774 +0000 UTC")
        #expect(LogQLTime.goString(1_748_865_575_500_000_000) == "2025-06-02 11:59:35.5 +0000 UTC")
        #expect(try logqlLines(#"{app="worker"} |= "not json" | line_format `{{ title "/api/v1/users-list foo_bar x1y" }}`"#)
            == ["/Api/V1/Users-List Foo_bar X1y"])
    }

    @Test func labelFormatRenameAndTemplate() throws {
        let streams = try logqlLogs(#"{env="staging"} | logfmt | label_format who=user, code="{{.status}}-{{.level}}" | keep who, code"#, limit: 1)
        #expect(streams.map(\.labels) == [["code": "200-warn", "who": "u0"]])
    }

    @Test func dropByNameAndMatcher() throws {
        let streams = try logqlLogs(#"{env="staging"} | logfmt | drop msg, duration, user, status="200""#, limit: 2)
        #expect(streams.map(\.labels) == [
            ["app": "api", "env": "staging", "level": "warn"],
            ["app": "api", "env": "staging", "level": "warn", "status": "503"],
        ])
    }
}
