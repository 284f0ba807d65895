import KansokuModel

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
                if let problem = compare(want, float: sample.value, histogram: sample.histogram, checksHint: exp.checksHint) {
                    return "\(problem) for \(sample.labels)"
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
            var floats: [PromQLSample] = []
            var histograms: [(Int64, PromQLTestScriptValue)] = []
            for (i, value) in exp.values.enumerated() {
                let t = start + Int64(i) * step
                if t > end { return "expected \(exp.values.count) points for \(s.labels), but query time range cannot return this many points" }
                switch value {
                case .float(let v)?: floats.append(PromQLSample(timestamp: t, value: v))
                case .histogram?: histograms.append((t, value!))
                case nil: break
                }
            }
            guard floats.count == s.samples.count else {
                return "expected \(floats.count) float points for \(s.labels), but got \(s.samples.count) (\(describe(s)))"
            }
            guard histograms.count == s.histograms.count else {
                return "expected \(histograms.count) histogram points for \(s.labels), but got \(s.histograms.count) (\(describe(s)))"
            }
            for (want, got) in zip(floats, s.samples) {
                if want.timestamp != got.timestamp {
                    return "expected a point at t=\(want.timestamp) for \(s.labels), got t=\(got.timestamp) (\(describe(s)))"
                }
                if !PromQLFloatComparison.almostEqual(want.value, got.value, epsilon: epsilon) {
                    return "expected \(format(want.value)) at t=\(want.timestamp) for \(s.labels), got \(format(got.value)) (\(describe(s)))"
                }
            }
            for ((t, want), got) in zip(histograms, s.histograms) {
                if t != got.timestamp {
                    return "expected a histogram at t=\(t) for \(s.labels), got t=\(got.timestamp) (\(describe(s)))"
                }
                if let problem = compare(want, float: 0, histogram: got.histogram, checksHint: exp.checksHint) {
                    return "\(problem) at t=\(t) for \(s.labels)"
                }
            }
        }
        let present = Set(series.map(\.labels))
        for e in expectedSeries where !present.contains(e.labels) {
            return "expected metric \(e.labels) not found"
        }
        return nil
    }

    /// One expected value against a result's float or histogram.
    static func compare(_ want: PromQLTestScriptValue, float: Double, histogram: NativeHistogram?, checksHint: Bool) -> String? {
        switch (want, histogram) {
        case (.float(let v), nil):
            return PromQLFloatComparison.almostEqual(v, float, epsilon: epsilon) ? nil : "expected \(format(v)) but got \(format(float))"
        case (.float(let v), let h?):
            return "expected float \(format(v)) but got histogram \(describe(h))"
        case (.histogram(let h), nil):
            return "expected histogram \(describe(h)) but got float \(format(float))"
        case (.histogram(let expected), let got?):
            return sameHistogram(expected, got, checksHint: checksHint) ? nil : "expected histogram \(describe(expected)) but got \(describe(got))"
        }
    }

    /// Upstream's histogram comparison: schema, zero bucket, count, sum,
    /// populated buckets (empty ones ignored) and custom bounds, floats
    /// within the tolerance; the hint only when the expectation states it.
    static func sameHistogram(_ a: NativeHistogram, _ b: NativeHistogram, checksHint: Bool) -> Bool {
        func close(_ x: Double, _ y: Double) -> Bool { PromQLFloatComparison.almostEqual(x, y, epsilon: epsilon) }
        func populated(_ spans: [NativeHistogram.Span], _ counts: [Double]) -> [(index: Int32, count: Double)] {
            NativeHistogram.indexedBuckets(spans: spans, counts: counts).filter { $0.count != 0 }
        }
        func sameBuckets(_ x: [(index: Int32, count: Double)], _ y: [(index: Int32, count: Double)]) -> Bool {
            x.count == y.count && zip(x, y).allSatisfy { $0.index == $1.index && close($0.count, $1.count) }
        }
        if checksHint && a.counterResetHint != b.counterResetHint { return false }
        return a.schema == b.schema && close(a.zeroThreshold, b.zeroThreshold) && close(a.zeroCount, b.zeroCount)
            && close(a.count, b.count) && close(a.sum, b.sum) && a.customValues == b.customValues
            && sameBuckets(populated(a.positiveSpans, a.positiveBuckets), populated(b.positiveSpans, b.positiveBuckets))
            && sameBuckets(populated(a.negativeSpans, a.negativeBuckets), populated(b.negativeSpans, b.negativeBuckets))
    }

    /// A histogram in the scripts' notation (populated buckets only).
    static func describe(_ h: NativeHistogram) -> String {
        func list(_ spans: [NativeHistogram.Span], _ counts: [Double]) -> String {
            NativeHistogram.indexedBuckets(spans: spans, counts: counts).filter { $0.count != 0 }
                .map { "\($0.index):\(format($0.count))" }.joined(separator: " ")
        }
        var parts = ["schema:\(h.schema)", "count:\(format(h.count))", "sum:\(format(h.sum))"]
        if h.zeroCount != 0 || h.zeroThreshold != 0 { parts += ["z_bucket:\(format(h.zeroCount))", "z_bucket_w:\(format(h.zeroThreshold))"] }
        if !h.positiveBuckets.isEmpty { parts.append("buckets:[\(list(h.positiveSpans, h.positiveBuckets))]") }
        if !h.negativeBuckets.isEmpty { parts.append("n_buckets:[\(list(h.negativeSpans, h.negativeBuckets))]") }
        if !h.customValues.isEmpty { parts.append("custom_values:\(h.customValues.map(format))") }
        parts.append("hint:\(h.counterResetHint)")
        return "{{" + parts.joined(separator: " ") + "}}"
    }

    static func format(_ v: Double) -> String {
        PromQLStaleness.isMarker(v) ? "stale" : PromQLNumber.formatShortest(v)
    }

    static func describe(_ s: PromQLSeries) -> String {
        let floats = s.samples.prefix(12).map { "\(format($0.value))@\($0.timestamp / 1000)s" }
        let histograms = s.histograms.prefix(4).map { "\(describe($0.histogram))@\($0.timestamp / 1000)s" }
        return (floats + histograms).joined(separator: " ") + (s.samples.count > 12 || s.histograms.count > 4 ? " …" : "")
    }
}
