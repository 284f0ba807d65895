/// Compares query results with a script's expectations the way the
/// upstream runner's `compareResult` does. Each function returns `nil`
/// when the result matches, otherwise a description of the first mismatch.
enum PromQLTestScriptComparison {
    static let epsilon = 1e-6

    static func compareInstant(_ value: PromQLValue, _ eval: PromQLTestScriptEval) -> String? {
        switch value {
        case .scalar(let v):
            guard let expected = eval.expectedScalar else { return "expected vector or matrix result, but got scalar \(format(v))" }
            return PromQLFloatComparison.almostEqual(expected, v, epsilon: epsilon) ? nil : "expected scalar \(format(expected)) but got \(format(v))"
        case .string(let s):
            guard let expected = eval.expectedString else { return "unexpected string result \"\(s)\"" }
            return expected == s ? nil : "expected string \"\(expected)\" but got \"\(s)\""
        case .matrix(let series):
            guard let range = eval.rangeVector else { return "unexpected range vector result" }
            return compareMatrix(series, eval.expected, start: range.start, end: range.end, step: range.step, requireSorted: false)
        case .vector(let samples):
            if let scalar = eval.expectedScalar { return "expected scalar \(format(scalar)), got vector of \(samples.count) series" }
            var expected: [PromQLLabels: (Int, PromQLTestScriptEval.ExpectedSeries)] = [:]
            for (i, e) in eval.expected.enumerated() { expected[e.labels] = (i, e) }
            var seen = Set<PromQLLabels>()
            for (position, sample) in samples.enumerated() {
                guard let (index, exp) = expected[sample.labels] else {
                    return "unexpected metric \(sample.labels) in result, has value \(format(sample.value))"
                }
                if eval.ordered && index != position {
                    return "expected metric \(sample.labels) at position \(index + 1) but was at \(position + 1)"
                }
                guard exp.values.count == 1, let want = exp.values[0] else { return "expected line \(exp.line) must have exactly one value" }
                if !PromQLFloatComparison.almostEqual(want, sample.value, epsilon: epsilon) {
                    return "expected \(format(want)) for \(sample.labels) but got \(format(sample.value))"
                }
                seen.insert(sample.labels)
            }
            for e in eval.expected where !seen.contains(e.labels) {
                return "expected metric \(e.labels) not found"
            }
            return nil
        }
    }

    static func compareMatrix(_ series: [PromQLSeries], _ expectedSeries: [PromQLTestScriptEval.ExpectedSeries],
                              start: Int64, end: Int64, step: Int64, requireSorted: Bool = true) -> String? {
        if requireSorted {
            for (a, b) in zip(series, series.dropFirst()) where !(a.labels < b.labels) {
                return "matrix not sorted by labels: \(a.labels) before \(b.labels)"
            }
        }
        var expected: [PromQLLabels: PromQLTestScriptEval.ExpectedSeries] = [:]
        for e in expectedSeries { expected[e.labels] = e }
        for s in series {
            guard let exp = expected[s.labels] else {
                return "unexpected metric \(s.labels) in result, has \(describe(s))"
            }
            var points: [PromQLSample] = []
            for (i, value) in exp.values.enumerated() {
                let t = start + Int64(i) * step
                if t > end { return "expected \(exp.values.count) points for \(s.labels), but query time range cannot return this many points" }
                if let value { points.append(PromQLSample(timestamp: t, value: value)) }
            }
            guard points.count == s.samples.count else {
                return "expected \(points.count) float points for \(s.labels), but got \(s.samples.count) (\(describe(s)))"
            }
            for (want, got) in zip(points, s.samples) {
                if want.timestamp != got.timestamp {
                    return "expected a point at t=\(want.timestamp) for \(s.labels), got t=\(got.timestamp) (\(describe(s)))"
                }
                if !PromQLFloatComparison.almostEqual(want.value, got.value, epsilon: epsilon) {
                    return "expected \(format(want.value)) at t=\(want.timestamp) for \(s.labels), got \(format(got.value)) (\(describe(s)))"
                }
            }
        }
        let present = Set(series.map(\.labels))
        for e in expectedSeries where !present.contains(e.labels) {
            return "expected metric \(e.labels) not found"
        }
        return nil
    }

    static func format(_ v: Double) -> String {
        PromQLStaleness.isMarker(v) ? "stale" : PromQLNumber.formatShortest(v)
    }

    static func describe(_ s: PromQLSeries) -> String {
        s.samples.prefix(12).map { "\(format($0.value))@\($0.timestamp / 1000)s" }.joined(separator: " ") + (s.samples.count > 12 ? " …" : "")
    }
}
