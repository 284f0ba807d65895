import Testing
@testable import KansokuQuery

/// Builds an in-memory store from script-style lines, e.g.
/// `("http_requests{job=\"api\"}", "0+10x5")`, one value per `interval` ms.
func promqlStore(interval: Int64 = 60_000, _ lines: [(String, String)]) -> InMemoryPromQLSeriesSource {
    var store = InMemoryPromQLSeriesSource()
    for (series, values) in lines {
        let labels = PromQLTestScriptValues.parseLabels(series)!
        for (i, value) in PromQLTestScriptValues.expand(values)!.enumerated() {
            if let value = value?.float { store.add(labels, PromQLSample(timestamp: Int64(i) * interval, value: value)) }
        }
    }
    return store
}

/// Runs an instant query at `seconds` and returns the vector as
/// `labels → value` (labels printed like `{a="b"}`).
func promqlVector(_ source: InMemoryPromQLSeriesSource, _ query: String, at seconds: Int64) throws -> [String: Double] {
    let value = try PromQLEngine(source: source).instantQuery(PromQLParser.parse(query), at: seconds * 1000)
    guard case .vector(let samples) = value else {
        Issue.record("expected a vector from \(query), got \(value)")
        return [:]
    }
    var result: [String: Double] = [:]
    for sample in samples { result[sample.labels.description] = sample.value }
    return result
}

/// The vector's labels in result order.
func promqlOrder(_ source: InMemoryPromQLSeriesSource, _ query: String, at seconds: Int64) throws -> [String] {
    guard case .vector(let samples) = try PromQLEngine(source: source).instantQuery(PromQLParser.parse(query), at: seconds * 1000) else { return [] }
    return samples.map(\.labels.description)
}

/// Runs an instant query that must return a scalar.
func promqlScalar(_ source: InMemoryPromQLSeriesSource, _ query: String, at seconds: Int64) throws -> Double? {
    guard case .scalar(let v) = try PromQLEngine(source: source).instantQuery(PromQLParser.parse(query), at: seconds * 1000) else { return nil }
    return v
}

/// The error an instant query raises, if any.
func promqlEvaluationError(_ source: InMemoryPromQLSeriesSource, _ query: String, at seconds: Int64 = 0) -> PromQLEvaluationError? {
    do {
        _ = try PromQLEngine(source: source).instantQuery(PromQLParser.parse(query), at: seconds * 1000)
        return nil
    } catch let error as PromQLEvaluationError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

/// Compares floats with the relative tolerance the upstream scripts use.
func promqlClose(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return PromQLFloatComparison.almostEqual(a, b, epsilon: 1e-9)
}
