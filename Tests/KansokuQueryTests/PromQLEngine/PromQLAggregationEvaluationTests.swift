import Testing
import KansokuModel
@testable import KansokuQuery

@Suite("PromQL evaluation: aggregations")
struct PromQLAggregationEvaluationTests {
    let store = promqlStore([
        ("x{job=\"a\", i=\"1\"}", "1"),
        ("x{job=\"a\", i=\"2\"}", "3"),
        ("x{job=\"b\", i=\"1\"}", "5"),
        ("x{job=\"b\", i=\"2\"}", "8"),
    ])

    @Test("sum, avg, min, max, count, group by and without")
    func basic() throws {
        #expect(try promqlVector(store, "sum by (job) (x)", at: 0) == ["{job=\"a\"}": 4, "{job=\"b\"}": 13])
        #expect(try promqlVector(store, "sum without (i) (x)", at: 0) == ["{job=\"a\"}": 4, "{job=\"b\"}": 13])
        #expect(try promqlVector(store, "sum(x)", at: 0) == ["{}": 17])
        #expect(try promqlVector(store, "avg by (job) (x)", at: 0) == ["{job=\"a\"}": 2, "{job=\"b\"}": 6.5])
        #expect(try promqlVector(store, "min by (i) (x)", at: 0) == ["{i=\"1\"}": 1, "{i=\"2\"}": 3])
        #expect(try promqlVector(store, "max(x)", at: 0) == ["{}": 8])
        #expect(try promqlVector(store, "count by (job) (x)", at: 0) == ["{job=\"a\"}": 2, "{job=\"b\"}": 2])
        #expect(try promqlVector(store, "group by (job) (x)", at: 0) == ["{job=\"a\"}": 1, "{job=\"b\"}": 1])
    }

    @Test("sum and avg over native histograms: per group, float groups still summed, mixed groups dropped; count counts both")
    func histograms() throws {
        var store = promqlStore([("x{kind=\"f\", i=\"1\"}", "1"), ("x{kind=\"f\", i=\"2\"}", "2"), ("x{kind=\"m\", i=\"1\"}", "4")])
        let h = NativeHistogram(notation: "{{schema:0 count:2 sum:3 buckets:[2]}}")!
        store.add(PromQLLabels([("__name__", "x"), ("kind", "h"), ("i", "1")]), PromQLHistogramSample(timestamp: 0, histogram: h))
        store.add(PromQLLabels([("__name__", "x"), ("kind", "h"), ("i", "2")]), PromQLHistogramSample(timestamp: 0, histogram: h))
        store.add(PromQLLabels([("__name__", "x"), ("kind", "m"), ("i", "2")]), PromQLHistogramSample(timestamp: 0, histogram: h))
        let value = try PromQLEngine(source: store).instantQuery(PromQLParser.parse("sum by (kind) (x)"), at: 0)
        guard case .vector(let samples) = value else { Issue.record("expected a vector, got \(value)"); return }
        let byKind = Dictionary(uniqueKeysWithValues: samples.map { ($0.labels["kind"]!, $0) })
        #expect(byKind.keys.sorted() == ["f", "h"])
        #expect(byKind["f"]?.value == 3 && byKind["f"]?.histogram == nil)
        #expect(byKind["h"]?.histogram?.count == 4 && byKind["h"]?.histogram?.sum == 6)
        #expect(try promqlVector(store, "count by (kind) (x)", at: 0) == ["{kind=\"f\"}": 2, "{kind=\"h\"}": 2, "{kind=\"m\"}": 2])
        #expect(try promqlVector(store, "max by (kind) (x)", at: 0) == ["{kind=\"f\"}": 2, "{kind=\"m\"}": 4])
    }

    @Test("stddev, stdvar and quantile")
    func statistics() throws {
        #expect(try promqlVector(store, "stdvar by (job) (x)", at: 0) == ["{job=\"a\"}": 1, "{job=\"b\"}": 2.25])
        #expect(try promqlVector(store, "stddev by (job) (x)", at: 0) == ["{job=\"a\"}": 1, "{job=\"b\"}": 1.5])
        #expect(promqlClose(try promqlVector(store, "stdvar(x)", at: 0)["{}"], 6.6875))
        #expect(try promqlVector(store, "quantile(0.5, x)", at: 0) == ["{}": 4])
        #expect(try promqlVector(store, "quantile(2, x)", at: 0) == ["{}": .infinity])
    }

    @Test("topk and bottomk keep the input labels and order their output")
    func topk() throws {
        #expect(try promqlVector(store, "topk by (job) (1, x)", at: 0) == [
            "{__name__=\"x\", i=\"2\", job=\"a\"}": 3, "{__name__=\"x\", i=\"2\", job=\"b\"}": 8])
        #expect(try promqlOrder(store, "bottomk(2, x)", at: 0) == ["{__name__=\"x\", i=\"1\", job=\"a\"}", "{__name__=\"x\", i=\"2\", job=\"a\"}"])
        #expect(try promqlOrder(store, "topk(2, x)", at: 0) == ["{__name__=\"x\", i=\"2\", job=\"b\"}", "{__name__=\"x\", i=\"1\", job=\"b\"}"])
        #expect(try promqlVector(store, "topk(0, x)", at: 0) == [:])
        #expect(try promqlVector(store, "limitk by (job) (1, x)", at: 0).count == 2)
        #expect(promqlEvaluationError(store, "topk(NaN, x)")?.message == "Parameter value is NaN")
        #expect(promqlEvaluationError(store, "topk(1e19, x)")?.message == "Scalar value 1e+19 overflows int64")
    }

    @Test("count_values adds the value as a label")
    func countValues() throws {
        let twice = promqlStore([("y{a=\"1\"}", "2"), ("y{a=\"2\"}", "2"), ("y{a=\"3\"}", "0.5")])
        #expect(try promqlVector(twice, "count_values(\"value\", y)", at: 0) == ["{value=\"2\"}": 2, "{value=\"0.5\"}": 1])
        #expect(promqlEvaluationError(twice, "count_values(\"\", y)")?.message == "invalid label name \"\"")
    }

    @Test("aggregating by __name__ keeps names that are only marked for removal")
    func delayedNameRemoval() throws {
        #expect(promqlEvaluationError(store, "sum by (__name__) (rate(x[5m]) or x * 2)") == nil)
        let clash = promqlStore([("a{j=\"1\"}", "0 1"), ("b{j=\"1\"}", "0 2")])
        #expect(promqlEvaluationError(clash, "sum by (__name__, j) (rate({j=\"1\"}[5m]))", at: 60)?.message
            == "vector cannot contain metrics with the same labelset")
    }

    @Test("a range query's aggregation over a range function answers every step as instant queries do, also where a group has no member")
    func rangeQueryAggregationMatchesInstantQueries() throws {
        // job "b" stops after 3 minutes, so its group is absent from later steps.
        let store = promqlStore([("x{job=\"a\", i=\"1\"}", "0+1x10"), ("x{job=\"a\", i=\"2\"}", "0+2x10"),
                                 ("x{job=\"b\", i=\"1\"}", "0+5x3")])
        let engine = PromQLEngine(source: store)
        for query in ["sum by (job) (rate(x[2m]))", "count without (i) (rate(x[2m]))", "max by (i) ((increase(x[3m])))",
                      "avg(delta(x[2m]))", "group by (job) (last_over_time(x[1m]))", "min without (job) (changes(x[5m]))",
                      "sum by (__name__) (rate(x[2m]))", "max by (__name__, job) (last_over_time(x[1m] offset 1m))"] {
            // The answers below must come from the folded step values, not the element-by-element path.
            let expression = try PromQLParser.parse(query)
            guard case .aggregation(let aggregation) = expression else { Issue.record("\(query) is not an aggregation"); continue }
            let evaluator = PromQLEvaluator(source: store, options: PromQLEngine.Options(), start: 0, end: 600_000, step: 60_000,
                                            expression: expression)
            #expect(try evaluator.stepAggregation(aggregation, at: 120_000) != nil, "\(query)")
            let (fromRange, fromInstants) = try Self.rangeAndInstantAnswers(query, store: store, engine: engine)
            #expect(fromRange == fromInstants, "\(query)")
        }
        let sums = try engine.rangeQuery(PromQLParser.parse("sum by (job) (rate(x[2m]))"), start: 0, end: 600_000, step: 60_000)
        #expect(sums.map(\.labels.description) == ["{job=\"a\"}", "{job=\"b\"}"])
        #expect(sums[1].samples.map(\.timestamp) == [60_000, 120_000, 180_000])
        // rate drops the name, last_over_time keeps it.
        let byName = try engine.rangeQuery(PromQLParser.parse("sum by (__name__) (rate(x[2m]))"), start: 0, end: 600_000, step: 60_000)
        #expect(byName.map(\.labels.description) == ["{}"])
        let kept = try engine.rangeQuery(PromQLParser.parse("max by (__name__) (last_over_time(x[1m]))"), start: 0, end: 600_000, step: 60_000)
        #expect(kept.map(\.labels.description) == ["{__name__=\"x\"}"])
    }

    @Test("step values of more series than one core takes (split in parts) answer as instant queries do")
    func manySeriesStepValuesMatchInstantQueries() throws {
        let count = PromQLStepValues.minimumSeriesPerPart * 3 + 5
        let store = promqlStore((0..<count).map { i in ("x{g=\"\(i % 4)\", i=\"\(i)\"}", "0+\(i)x10") })
        let engine = PromQLEngine(source: store)
        for query in ["sum by (g) (rate(x[2m]))", "rate(x[3m])"] {
            let (fromRange, fromInstants) = try Self.rangeAndInstantAnswers(query, store: store, engine: engine)
            #expect(fromRange.count == (query.hasPrefix("sum") ? 4 : count))
            #expect(fromRange == fromInstants, "\(query)")
        }
    }

    /// `query` over 0–10 min at a 1 min step, as a range query and as an
    /// instant query at every step: values by series and time.
    private static func rangeAndInstantAnswers(_ query: String, store: InMemoryPromQLSeriesSource, engine: PromQLEngine) throws
        -> (range: [String: [Int64: Double]], instants: [String: [Int64: Double]]) {
        var fromRange: [String: [Int64: Double]] = [:]
        for series in try engine.rangeQuery(PromQLParser.parse(query), start: 0, end: 600_000, step: 60_000) {
            for sample in series.samples { fromRange[series.labels.description, default: [:]][sample.timestamp] = sample.value }
        }
        var fromInstants: [String: [Int64: Double]] = [:]
        for step in 0...10 {
            for (labels, value) in try promqlVector(store, query, at: Int64(step) * 60) {
                fromInstants[labels, default: [:]][Int64(step) * 60_000] = value
            }
        }
        return (fromRange, fromInstants)
    }
}
