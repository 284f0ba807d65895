import Testing
@testable import KansokuQuery

@Suite("PromQL parser constructs")
struct PromQLParserTests {
    @Test func selectorWithMatchers() throws {
        let expression = try PromQLParser.parse(#"http_requests_total{job="api", code!="200", path=~"/v1/.*", method!~'GET|HEAD'}"#)
        guard case .vectorSelector(let selector) = expression else {
            Issue.record("not a selector: \(expression)")
            return
        }
        #expect(selector.name == "http_requests_total")
        #expect(selector.matchers == [
            PromQLLabelMatcher(name: "job", op: .equal, value: "api"),
            PromQLLabelMatcher(name: "code", op: .notEqual, value: "200"),
            PromQLLabelMatcher(name: "path", op: .regexMatch, value: "/v1/.*"),
            PromQLLabelMatcher(name: "method", op: .regexNoMatch, value: "GET|HEAD"),
            PromQLLabelMatcher(name: "__name__", op: .equal, value: "http_requests_total"),
        ])
        #expect(expression.type == .instantVector)
    }

    @Test func metricNameInsideBraces() throws {
        let named = try PromQLParser.parse(#"{__name__="up", job="x"}"#)
        guard case .vectorSelector(let selector) = named else { Issue.record("not a selector"); return }
        #expect(selector.name == nil)
        #expect(selector.matchers.first == PromQLLabelMatcher(name: "__name__", op: .equal, value: "up"))
        // PromQL 3: a lone quoted string is the metric name, label names may be quoted.
        let quoted = try PromQLParser.parse(#"{"my.metric", "service.name"="api"}"#)
        guard case .vectorSelector(let utf8) = quoted else { Issue.record("not a selector"); return }
        #expect(utf8.matchers == [
            PromQLLabelMatcher(name: "__name__", op: .equal, value: "my.metric"),
            PromQLLabelMatcher(name: "service.name", op: .equal, value: "api"),
        ])
        // Upstream sorts the printed matchers, and `"` sorts before `_`.
        #expect(quoted.description == #"{"service.name"="api",__name__="my.metric"}"#)
    }

    @Test func keywordsCanBeMetricAndLabelNames() throws {
        #expect(try PromQLParser.parse("sum") == promqlSelector("sum"))
        #expect(try PromQLParser.parse("offset") == promqlSelector("offset"))
        #expect(try promqlFormat(#"by{on="x", bool="y"}"#) == #"by{bool="y",on="x"}"#)
        #expect(try promqlFormat("sum by (on, offset, bool) (x)") == "sum by (on, offset, bool) (x)")
    }

    @Test func rangeSelector() throws {
        let expression = try PromQLParser.parse("rate(x[5m])")
        guard case .call(let call) = expression, case .matrixSelector(let matrix) = call.arguments[0] else {
            Issue.record("unexpected shape: \(expression)")
            return
        }
        #expect(call.function.name == "rate")
        #expect(matrix.range == PromQLDuration(milliseconds: 300_000))
        #expect(call.arguments[0].type == .rangeVector)
    }

    @Test func offsetAndAtModifiers() throws {
        guard case .vectorSelector(let a) = try PromQLParser.parse("x offset -5m @ 1609746000") else { Issue.record("shape"); return }
        #expect(a.offset == PromQLDuration(milliseconds: -300_000))
        #expect(a.at == .timestamp(milliseconds: 1_609_746_000_000))
        guard case .matrixSelector(let b) = try PromQLParser.parse("x[1m] @ start() offset 1h") else { Issue.record("shape"); return }
        #expect(b.selector.at == .start)
        #expect(b.selector.offset == PromQLDuration(milliseconds: 3_600_000))
        guard case .vectorSelector(let c) = try PromQLParser.parse("x @ end()") else { Issue.record("shape"); return }
        #expect(c.at == .end)
        guard case .vectorSelector(let d) = try PromQLParser.parse("x @ -1.5") else { Issue.record("shape"); return }
        #expect(d.at == .timestamp(milliseconds: -1500))
    }

    @Test func subqueries() throws {
        guard case .subquery(let a) = try PromQLParser.parse("rate(x[5m])[1h:5m] offset 1m") else { Issue.record("shape"); return }
        #expect(a.range == PromQLDuration(milliseconds: 3_600_000))
        #expect(a.step == PromQLDuration(milliseconds: 300_000))
        #expect(a.offset == PromQLDuration(milliseconds: 60_000))
        guard case .subquery(let b) = try PromQLParser.parse("x[10m:]") else { Issue.record("shape"); return }
        #expect(b.step == nil)
        #expect(try PromQLParser.parse("(a + b)[5m:1m] @ 100").type == .rangeVector)
    }

    @Test func aggregationsWithGroupingBeforeOrAfter() throws {
        let before = try PromQLParser.parse("sum by (job, instance) (x)")
        let after = try PromQLParser.parse("sum(x) by (job, instance)")
        #expect(before == after)
        guard case .aggregation(let aggregation) = before else { Issue.record("shape"); return }
        #expect(aggregation.grouping == ["job", "instance"])
        #expect(!aggregation.without)
        guard case .aggregation(let without) = try PromQLParser.parse("avg without (a) (x)") else { Issue.record("shape"); return }
        #expect(without.without)
        #expect(try PromQLParser.parse("COUNT(x)") == PromQLParser.parse("count(x)"))
    }

    @Test(arguments: ["topk(3, x)", "bottomk(3, x)", "quantile(0.9, x)", #"count_values("v", x)"#, "limitk(2, x)", "limit_ratio(0.5, x)"])
    func aggregationsWithParameter(query: String) throws {
        guard case .aggregation(let aggregation) = try PromQLParser.parse(query) else { Issue.record("shape"); return }
        #expect(aggregation.parameter != nil)
        #expect(aggregation.op.parameterType != nil)
    }

    @Test func binaryVectorMatching() throws {
        guard case .binary(let b) = try PromQLParser.parse("a * on(job, instance) group_left(version) b") else { Issue.record("shape"); return }
        #expect(b.matching == PromQLVectorMatching(cardinality: .manyToOne, matchingLabels: ["job", "instance"], on: true, include: ["version"]))
        guard case .binary(let c) = try PromQLParser.parse("a / ignoring(code) group_right b") else { Issue.record("shape"); return }
        #expect(c.matching == PromQLVectorMatching(cardinality: .oneToMany, matchingLabels: ["code"], on: false, include: []))
        guard case .binary(let d) = try PromQLParser.parse("a and b") else { Issue.record("shape"); return }
        #expect(d.matching?.cardinality == .manyToMany)
        guard case .binary(let e) = try PromQLParser.parse("a > bool 1") else { Issue.record("shape"); return }
        #expect(e.returnBool)
        #expect(e.matching == nil, "matching is dropped when an operand is a scalar")
        #expect(try PromQLParser.parse("1 > bool 2").type == .scalar)
    }

    @Test func fillModifiers() throws {
        guard case .binary(let a) = try PromQLParser.parse("a + on(x) fill(0) b") else { Issue.record("shape"); return }
        #expect(a.matching?.fillLeft == 0)
        #expect(a.matching?.fillRight == 0)
        guard case .binary(let b) = try PromQLParser.parse("a + fill_left(-1) fill_right(Inf) b") else { Issue.record("shape"); return }
        #expect(b.matching?.fillLeft == -1)
        #expect(b.matching?.fillRight == .infinity)
    }

    @Test func functionCalls() throws {
        guard case .call(let call) = try PromQLParser.parse(#"label_replace(up, "dst", "$1", "src", "(.*)")"#) else { Issue.record("shape"); return }
        #expect(call.arguments.count == 5)
        #expect(try PromQLParser.parse("time()").type == .scalar)
        #expect(try PromQLParser.parse("vector(1)").type == .instantVector)
        #expect(try PromQLParser.parse("hour()").type == .instantVector)
        #expect(try PromQLParser.parse("round(x, 5)").type == .instantVector)
        #expect(try PromQLParser.parse(#"label_join(x, "d", ",", "a", "b", "c")"#).type == .instantVector)
        #expect(try PromQLParser.parse(#"sort_by_label(x, "a", "b")"#).type == .instantVector)
        #expect(try PromQLParser.parse(#"info(x, {k=~".*"})"#).type == .instantVector)
    }

    @Test func stringAndParenthesizedLiterals() throws {
        #expect(try PromQLParser.parse(#""hello""#).type == .string)
        #expect(try PromQLParser.parse("(((1)))") == .parentheses(.parentheses(.parentheses(.number(1)))))
    }

    @Test func durationLiteralsAsNumbers() throws {
        #expect(try PromQLParser.parse("5m") == .number(300, isDuration: true))
        #expect(try promqlFormat("time() - 1h") == "time() - 1h")
    }

    @Test func durationExpressions() throws {
        guard case .matrixSelector(let m) = try PromQLParser.parse("x[5m + 1m]") else { Issue.record("shape"); return }
        let range = try #require(m.rangeExpression)
        #expect(range.evaluate(step: 0, range: 0) == 360)
        guard case .vectorSelector(let v) = try PromQLParser.parse("x offset step() * 2") else {
            // `offset` binds only `step()`; the `* 2` multiplies the selector.
            guard case .binary(let b) = try PromQLParser.parse("x offset step() * 2"), case .vectorSelector(let inner) = b.lhs else {
                Issue.record("shape")
                return
            }
            #expect(inner.offsetExpression == .step)
            return
        }
        Issue.record("offset swallowed the multiplication: \(v)")
    }

    @Test func extendedRangeModifiers() throws {
        guard case .call(let call) = try PromQLParser.parse("increase(x[5m] anchored)"),
              case .matrixSelector(let m) = call.arguments[0] else { Issue.record("shape"); return }
        #expect(m.selector.rangeModifier == .anchored)
    }

    @Test func disabledExperimentalFeatures() {
        let strict = PromQLParser.Options(enableExperimentalFunctions: false, enableDurationExpressions: false,
                                          enableExtendedRangeSelectors: false, enableFillModifiers: false)
        func message(_ query: String) -> String? {
            do { _ = try PromQLParser.parse(query, options: strict); return nil } catch { return error.message }
        }
        #expect(message("limitk(1, x)") == "limitk() and limit_ratio() are experimental and must be enabled with --enable-feature=promql-experimental-functions")
        #expect(message(#"sort_by_label(x, "a")"#) == #"function "sort_by_label" is not enabled"#)
        #expect(message("x[5m+1m]") == "experimental duration expression is not enabled")
        #expect(message("x[5m] anchored") == "anchored modifier is experimental and not enabled")
        #expect(message("a + fill(0) b") == "binop fill modifiers are experimental and not enabled")
        #expect(message("rate(x[5m])") == nil)
    }
}
