/// Evaluates one range aggregation at every step of a query at once: each
/// series' samples are walked with two cursors over the windows
/// `(t - range - offset, t - offset]`, steps whose window holds none of the
/// series' samples are skipped, and a sample is visited once per window
/// holding it.
enum LogQLRangeStepper {
    /// The samples at each step (index into `steps`), in label order: an
    /// enclosing `sum` adds them in that order, so its floating-point result
    /// does not change from one evaluation to the next with the series
    /// dictionary's order.
    static func evaluate(_ agg: LogQLRangeAggregation, series: [LogQLLabels: LogQLSeriesSamples],
                         steps: LogQLSteps) -> [[LogQLSample]] {
        var out = [[LogQLSample]](repeating: [], count: steps.count)
        let offset = agg.range.offset?.nanoseconds ?? 0
        let range = agg.range.range.nanoseconds
        let seconds = agg.range.range.seconds
        var present = [Bool](repeating: false, count: steps.count)
        for labels in series.keys.sorted() {
            let samples = series[labels]!
            let times = samples.timestamps
            guard let first = times.first else { continue }
            var k = steps.firstIndex(atOrAfter: first + offset)
            var i = 0, j = 0
            while k < steps.count {
                let upper = steps.time(k) - offset
                let lower = upper - range
                while i < times.count && times[i] <= lower { i += 1 }
                if i == times.count { break }
                if times[i] > upper {
                    k = max(k + 1, steps.firstIndex(atOrAfter: times[i] + offset))
                    continue
                }
                j = max(j, i)
                while j < times.count && times[j] <= upper { j += 1 }
                present[k] = true
                if let value = value(agg, samples.values[i..<j], seconds: seconds) {
                    out[k].append(LogQLSample(labels: labels, timestamp: steps.time(k), value: value))
                }
                k += 1
            }
        }
        if agg.operation == .absentOverTime {
            let labels = LogQLMetricEvaluator.absentLabels(agg.range.query.selector)
            return present.indices.map { k in
                present[k] ? [] : [LogQLSample(labels: labels, timestamp: steps.time(k), value: 1)]
            }
        }
        return out
    }

    /// The aggregation of one window's values (not empty), in time order.
    private static func value(_ agg: LogQLRangeAggregation, _ values: ArraySlice<Double>, seconds: Double) -> Double? {
        switch agg.operation {
        case .countOverTime: return Double(values.count)
        case .bytesOverTime, .sumOverTime: return values.reduce(0, +)
        // Without unwrap every value is 1; with unwrap Loki divides the sum.
        case .rate, .bytesRate: return values.reduce(0, +) / seconds
        case .avgOverTime: return values.reduce(0, +) / Double(values.count)
        case .minOverTime: return values.min()!
        case .maxOverTime: return values.max()!
        case .stdvarOverTime: return LogQLMetricEvaluator.variance(Array(values))
        case .stddevOverTime: return LogQLMetricEvaluator.variance(Array(values)).squareRoot()
        case .quantileOverTime: return LogQLMetricEvaluator.quantile(agg.parameter ?? 0, Array(values))
        case .firstOverTime: return values.first!
        case .lastOverTime: return values.last!
        case .absentOverTime, .rateCounter: return nil
        }
    }
}
