import Testing
@testable import KansokuQuery

@Suite("PromQL evaluation: binary operators and vector matching")
struct PromQLOperatorEvaluationTests {
    let store = promqlStore([
        ("requests{job=\"api\", instance=\"0\"}", "10"),
        ("requests{job=\"api\", instance=\"1\"}", "20"),
        ("requests{job=\"web\", instance=\"0\"}", "30"),
        ("limits{job=\"api\"}", "100"),
        ("limits{job=\"web\"}", "50"),
        ("info{job=\"api\", team=\"core\"}", "1"),
        ("errors{job=\"api\", instance=\"0\"}", "1"),
    ])

    @Test("vector/scalar arithmetic drops the name; comparisons filter and keep it")
    func vectorScalar() throws {
        #expect(try promqlVector(store, "requests{job=\"web\"} * 2", at: 0) == ["{instance=\"0\", job=\"web\"}": 60])
        #expect(try promqlVector(store, "requests > 15", at: 0) == [
            "{__name__=\"requests\", instance=\"1\", job=\"api\"}": 20, "{__name__=\"requests\", instance=\"0\", job=\"web\"}": 30])
        // scalar on the left: the vector's value is kept.
        #expect(try promqlVector(store, "15 < requests{job=\"api\"}", at: 0) == ["{__name__=\"requests\", instance=\"1\", job=\"api\"}": 20])
        #expect(try promqlVector(store, "requests{job=\"api\"} > bool 15", at: 0) == ["{instance=\"0\", job=\"api\"}": 0, "{instance=\"1\", job=\"api\"}": 1])
        #expect(try promqlScalar(store, "2 > bool 1", at: 0) == 1)
        #expect(try promqlVector(store, "requests{job=\"web\"} % 7", at: 0).values.first == 2)
        #expect(promqlClose(try promqlVector(store, "requests{job=\"web\"} atan2 0", at: 0).values.first, Double.pi / 2))
    }

    @Test("one-to-one matching with on/ignoring")
    func oneToOne() throws {
        #expect(try promqlVector(store, "requests / ignoring(instance) group_left limits", at: 0) == [
            "{instance=\"0\", job=\"api\"}": 0.1, "{instance=\"1\", job=\"api\"}": 0.2, "{instance=\"0\", job=\"web\"}": 0.6])
        #expect(try promqlVector(store, "errors / on(job, instance) requests", at: 0) == ["{instance=\"0\", job=\"api\"}": 0.1])
        #expect(try promqlVector(store, "requests{instance=\"0\"} + on(job) limits", at: 0) == ["{job=\"api\"}": 110, "{job=\"web\"}": 80])
        #expect(try promqlVector(store, "requests == on(job, instance) errors", at: 0) == [:])
        #expect(try promqlVector(store, "requests >= bool on(job, instance) errors", at: 0) == ["{instance=\"0\", job=\"api\"}": 1])
    }

    @Test("group_left copies extra labels from the one side")
    func groupLeft() throws {
        #expect(try promqlVector(store, "requests{job=\"api\"} * on(job) group_left(team) info", at: 0) == [
            "{instance=\"0\", job=\"api\", team=\"core\"}": 10, "{instance=\"1\", job=\"api\", team=\"core\"}": 20])
        #expect(try promqlVector(store, "info * on(job) group_right(team) requests{job=\"api\"}", at: 0) == [
            "{instance=\"0\", job=\"api\", team=\"core\"}": 10, "{instance=\"1\", job=\"api\", team=\"core\"}": 20])
    }

    @Test("matching errors use Prometheus's messages")
    func matchingErrors() throws {
        #expect(promqlEvaluationError(store, "requests + on(job) limits")?.message
            == "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
        let duplicate = promqlEvaluationError(store, "limits + on(job) group_left requests")?.message ?? ""
        #expect(duplicate.hasPrefix("found duplicate series for the match group {job=\"api\"} on the right hand-side of the operation"))
        #expect(duplicate.hasSuffix("many-to-many matching not allowed: matching labels must be unique on one side"))
    }

    @Test("and, or, unless")
    func setOperators() throws {
        #expect(try promqlVector(store, "requests and errors", at: 0) == ["{__name__=\"requests\", instance=\"0\", job=\"api\"}": 10])
        #expect(try promqlVector(store, "requests and on(job) limits{job=\"web\"}", at: 0) == ["{__name__=\"requests\", instance=\"0\", job=\"web\"}": 30])
        #expect(try promqlVector(store, "requests unless on(job) limits{job=\"web\"}", at: 0).count == 2)
        #expect(try promqlVector(store, "errors or requests", at: 0) == [
            "{__name__=\"errors\", instance=\"0\", job=\"api\"}": 1, "{__name__=\"requests\", instance=\"1\", job=\"api\"}": 20,
            "{__name__=\"requests\", instance=\"0\", job=\"web\"}": 30])
    }

    @Test("dropping the name can make label sets collide")
    func collision() throws {
        let clash = promqlStore([("a{x=\"1\"}", "1"), ("b{x=\"1\"}", "2")])
        #expect(promqlEvaluationError(clash, "{x=\"1\"} * 2")?.message == "vector cannot contain metrics with the same labelset")
        // Delayed removal: label_replace can restore a distinct name first.
        #expect(try promqlVector(clash, "label_replace({x=\"1\"} * 2, \"__name__\", \"c_$1\", \"__name__\", \"(.*)\")", at: 0) == [
            "{__name__=\"c_a\", x=\"1\"}": 2, "{__name__=\"c_b\", x=\"1\"}": 4])
    }
}
