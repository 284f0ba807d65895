import KansokuRegex

/// The value of a metric sub-expression at one step.
enum LogQLStepValue {
    case scalar(Double)
    case vector([LogQLSample])
}

/// Evaluates metric expressions step by step. Each range aggregation is
/// extracted once for the whole query span (samples, not lines) and
/// evaluated at every step at once (``LogQLRangeStepper``).
struct LogQLMetricEvaluator {
    /// One range aggregation's samples, possibly already grouped for an enclosing `sum`.
    private struct RangeKey: Hashable {
        var aggregation: LogQLRangeAggregation
        var folding: LogQLGrouping?
    }

    let engine: LogQLEngine
    private let steps: LogQLSteps
    private var stepValues: [RangeKey: [[LogQLSample]]] = [:]
    /// `label_replace` patterns, compiled once for all steps.
    private var labelReplaceRegexes: [String: AnchoredRegex] = [:]

    /// An evaluator for the steps `start, start + step, …, ≤ end`.
    init(engine: LogQLEngine, expr: LogQLMetricExpr, start: Int64, end: Int64, step: Int64) throws(LogQLEvaluationError) {
        self.engine = engine
        self.steps = LogQLSteps(start: start, end: end, step: step)
        try prepare(expr, start: start, end: end)
    }

    /// A `sum` directly over `count_over_time` or `bytes_over_time` gives the
    /// same answer when each line's sample is grouped by the sum's labels
    /// right away: the values are whole numbers, so adding them in another
    /// order is exact. Returns the range aggregation and the grouping to fold.
    private static func foldable(_ agg: LogQLVectorAggregation) -> (LogQLRangeAggregation, LogQLGrouping)? {
        guard agg.operation == .sum, case .rangeAggregation(let range) = agg.expr,
              range.operation == .countOverTime || range.operation == .bytesOverTime else { return nil }
        return (range, agg.grouping ?? LogQLGrouping(without: false, labels: []))
    }

    private mutating func prepare(_ expr: LogQLMetricExpr, start: Int64, end: Int64) throws(LogQLEvaluationError) {
        switch expr {
        case .rangeAggregation(let agg): try prepareRange(RangeKey(aggregation: agg), start: start, end: end)
        case .vectorAggregation(let agg):
            if let (range, grouping) = Self.foldable(agg) {
                try prepareRange(RangeKey(aggregation: range, folding: grouping), start: start, end: end)
            } else {
                try prepare(agg.expr, start: start, end: end)
            }
        case .binary(let bin):
            try prepare(bin.lhs, start: start, end: end)
            try prepare(bin.rhs, start: start, end: end)
        case .labelReplace(let lr):
            labelReplaceRegexes[lr.regex] = try LogQLRegexCompiler.compileAnchored(lr.regex)
            try prepare(lr.expr, start: start, end: end)
        case .literal, .vector: break
        }
    }

    private mutating func prepareRange(_ key: RangeKey, start: Int64, end: Int64) throws(LogQLEvaluationError) {
        if key.aggregation.operation == .rateCounter { throw .unsupported("rate_counter") }
        guard stepValues[key] == nil else { return }
        let series = try LogQLSampleExtractor.extract(key.aggregation, folding: key.folding, engine: engine, start: start, end: end)
        stepValues[key] = LogQLRangeStepper.evaluate(key.aggregation, series: series, steps: steps)
    }

    mutating func evaluate(_ expr: LogQLMetricExpr, at t: Int64) throws(LogQLEvaluationError) -> LogQLStepValue {
        switch expr {
        case .literal(let value): return .scalar(value)
        case .vector(let value): return .vector([LogQLSample(labels: LogQLLabels(), timestamp: t, value: value)])
        case .rangeAggregation(let agg): return .vector(rangeAggregate(RangeKey(aggregation: agg), at: t))
        case .vectorAggregation(let agg):
            let inner: LogQLStepValue
            if let (range, grouping) = Self.foldable(agg) {
                inner = .vector(rangeAggregate(RangeKey(aggregation: range, folding: grouping), at: t))
            } else {
                inner = try evaluate(agg.expr, at: t)
            }
            guard case .vector(let samples) = inner else {
                throw .unsupported("vector aggregation of a scalar")
            }
            return .vector(try LogQLVectorAggregator.aggregate(agg, samples, at: t))
        case .binary(let bin):
            let lhs = try evaluate(bin.lhs, at: t)
            let rhs = try evaluate(bin.rhs, at: t)
            return try LogQLBinaryEvaluator.evaluate(bin, lhs, rhs, at: t)
        case .labelReplace(let lr):
            guard case .vector(let samples) = try evaluate(lr.expr, at: t) else { throw .unsupported("label_replace of a scalar") }
            let regex: AnchoredRegex
            if let compiled = labelReplaceRegexes[lr.regex] { regex = compiled } else { regex = try LogQLRegexCompiler.compileAnchored(lr.regex) }
            var out: [LogQLSample] = []
            for var sample in samples {
                if let match = regex.match(sample.labels[lr.source] ?? "") {
                    sample.labels.set(lr.destination, match.expand(lr.replacement))
                }
                out.append(sample)
            }
            return .vector(out)
        }
    }

    /// One range aggregation at step `t`.
    private func rangeAggregate(_ key: RangeKey, at t: Int64) -> [LogQLSample] {
        guard let index = steps.index(of: t) else { return [] }
        return stepValues[key]?[index] ?? []
    }

    /// Labels of `absent_over_time`: the selector's equality matchers
    /// (a name used twice is left out, as in Prometheus' `absent`).
    static func absentLabels(_ selector: LogQLStreamSelector) -> LogQLLabels {
        var labels: [String: String] = [:]
        var seen: Set<String> = []
        for m in selector.matchers {
            if seen.contains(m.name) { labels[m.name] = nil; continue }
            seen.insert(m.name)
            if m.type == .equal { labels[m.name] = m.value }
        }
        return LogQLLabels(labels)
    }

    /// Population variance (Prometheus' `stdvar_over_time`).
    static func variance(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    }

    /// Prometheus' quantile: linear interpolation between closest ranks;
    /// `q < 0` → -Inf, `q > 1` → +Inf.
    static func quantile(_ q: Double, _ values: [Double]) -> Double {
        if values.isEmpty || q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted()
        let rank = q * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = rank - Double(lower)
        return sorted[lower] * (1 - weight) + sorted[upper] * weight
    }
}
