import Testing
@testable import KansokuQuery

@Suite("PromQL evaluation: selectors, staleness, offset, @, subqueries")
struct PromQLSelectorEvaluationTests {
    let store = promqlStore([
        ("metric{job=\"a\"}", "1 2 3 4 5"),          // t = 0, 1m, 2m, 3m, 4m
        ("metric{job=\"b\"}", "10 _ _ stale 40"),
        ("other", "7"),
    ])

    @Test("an instant selector returns the newest sample in the lookback window")
    func lookback() throws {
        #expect(try promqlVector(store, "metric", at: 90) == ["{__name__=\"metric\", job=\"a\"}": 2, "{__name__=\"metric\", job=\"b\"}": 10])
        // 5m lookback is left-open: the sample at 0 is gone exactly at 5m.
        #expect(try promqlVector(store, "other", at: 299) == ["{__name__=\"other\"}": 7])
        #expect(try promqlVector(store, "other", at: 300) == [:])
    }

    @Test("a staleness marker hides a series until the next real sample")
    func staleness() throws {
        #expect(try promqlVector(store, "metric{job=\"b\"}", at: 179)["{__name__=\"metric\", job=\"b\"}"] == 10)
        #expect(try promqlVector(store, "metric{job=\"b\"}", at: 180) == [:])
        #expect(try promqlVector(store, "metric{job=\"b\"}", at: 240) == ["{__name__=\"metric\", job=\"b\"}": 40])
    }

    @Test("range selectors are left-open and skip staleness markers")
    func rangeWindow() throws {
        // (60s, 180s] holds the samples at 2m and 3m only.
        #expect(try promqlVector(store, "count_over_time(metric{job=\"a\"}[2m])", at: 180) == ["{job=\"a\"}": 2])
        // Samples at 0 and 4m count; the marker at 3m does not.
        #expect(try promqlVector(store, "count_over_time(metric{job=\"b\"}[5m])", at: 240) == ["{job=\"b\"}": 2])
        let value = try PromQLEngine(source: store).instantQuery(PromQLParser.parse("metric{job=\"a\"}[2m]"), at: 180_000)
        guard case .matrix(let series) = value else { Issue.record("expected a matrix"); return }
        #expect(series.map { $0.samples.map(\.timestamp) } == [[120_000, 180_000]])
    }

    @Test("offset and @ move the evaluation time of a selector")
    func offsetAndAt() throws {
        #expect(try promqlVector(store, "metric{job=\"a\"} offset 2m", at: 240) == ["{__name__=\"metric\", job=\"a\"}": 3])
        #expect(try promqlVector(store, "metric{job=\"a\"} offset -1m", at: 60) == ["{__name__=\"metric\", job=\"a\"}": 3])
        #expect(try promqlVector(store, "metric{job=\"a\"} @ 60", at: 240) == ["{__name__=\"metric\", job=\"a\"}": 2])
        #expect(try promqlVector(store, "metric{job=\"a\"} @ 120 offset 1m", at: 0) == ["{__name__=\"metric\", job=\"a\"}": 2])
        // In a range query @ start() and @ end() pin to the query's bounds.
        let engine = PromQLEngine(source: store)
        let series = try engine.rangeQuery(PromQLParser.parse("metric{job=\"a\"} @ end()"), start: 0, end: 120_000, step: 60_000)
        #expect(series.first?.samples.map(\.value) == [3, 3, 3])
        let first = try engine.rangeQuery(PromQLParser.parse("metric{job=\"a\"} @ start()"), start: 60_000, end: 120_000, step: 60_000)
        #expect(first.first?.samples.map(\.value) == [2, 2])
    }

    @Test("subqueries evaluate at epoch-aligned steps inside (t-range, t]")
    func subquery() throws {
        // Steps at 2m, 3m, 4m: values 3, 4, 5.
        #expect(try promqlVector(store, "sum_over_time(metric{job=\"a\"}[3m:1m])", at: 240) == ["{job=\"a\"}": 12])
        // Unaligned evaluation time: steps at 1m, 2m (the 0 step is excluded, left-open).
        #expect(try promqlVector(store, "count_over_time(metric{job=\"a\"}[150s:1m])", at: 150) == ["{job=\"a\"}": 2])
        // A subquery without step uses the default 1m.
        #expect(try promqlVector(store, "max_over_time(metric{job=\"a\"}[2m:])", at: 240) == ["{job=\"a\"}": 5])
        #expect(try promqlVector(store, "min_over_time(metric{job=\"a\"}[2m:] offset 1m)", at: 240) == ["{job=\"a\"}": 3])
    }

    @Test("literals, unary minus and time()")
    func literals() throws {
        #expect(try promqlScalar(store, "1 + 2 * 3", at: 0) == 7)
        #expect(try promqlScalar(store, "-(2 ^ 2)", at: 0) == -4)
        #expect(try promqlScalar(store, "time()", at: 90) == 90)
        #expect(try promqlVector(store, "-metric{job=\"a\"}", at: 60) == ["{job=\"a\"}": -2])
        let value = try PromQLEngine(source: store).instantQuery(PromQLParser.parse("\"text\""), at: 0)
        guard case .string(let s) = value else { Issue.record("expected a string"); return }
        #expect(s == "text")
    }

    @Test("range queries evaluate every step and sort series by labels")
    func rangeQuery() throws {
        let series = try PromQLEngine(source: store).rangeQuery(PromQLParser.parse("metric"), start: 0, end: 240_000, step: 60_000)
        #expect(series.map(\.labels.description) == ["{__name__=\"metric\", job=\"a\"}", "{__name__=\"metric\", job=\"b\"}"])
        #expect(series[0].samples.map(\.value) == [1, 2, 3, 4, 5])
        #expect(series[1].samples.map(\.timestamp) == [0, 60_000, 120_000, 240_000])
        let scalar = try PromQLEngine(source: store).rangeQuery(PromQLParser.parse("time()"), start: 0, end: 120_000, step: 60_000)
        #expect(scalar.count == 1 && scalar[0].labels.isEmpty && scalar[0].samples.map(\.value) == [0, 60, 120])
    }
}
