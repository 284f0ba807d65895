import Testing
@testable import KansokuQuery

/// Metric queries at t = base + 600 s unless stated. Range windows are
/// `(t - range, t]`, so a line exactly at `t - range` is excluded.
@Suite("LogQL evaluation: metric queries")
struct LogQLEvalMetricTests {
    private let statusCounts = #"sum by (status) (count_over_time({app="nginx"} | pattern `<_> "<_>" <status> <_>` [10m]))"#

    /// nginx lines at 546…594 s fall in (540, 600]: 9 lines.
    @Test func countAndRate() throws {
        #expect(try logqlVector(#"count_over_time({app="nginx"}[1m])"#) == [#"{app="nginx", env="prod"}"#: 9])
        #expect(try logqlVector(#"rate({app="nginx"}[1m])"#) == [#"{app="nginx", env="prod"}"#: 0.15])
    }

    /// (0, 600] excludes the lines at exactly 0 s.
    @Test func sumByAfterCount() throws {
        #expect(try logqlVector(#"sum by (env) (count_over_time({app="api"}[10m]))"#)
            == [#"{env="prod"}"#: 79, #"{env="staging"}"#: 19])
        #expect(try logqlVector(#"sum(count_over_time({app="nginx"} |= "500" [10m]))"#) == ["{}": 9])
    }

    /// Structured metadata labels are part of the series labels.
    @Test func structuredMetadataSplitsSeries() throws {
        #expect(try logqlVector(#"count_over_time({app="api", env="prod"}[10m])"#)
            == [#"{app="api", env="prod", region="eu"}"#: 39, #"{app="api", env="prod", region="us"}"#: 40])
    }

    /// bytes_* count the bytes of the (processed) line.
    @Test func bytesOverTimeAndRate() throws {
        let total = Double(workerLines.reduce(0) { $0 + $1.utf8.count })
        #expect(try logqlVector(#"bytes_over_time({app="worker"}[1m])"#, at: 60) == [#"{app="worker", env="prod"}"#: total])
        #expect(try logqlVector(#"bytes_rate({app="worker"}[1m])"#, at: 60) == [#"{app="worker", env="prod"}"#: total / 60])
        #expect(try logqlVector(#"bytes_over_time({app="worker"} |= "_entry" | unpack [1m])"#, at: 60)
            == [#"{app="worker", env="prod", level="debug", pod="p1"}"#: 11])
    }

    /// Like Prometheus' absent: labels from the selector's equality matchers.
    @Test func absentOverTime() throws {
        #expect(try logqlVector(#"absent_over_time({app="nope", env="prod"}[1m])"#) == [#"{app="nope", env="prod"}"#: 1])
        #expect(try logqlVector(#"absent_over_time({app="nginx"}[1m])"#) == [:])
    }

    /// `| json` builds only the labels a folded `sum by` (or a range
    /// aggregation's `by`, an unwrap, the label filters after it) reads; the
    /// answer is the one building every label gives. A `line_format` after
    /// `| json` that leaves the line as it is keeps every label built.
    @Test func narrowedJSONGivesTheAnswerOfTheFullParse() throws {
        let full = #" | line_format "{{ __line__ }}""#
        let api = #"{app="api", env="prod"} | json"#
        let worker = #"{app="worker"} |= "{" | json"#
        let queries: [(String, String, Int64)] = [
            ("sum by (level) (count_over_time(", #" | latency_ms > 40 [10m]))"#, 600),
            ("sum by (level) (count_over_time(", #" | http_status=500 or msg=~"req 1.*" [10m]))"#, 600),
            ("sum by (app) (bytes_over_time(", #" | level="error" | latency_ms < 30 [10m]))"#, 600),
            ("sum by (level) (count_over_time(", #" | __error__="" [10m]))"#, 600),
            ("avg_over_time(", #" | unwrap latency_ms | __error__="" [10m]) by (env)"#, 600),
            ("max_over_time(", #" | level="info" | unwrap latency_ms [10m]) by (region)"#, 600),
            ("sum by (app_extracted, level) (count_over_time(", #" | level!="x" [1m]))"#, 60),
            ("sum(bytes_over_time(", #" | keep level [10m]))"#, 600),
            ("sum by (level) (count_over_time(", #" | drop msg, level="info" [10m]))"#, 600),
            ("count_over_time(", #" | keep level, http_status="500" | level="error" [10m])"#, 600),
            ("count_over_time(", #" | keep app_extracted, level | drop level="debug" [1m])"#, 60),
        ]
        for (head, tail, time) in queries {
            for selector in [api, worker] {
                let narrowed = head + selector + tail
                let built = head + selector + full + tail
                #expect(outcome(narrowed, at: time) == outcome(built, at: time), "\(narrowed)")
            }
        }
        #expect(try logqlVector("sum by (level) (count_over_time(\(api) | latency_ms > 40 [10m]))")
            == [#"{level="error"}"#: 9, #"{level="info"}"#: 30])
    }

    /// The answer, or the type of the pipeline error (whose series lists the
    /// labels built, as in Loki, which also builds only those it needs).
    private func outcome(_ query: String, at time: Int64) -> String {
        do {
            return "\(try logqlVector(query, at: time).sorted { $0.key < $1.key })"
        } catch LogQLEvaluationError.pipelineError(let type, _) {
            return "error \(type)"
        } catch {
            return "\(error)"
        }
    }

    /// `| json` builds only the labels a folded `sum by` reads; the answer is
    /// the one building every label gives.
    @Test func foldedJSONBuildsOnlyTheGroupedLabels() throws {
        let api = #"{app="api", env="prod"} | json"#
        #expect(try logqlVector("sum by (level) (count_over_time(\(api) [10m]))") == [#"{level="error"}"#: 19, #"{level="info"}"#: 60])
        #expect(try logqlVector("sum by (level) (count_over_time(\(api) [10m]))")
            == logqlVector("sum by (level) (count_over_time(\(api) | __error__=\"\" [10m]))"))
        #expect(try logqlVector("sum by (app) (count_over_time(\(api) | level=\"error\" [10m]))") == [#"{app="api"}"#: 19])
        // A field named like a stream label is grouped under its `_extracted` name.
        let worker = #"{app="worker"} |= "{" | json"#
        let folded = try logqlVector("sum by (app_extracted, level) (count_over_time(\(worker) [1m]))", at: 60)
        #expect(folded == [#"{level="info"}"#: 1, #"{app_extracted="shadow", level="error"}"#: 1, #"{level="debug"}"#: 1])
        #expect(try folded == logqlVector("sum by (app_extracted, level) (count_over_time(\(worker) | __error__=\"\" [1m]))", at: 60))
    }

    /// The unwrapped label is removed from the series labels.
    @Test func unwrapSumAndAvg() throws {
        #expect(try logqlVector(#"sum by (region) (sum_over_time({app="api", env="prod"} | json | unwrap latency_ms [10m]))"#)
            == [#"{region="eu"}"#: 1560, #"{region="us"}"#: 1600])
        #expect(try logqlVector(#"sum_over_time({app="api", env="prod"} | json latency_ms | unwrap latency_ms [10m])"#)
            == [#"{app="api", env="prod", region="eu"}"#: 1560, #"{app="api", env="prod", region="us"}"#: 1600])
        #expect(try logqlVector(#"avg_over_time({app="api", env="prod"} | json latency_ms | unwrap latency_ms [10m]) by (env)"#)
            == [#"{env="prod"}"#: 40])
    }

    @Test func unwrapMinMaxFirstLast() throws {
        let range = #"{app="api", env="prod"} | json latency_ms | unwrap latency_ms [10m]"#
        #expect(try logqlVector("min_over_time(\(range)) by (env)") == [#"{env="prod"}"#: 1])
        #expect(try logqlVector("max_over_time(\(range)) by (env)") == [#"{env="prod"}"#: 79])
        #expect(try logqlVector("first_over_time(\(range)) by (env)") == [#"{env="prod"}"#: 1])
        #expect(try logqlVector("last_over_time(\(range)) without (app, region)") == [#"{env="prod"}"#: 79])
    }

    /// Values 1…79: median 40; population variance (n²−1)/12 = 520.
    @Test func unwrapQuantileAndDeviation() throws {
        let range = #"{app="api", env="prod"} | json latency_ms | unwrap latency_ms [10m]"#
        #expect(try logqlVector("quantile_over_time(0.5, \(range)) by (env)") == [#"{env="prod"}"#: 40])
        #expect(logqlClose(try logqlVector("stdvar_over_time(\(range)) by (env)")[#"{env="prod"}"#], 520))
        #expect(logqlClose(try logqlVector("stddev_over_time(\(range)) by (env)")[#"{env="prod"}"#], 520.0.squareRoot()))
    }

    /// duration() converts Go durations to seconds; bytes() humanized sizes.
    @Test func unwrapConversions() throws {
        let d = try logqlVector(#"sum by (env) (sum_over_time({app="api", env="prod"} | json duration | unwrap duration(duration) [10m]))"#)
        #expect(logqlClose(d[#"{env="prod"}"#], 31.6))
        #expect(try logqlVector(#"sum by (env) (sum_over_time({app="api", env="prod"} | json size | unwrap bytes(size) [10m]))"#)
            == [#"{env="prod"}"#: 3_160_000])
        #expect(try logqlVector(#"sum by (env) (sum_over_time({env="staging"} | logfmt | unwrap duration(duration) [10m]))"#)
            == [#"{env="staging"}"#: 190])
    }

    /// Loki: rate over an unwrapped range is sum / range seconds.
    @Test func rateOfUnwrap() throws {
        let v = try logqlVector(#"sum by (env) (rate({app="api", env="prod"} | json latency_ms | unwrap latency_ms [10m]))"#)
        #expect(logqlClose(v[#"{env="prod"}"#], 3160.0 / 600))
    }

    /// A sample still carrying `__error__` fails the query; filtering on
    /// `__error__=""` after unwrap drops those lines instead.
    @Test func unwrapErrors() throws {
        #expect(throws: LogQLEvaluationError.self) {
            try logqlVector(#"sum_over_time({app="worker"} | json | unwrap job [1m])"#, at: 60)
        }
        #expect(try logqlVector(#"sum(sum_over_time({app="worker"} | json | unwrap job | __error__="" [1m]))"#, at: 60) == [:])
    }

    /// In (0, 600]: 200 → 80, 404 → 10, 500 → 9.
    @Test func vectorAggregations() throws {
        #expect(try logqlVector(statusCounts) == [#"{status="200"}"#: 80, #"{status="404"}"#: 10, #"{status="500"}"#: 9])
        #expect(try logqlVector("count(\(statusCounts))") == ["{}": 3])
        #expect(try logqlVector("max(\(statusCounts))") == ["{}": 80])
        #expect(try logqlVector("min(\(statusCounts))") == ["{}": 9])
        #expect(try logqlVector("avg(\(statusCounts))") == ["{}": 33])
        let mean = 33.0
        let variance = ((80 - mean) * (80 - mean) + (10 - mean) * (10 - mean) + (9 - mean) * (9 - mean)) / 3
        #expect(logqlClose(try logqlVector("stdvar(\(statusCounts))")["{}"], variance))
        #expect(logqlClose(try logqlVector("stddev(\(statusCounts))")["{}"], variance.squareRoot()))
    }

    @Test func topkBottomkSort() throws {
        #expect(try logqlVector("topk(1, \(statusCounts))") == [#"{status="200"}"#: 80])
        #expect(try logqlVector("bottomk(2, \(statusCounts))") == [#"{status="404"}"#: 10, #"{status="500"}"#: 9])
        #expect(try logqlOrder("sort_desc(\(statusCounts))") == [#"{status="200"}"#, #"{status="404"}"#, #"{status="500"}"#])
        #expect(try logqlOrder("sort(\(statusCounts))") == [#"{status="500"}"#, #"{status="404"}"#, #"{status="200"}"#])
    }

    @Test func withoutGrouping() throws {
        #expect(try logqlVector(#"sum without (env, region) (count_over_time({app="api", env="prod"}[10m]))"#)
            == [#"{app="api"}"#: 79])
    }

    @Test func scalarArithmeticAndComparison() throws {
        #expect(try logqlVector("\(statusCounts) / 10") == [#"{status="200"}"#: 8, #"{status="404"}"#: 1, #"{status="500"}"#: 0.9])
        #expect(try logqlVector("\(statusCounts) > 9") == [#"{status="200"}"#: 80, #"{status="404"}"#: 10])
        #expect(try logqlVector("\(statusCounts) > bool 9") == [#"{status="200"}"#: 1, #"{status="404"}"#: 1, #"{status="500"}"#: 0])
        #expect(try logqlVector("100 - \(statusCounts)") == [#"{status="200"}"#: 20, #"{status="404"}"#: 90, #"{status="500"}"#: 91])
        #expect(try logqlEngine.instantQuery(LogQLParser.parseMetricQuery("1 + 2 * 3 ^ 2"), at: ns(0)) == .scalar(19))
    }

    /// prod: api 79 / (api 79 + nginx 99); staging: 19 / 19.
    @Test func vectorMatchingOn() throws {
        let v = try logqlVector(#"sum by (env) (count_over_time({app="api"}[10m])) / on (env) sum by (env) (count_over_time({app=~"api|nginx"}[10m]))"#)
        #expect(logqlClose(v[#"{env="prod"}"#], 79.0 / 178))
        #expect(v[#"{env="staging"}"#] == 1)
        #expect(v.count == 2)
    }

    /// prod total = nginx 99 + api 79 + worker 5 = 183.
    @Test func groupLeft() throws {
        let v = try logqlVector(#"sum by (app, env) (count_over_time({env="prod"}[10m])) / on (env) group_left sum by (env) (count_over_time({env="prod"}[10m]))"#)
        #expect(logqlClose(v[#"{app="nginx", env="prod"}"#], 99.0 / 183))
        #expect(logqlClose(v[#"{app="api", env="prod"}"#], 79.0 / 183))
        #expect(logqlClose(v[#"{app="worker", env="prod"}"#], 5.0 / 183))
        let r = try logqlVector(#"sum by (env) (count_over_time({env="prod"}[10m])) - on (env) group_right sum by (app, env) (count_over_time({env="prod"}[10m]))"#)
        #expect(r[#"{app="worker", env="prod"}"#] == 178)
    }

    @Test func manyToManyIsAnError() {
        #expect(throws: LogQLEvaluationError.self) {
            try logqlVector(#"sum by (app, env) (count_over_time({env="prod"}[10m])) / on (env) sum by (app, env) (count_over_time({env="prod"}[10m]))"#)
        }
    }

    @Test func setOperators() throws {
        let api = #"sum by (env) (count_over_time({app="api"}[10m]))"#
        let nginx = #"sum by (env) (count_over_time({app="nginx"}[10m]))"#
        #expect(try logqlVector("\(api) and \(nginx)") == [#"{env="prod"}"#: 79])
        #expect(try logqlVector("\(api) unless \(nginx)") == [#"{env="staging"}"#: 19])
        #expect(try logqlVector("\(nginx) or \(api)") == [#"{env="prod"}"#: 99, #"{env="staging"}"#: 19])
        #expect(try logqlVector(#"sum(count_over_time({app="nope"}[1m])) or vector(0)"#) == ["{}": 0])
    }

    /// offset 5m at 600 s reads (240, 300]: lines 41…50.
    @Test func offset() throws {
        #expect(try logqlVector(#"count_over_time({app="nginx"}[1m] offset 5m)"#) == [#"{app="nginx", env="prod"}"#: 10])
    }

    @Test func labelReplace() throws {
        #expect(try logqlVector(#"label_replace(sum by (env) (count_over_time({app="api"}[10m])), "e", "x-$1", "env", "(.*)")"#)
            == [#"{e="x-prod", env="prod"}"#: 79, #"{e="x-staging", env="staging"}"#: 19])
    }

    /// Steps at start + k·step; a series only has points where its window
    /// had lines (worker lines at 10…50 s).
    @Test func rangeQueryMatrix() throws {
        let expr = try LogQLParser.parseMetricQuery(#"count_over_time({app="worker"}[30s])"#)
        let value = try logqlEngine.rangeQuery(expr, start: ns(0), end: ns(120), step: 30_000_000_000)
        #expect(value == .matrix([LogQLSeries(labels: ["app": "worker", "env": "prod"], points: [
            LogQLPoint(timestamp: ns(30), value: 3), LogQLPoint(timestamp: ns(60), value: 2),
        ])]))
        let staging = try LogQLParser.parseMetricQuery(#"sum(count_over_time({env="staging"}[1m]))"#)
        let flat = try logqlEngine.rangeQuery(staging, start: ns(60), end: ns(180), step: 60_000_000_000)
        #expect(flat == .matrix([LogQLSeries(labels: [:], points: [
            LogQLPoint(timestamp: ns(60), value: 2), LogQLPoint(timestamp: ns(120), value: 2),
            LogQLPoint(timestamp: ns(180), value: 2),
        ])]))
    }

    @Test func evaluateDispatch() throws {
        let logs = try logqlEngine.evaluate(LogQLParser.parse(#"{app="worker"}"#), start: ns(0), end: ns(100), step: 1, limit: 2)
        guard case .streams(let streams) = logs else { Issue.record("expected streams"); return }
        #expect(streams[0].entries.map(\.timestamp) == [ns(50), ns(40)])
        #expect(throws: LogQLEvaluationError.invalidStep) {
            try logqlEngine.rangeQuery(LogQLParser.parseMetricQuery("vector(1)"), start: ns(0), end: ns(10), step: 0)
        }
    }
}
