import Testing
@testable import KansokuQuery

@Suite("PromQL evaluation: functions")
struct PromQLFunctionEvaluationTests {
    let store = promqlStore([
        ("c", "0 10 20 30 40 50"),           // a counter, one sample a minute
        ("r", "0 10 20 5 15"),               // a counter with a reset at 3m
        ("g{src=\"a\"}", "5 3 8"),             // a gauge
        ("n{instance=\"10\"}", "-2.5"),
        ("n{instance=\"9\"}", "7.3"),
        ("h_bucket{le=\"1\"}", "10"),
        ("h_bucket{le=\"2\"}", "20"),
        ("h_bucket{le=\"+Inf\"}", "20"),
    ])

    @Test("rate, increase and delta extrapolate to the window edges")
    func extrapolation() throws {
        #expect(promqlClose(try promqlVector(store, "rate(c[5m])", at: 300)["{}"], 1.0 / 6))
        #expect(promqlClose(try promqlVector(store, "increase(c[5m])", at: 300)["{}"], 50))
        // The reset adds the value before it; extrapolation stops at the counter's zero point.
        #expect(promqlClose(try promqlVector(store, "increase(r[5m])", at: 240)["{}"], 35))
        #expect(promqlClose(try promqlVector(store, "delta(g[3m])", at: 120)["{src=\"a\"}"], 4.5))
        // Fewer than two samples: no result.
        #expect(try promqlVector(store, "rate(c[1m])", at: 300) == [:])
    }

    @Test("irate, idelta, deriv, predict_linear, resets, changes")
    func instantAndRegression() throws {
        #expect(promqlClose(try promqlVector(store, "irate(c[5m])", at: 300)["{}"], 1.0 / 6))
        #expect(try promqlVector(store, "irate(r[5m])", at: 180)["{}"] == 5.0 / 60)
        #expect(try promqlVector(store, "idelta(g[3m])", at: 120) == ["{src=\"a\"}": 5])
        #expect(promqlClose(try promqlVector(store, "deriv(c[5m])", at: 300)["{}"], 1.0 / 6))
        #expect(promqlClose(try promqlVector(store, "predict_linear(c[5m], 60)", at: 300)["{}"], 60))
        #expect(try promqlVector(store, "resets(r[5m])", at: 240) == ["{}": 1])
        #expect(try promqlVector(store, "changes(g[5m])", at: 120) == ["{src=\"a\"}": 2])
    }

    @Test("the *_over_time family")
    func overTime() throws {
        let at: Int64 = 120
        #expect(promqlClose(try promqlVector(store, "avg_over_time(g[3m])", at: at)["{src=\"a\"}"], 16.0 / 3))
        #expect(try promqlVector(store, "sum_over_time(g[3m])", at: at) == ["{src=\"a\"}": 16])
        #expect(try promqlVector(store, "min_over_time(g[3m])", at: at) == ["{src=\"a\"}": 3])
        #expect(try promqlVector(store, "max_over_time(g[3m])", at: at) == ["{src=\"a\"}": 8])
        #expect(try promqlVector(store, "count_over_time(g[3m])", at: at) == ["{src=\"a\"}": 3])
        #expect(try promqlVector(store, "last_over_time(g[3m])", at: at) == ["{__name__=\"g\", src=\"a\"}": 8])
        #expect(try promqlVector(store, "present_over_time(g[3m])", at: at) == ["{src=\"a\"}": 1])
        #expect(promqlClose(try promqlVector(store, "stdvar_over_time(g[3m])", at: at)["{src=\"a\"}"], 38.0 / 9))
        #expect(try promqlVector(store, "quantile_over_time(0.5, g[3m])", at: at) == ["{src=\"a\"}": 5])
        #expect(try promqlVector(store, "mad_over_time(g[3m])", at: at) == ["{src=\"a\"}": 2])
        #expect(try promqlVector(store, "absent_over_time(g[3m])", at: at) == [:])
        #expect(try promqlVector(store, "absent_over_time(nothing{job=\"x\"}[3m])", at: at) == ["{job=\"x\"}": 1])
    }

    @Test("element-wise math")
    func math() throws {
        let n = "n{instance=\"10\"}"
        #expect(try promqlVector(store, "abs(\(n))", at: 0).values.first == 2.5)
        #expect(try promqlVector(store, "ceil(\(n))", at: 0).values.first == -2)
        #expect(try promqlVector(store, "floor(\(n))", at: 0).values.first == -3)
        #expect(try promqlVector(store, "round(\(n))", at: 0).values.first == -2)
        #expect(try promqlVector(store, "round(n{instance=\"9\"}, 5)", at: 0).values.first == 5)
        #expect(try promqlVector(store, "clamp(\(n), -1, 1)", at: 0).values.first == -1)
        #expect(try promqlVector(store, "clamp(\(n), 1, -1)", at: 0) == [:])
        #expect(try promqlVector(store, "clamp_min(\(n), 0)", at: 0).values.first == 0)
        #expect(try promqlVector(store, "clamp_max(\(n), -3)", at: 0).values.first == -3)
        #expect(try promqlVector(store, "sgn(\(n))", at: 0).values.first == -1)
        #expect(try promqlVector(store, "sqrt(vector(16))", at: 0) == ["{}": 4])
        #expect(try promqlVector(store, "ln(vector(1))", at: 0) == ["{}": 0])
        #expect(try promqlVector(store, "log2(vector(8))", at: 0) == ["{}": 3])
        #expect(try promqlVector(store, "exp(vector(0))", at: 0) == ["{}": 1])
        #expect(try promqlVector(store, "deg(vector(pi()))", at: 0) == ["{}": 180])
    }

    @Test("time, timestamp, vector, scalar, absent and date functions")
    func timeFunctions() throws {
        #expect(try promqlVector(store, "timestamp(g)", at: 150) == ["{src=\"a\"}": 120])
        #expect(try promqlVector(store, "timestamp(g * 1)", at: 150) == ["{src=\"a\"}": 150])
        #expect(try promqlScalar(store, "scalar(g)", at: 120) == 8)
        #expect(try promqlScalar(store, "scalar(n)", at: 0)?.isNaN == true)
        #expect(try promqlVector(store, "absent(nothing{job=\"x\", a=~\"y\"})", at: 0) == ["{job=\"x\"}": 1])
        #expect(try promqlVector(store, "absent(g)", at: 0) == [:])
        let t = "vector(1709251199)" // 2024-02-29T23:59:59Z, a Thursday
        #expect(try promqlVector(store, "year(\(t))", at: 0) == ["{}": 2024])
        #expect(try promqlVector(store, "month(\(t))", at: 0) == ["{}": 2])
        #expect(try promqlVector(store, "day_of_month(\(t))", at: 0) == ["{}": 29])
        #expect(try promqlVector(store, "day_of_week(\(t))", at: 0) == ["{}": 4])
        #expect(try promqlVector(store, "day_of_year(\(t))", at: 0) == ["{}": 60])
        #expect(try promqlVector(store, "days_in_month(\(t))", at: 0) == ["{}": 29])
        #expect(try promqlVector(store, "hour(\(t))", at: 0) == ["{}": 23])
        #expect(try promqlVector(store, "minute(\(t))", at: 0) == ["{}": 59])
        #expect(try promqlVector(store, "hour()", at: 7200) == ["{}": 2])
    }

    @Test("sorting functions")
    func sorting() throws {
        #expect(try promqlOrder(store, "sort(n)", at: 0) == ["{instance=\"10\"}", "{instance=\"9\"}"].map { "{__name__=\"n\", " + $0.dropFirst() })
        #expect(try promqlOrder(store, "sort_desc(n)", at: 0) == ["{__name__=\"n\", instance=\"9\"}", "{__name__=\"n\", instance=\"10\"}"])
        // Natural order: "9" before "10".
        #expect(try promqlOrder(store, "sort_by_label(n, \"instance\")", at: 0) == ["{__name__=\"n\", instance=\"9\"}", "{__name__=\"n\", instance=\"10\"}"])
        #expect(try promqlOrder(store, "sort_by_label_desc(n, \"instance\")", at: 0) == ["{__name__=\"n\", instance=\"10\"}", "{__name__=\"n\", instance=\"9\"}"])
    }

    @Test("label_replace and label_join")
    func labels() throws {
        #expect(try promqlVector(store, "label_replace(g, \"dst\", \"v-$1\", \"src\", \"(.*)\")", at: 0) == ["{__name__=\"g\", dst=\"v-a\", src=\"a\"}": 5])
        // A regex that does not match the whole value leaves the series alone.
        #expect(try promqlVector(store, "label_replace(g, \"dst\", \"x\", \"src\", \"b\")", at: 0) == ["{__name__=\"g\", src=\"a\"}": 5])
        #expect(try promqlVector(store, "label_join(g, \"dst\", \"-\", \"src\", \"__name__\")", at: 0) == ["{__name__=\"g\", dst=\"a-g\", src=\"a\"}": 5])
        #expect(promqlEvaluationError(store, "label_replace(g, \"dst\", \"\", \"src\", \"(.*\")") != nil)
    }

    @Test("histogram_quantile and histogram_fraction over classic buckets")
    func classicHistograms() throws {
        #expect(try promqlVector(store, "histogram_quantile(0.5, h_bucket)", at: 0) == ["{}": 1])
        #expect(try promqlVector(store, "histogram_quantile(0.75, h_bucket)", at: 0) == ["{}": 1.5])
        #expect(try promqlVector(store, "histogram_quantile(1, h_bucket)", at: 0) == ["{}": 2])
        #expect(try promqlVector(store, "histogram_fraction(0, 1.5, h_bucket)", at: 0) == ["{}": 0.75])
        #expect(try promqlVector(store, "histogram_quantiles(h_bucket, \"q\", 0.5, 1)", at: 0) == ["{q=\"0.5\"}": 1, "{q=\"1.0\"}": 2])
    }

    @Test("double_exponential_smoothing and its argument checks")
    func smoothing() throws {
        // s1 = 5, b = -2; i=1: s = 0.5*3 + 0.5*(5-2) = 3; i=2: b = 0.5*(3-5) + 0.5*(-2) = -2, s = 0.5*8 + 0.5*(3-2) = 4.5
        #expect(try promqlVector(store, "double_exponential_smoothing(g[3m], 0.5, 0.5)", at: 120) == ["{src=\"a\"}": 4.5])
        #expect(promqlEvaluationError(store, "double_exponential_smoothing(g[3m], 1, 0.5)", at: 120)?.message
            == "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000")
    }

    @Test("info() adds data labels from target_info by instance and job")
    func info() throws {
        let store = promqlStore([
            ("up{job=\"api\", instance=\"a\"}", "1"),
            ("up{job=\"web\", instance=\"b\"}", "1"),
            ("target_info{job=\"api\", instance=\"a\", version=\"1.2\", region=\"eu\"}", "1"),
            ("build_info{job=\"api\", instance=\"a\", revision=\"abc\"}", "1"),
        ])
        #expect(try promqlVector(store, "info(up)", at: 0) == [
            "{__name__=\"up\", instance=\"a\", job=\"api\", region=\"eu\", version=\"1.2\"}": 1,
            "{__name__=\"up\", instance=\"b\", job=\"web\"}": 1])
        // A data-label selector keeps only the listed labels and drops unmatched series.
        #expect(try promqlVector(store, "info(up, {version=~\".+\"})", at: 0) == [
            "{__name__=\"up\", instance=\"a\", job=\"api\", version=\"1.2\"}": 1])
        #expect(try promqlVector(store, "info(up, {__name__=\"build_info\"})", at: 0) == [
            "{__name__=\"up\", instance=\"a\", job=\"api\", revision=\"abc\"}": 1,
            "{__name__=\"up\", instance=\"b\", job=\"web\"}": 1])
    }

    @Test("native-histogram functions ignore float samples, as upstream")
    func nativeHistogramFunctions() throws {
        #expect(try promqlVector(store, "histogram_count(g)", at: 0) == [:])
        #expect(try promqlVector(store, "histogram_sum(h_bucket)", at: 0) == [:])
    }

    @Test("a source that cannot serve a selection reports a typed error")
    func sourceErrors() throws {
        struct NativeHistogramSource: PromQLSeriesSource {
            func select(matchers: [PromQLLabelMatcher], start: Int64, end: Int64) throws -> [PromQLSeries] {
                throw PromQLEvaluationError(.unsupported, "native histogram samples")
            }
        }
        #expect(throws: PromQLEvaluationError(.unsupported, "native histogram samples")) {
            try PromQLEngine(source: NativeHistogramSource()).instantQuery(PromQLParser.parse("up"), at: 0)
        }
    }

    @Test("anchored and smoothed range selectors")
    func extendedSelectors() throws {
        // anchored: from the last sample at or before the window start (30 at 3m) to 50.
        #expect(try promqlVector(store, "increase(c[2m] anchored)", at: 300) == ["{}": 20])
        // smoothed: 20 at the window start, 45 interpolated at 4m30s.
        #expect(try promqlVector(store, "increase(c[150s] smoothed)", at: 270) == ["{}": 25])
        #expect(try promqlVector(store, "c smoothed", at: 90) == ["{__name__=\"c\"}": 15])
        let value = try PromQLEngine(source: store).instantQuery(PromQLParser.parse("c[1m] anchored"), at: 150_000)
        guard case .matrix(let series) = value else { Issue.record("expected a matrix"); return }
        #expect(series.first?.samples == [PromQLSample(timestamp: 90_000, value: 10), PromQLSample(timestamp: 120_000, value: 20),
                                          PromQLSample(timestamp: 150_000, value: 20)])
        #expect(promqlEvaluationError(store, "max_over_time(c[5m] anchored)", at: 300)?.message
            == "anchored modifier can only be used with: changes, delta, increase, rate, resets - not with max_over_time")
    }
}
