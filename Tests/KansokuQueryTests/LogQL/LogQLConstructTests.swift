import Testing
@testable import KansokuQuery

@Suite("LogQL constructs")
struct LogQLConstructTests {
    private func log(_ query: String) throws -> LogQLLogQuery { try LogQLParser.parseLogQuery(query) }
    private func metric(_ query: String) throws -> LogQLMetricExpr { try LogQLParser.parseMetricQuery(query) }

    @Test func streamSelector() throws {
        let query = try log(#"{app="api", env=~"prod|stg", pod!="x", ns!~"kube.*"}"#)
        #expect(query.selector.matchers == [
            LogQLMatcher(name: "app", type: .equal, value: "api"),
            LogQLMatcher(name: "env", type: .regexMatch, value: "prod|stg"),
            LogQLMatcher(name: "pod", type: .notEqual, value: "x"),
            LogQLMatcher(name: "ns", type: .regexNoMatch, value: "kube.*"),
        ])
        #expect(query.pipeline.isEmpty)
    }

    @Test func lineFilters() throws {
        let query = try log(#"{a="b"} |= "x" != `y` |~ "z.*" !~ "w" |= "a" or "b" |= ip("10.0.0.0/8") |> "<_> <x>""#)
        #expect(query.pipeline == [
            .lineFilter(LogQLLineFilter(op: .contains, values: [.string("x")])),
            .lineFilter(LogQLLineFilter(op: .notContains, values: [.string("y")])),
            .lineFilter(LogQLLineFilter(op: .regexMatch, values: [.string("z.*")])),
            .lineFilter(LogQLLineFilter(op: .regexNoMatch, values: [.string("w")])),
            .lineFilter(LogQLLineFilter(op: .contains, values: [.string("a"), .string("b")])),
            .lineFilter(LogQLLineFilter(op: .contains, values: [.ip("10.0.0.0/8")])),
            .lineFilter(LogQLLineFilter(op: .patternMatch, values: [.string("<_> <x>")])),
        ])
    }

    @Test func parsers() throws {
        let query = try log(#"{a="b"} | json | json a="x.y", b="z[0]", c | logfmt | logfmt --strict --keep-empty x | regexp "(?P<x>\\w+)" | pattern "<ip> - <_> <status>" | unpack"#)
        #expect(query.pipeline == [
            .parser(.json([])),
            .parser(.json([LogQLLabelExtraction(label: "a", expression: "x.y"),
                           LogQLLabelExtraction(label: "b", expression: "z[0]"),
                           LogQLLabelExtraction(label: "c", expression: "c")])),
            .parser(.logfmt(flags: LogQLLogfmtFlags(), extractions: [])),
            .parser(.logfmt(flags: LogQLLogfmtFlags(strict: true, keepEmpty: true),
                            extractions: [LogQLLabelExtraction(label: "x", expression: "x")])),
            .parser(.regexp(#"(?P<x>\w+)"#)),
            .parser(.pattern("<ip> - <_> <status>")),
            .parser(.unpack),
        ])
    }

    @Test func labelFilters() throws {
        let query = try log(#"{a="b"} | level="error" | status >= 500 | duration > 10ms | size > 1KB | addr = ip("1.2.3.4") | __error__="""#)
        #expect(query.pipeline == [
            .labelFilter(.matcher(LogQLMatcher(name: "level", type: .equal, value: "error"))),
            .labelFilter(.number(name: "status", op: .greaterOrEqual, value: 500)),
            .labelFilter(.duration(name: "duration", op: .greater, value: LogQLDuration(nanoseconds: 10_000_000))),
            .labelFilter(.bytes(name: "size", op: .greater, value: LogQLByteSize(bytes: 1000))),
            .labelFilter(.ip(name: "addr", negated: false, pattern: "1.2.3.4")),
            .labelFilter(.matcher(LogQLMatcher(name: "__error__", type: .equal, value: ""))),
        ])
    }

    @Test func labelFilterPrecedence() throws {
        let a = LogQLLabelFilter.matcher(LogQLMatcher(name: "a", type: .equal, value: "1"))
        let b = LogQLLabelFilter.number(name: "b", op: .greater, value: 2)
        let c = LogQLLabelFilter.number(name: "c", op: .lessOrEqual, value: -3)
        #expect(try log(#"{x="y"} | a="1" or b>2 and c<=-3"#).pipeline == [.labelFilter(.or(a, .and(b, c)))])
        #expect(try log(#"{x="y"} | a="1" and b>2 or c<=-3"#).pipeline == [.labelFilter(.or(.and(a, b), c))])
        #expect(try log(#"{x="y"} | (a="1" or b>2), c<=-3"#).pipeline == [.labelFilter(.and(.or(a, b), c))])
        #expect(try log(#"{x="y"} | a="1" b>2"#).pipeline == [.labelFilter(.and(a, b))])
    }

    @Test func formattingStages() throws {
        let query = try log(#"{a="b"} | line_format "{{.x}}" | label_format a="{{.b}}", c=d | drop a, b="v" | keep a, b | decolorize"#)
        #expect(query.pipeline == [
            .lineFormat("{{.x}}"),
            .labelFormat([LogQLLabelFormat(target: "a", value: .template("{{.b}}")),
                          LogQLLabelFormat(target: "c", value: .rename("d"))]),
            .drop([.name("a"), .matcher(LogQLMatcher(name: "b", type: .equal, value: "v"))]),
            .keep([.name("a"), .name("b")]),
            .decolorize,
        ])
    }

    @Test func rangeAggregationShapes() throws {
        let expected = LogQLRangeAggregation(
            operation: .countOverTime,
            range: LogQLLogRange(
                query: LogQLLogQuery(selector: LogQLStreamSelector(matchers: [LogQLMatcher(name: "a", type: .equal, value: "b")]),
                                     pipeline: [.lineFilter(LogQLLineFilter(op: .contains, values: [.string("x")]))]),
                range: LogQLDuration(seconds: 300), offset: LogQLDuration(seconds: 3600)))
        for spelling in [
            #"count_over_time({a="b"} |= "x" [5m] offset 1h)"#,
            #"count_over_time({a="b"}[5m] offset 1h |= "x")"#,
            #"count_over_time(({a="b"} |= "x")[5m] offset 1h)"#,
            #"count_over_time(({a="b"} |= "x" [5m] offset 1h))"#,
        ] {
            #expect(try metric(spelling) == .rangeAggregation(expected), "\(spelling)")
        }
    }

    @Test func unwrapAndGrouping() throws {
        let expr = try metric(#"quantile_over_time(0.99, {a="b"} | json | unwrap duration(took) | __error__="" [1m]) by (pod)"#)
        guard case .rangeAggregation(let agg) = expr else { Issue.record("not a range aggregation"); return }
        #expect(agg.operation == .quantileOverTime)
        #expect(agg.parameter == 0.99)
        #expect(agg.grouping == LogQLGrouping(without: false, labels: ["pod"]))
        #expect(agg.range.unwrap == LogQLUnwrap(label: "took", conversion: .duration, postFilters: [
            .matcher(LogQLMatcher(name: "__error__", type: .equal, value: "")),
        ]))
        #expect(agg.range.query.pipeline == [.parser(.json([]))])
    }

    @Test func vectorAggregations() throws {
        let inner = try metric(#"rate({a="b"}[5m])"#)
        let byApp = LogQLGrouping(without: false, labels: ["app"])
        #expect(try metric(#"sum by (app) (rate({a="b"}[5m]))"#)
            == .vectorAggregation(LogQLVectorAggregation(operation: .sum, grouping: byApp, expr: inner)))
        #expect(try metric(#"sum(rate({a="b"}[5m])) by (app)"#)
            == .vectorAggregation(LogQLVectorAggregation(operation: .sum, grouping: byApp, expr: inner)))
        #expect(try metric(#"topk(5, rate({a="b"}[5m]))"#)
            == .vectorAggregation(LogQLVectorAggregation(operation: .topk, parameter: 5, expr: inner)))
        #expect(try metric(#"bottomk without (x) (3, rate({a="b"}[5m]))"#)
            == .vectorAggregation(LogQLVectorAggregation(operation: .bottomk, parameter: 3,
                                                         grouping: LogQLGrouping(without: true, labels: ["x"]), expr: inner)))
        #expect(try metric(#"sort_desc(rate({a="b"}[5m]))"#)
            == .vectorAggregation(LogQLVectorAggregation(operation: .sortDesc, expr: inner)))
    }

    @Test func literalsVectorAndLabelReplace() throws {
        #expect(try metric("vector(0)") == .vector(0))
        #expect(try metric("-1.5") == .literal(-1.5))
        let expr = try metric(#"label_replace(rate({a="b"}[5m]), "dst", "$1", "src", "(.*)")"#)
        guard case .labelReplace(let replace) = expr else { Issue.record("not label_replace"); return }
        #expect([replace.destination, replace.replacement, replace.source, replace.regex] == ["dst", "$1", "src", "(.*)"])
    }

    @Test func binaryModifiers() throws {
        let expr = try metric(#"sum by (a) (rate({a="b"}[1m])) / on (a) group_left (c) sum by (a, c) (rate({a="b"}[1m]))"#)
        guard case .binary(let binary) = expr else { Issue.record("not binary"); return }
        #expect(binary.op == .divide)
        #expect(binary.matching == LogQLVectorMatching(labels: .on(["a"]), group: .left(["c"])))
        let cmp = try metric(#"rate({a="b"}[1m]) > bool ignoring (x) 10"#)
        guard case .binary(let compare) = cmp else { Issue.record("not binary"); return }
        #expect(compare.returnBool)
        #expect(compare.matching == LogQLVectorMatching(labels: .ignoring(["x"])))
    }

    @Test func selectorsAreCollected() throws {
        let expr = try LogQLParser.parse(#"rate({a="1"}[1m]) / rate({b="2"}[1m])"#)
        #expect(expr.selectors.map(\.description) == [#"{a="1"}"#, #"{b="2"}"#])
    }
}
