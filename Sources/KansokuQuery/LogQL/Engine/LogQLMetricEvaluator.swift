/// The value of a metric sub-expression at one step.
enum LogQLStepValue {
    case scalar(Double)
    case vector([LogQLSample])
}

/// Evaluates metric expressions step by step. Lines of every range
/// aggregation are read and extracted once for the whole query span.
struct LogQLMetricEvaluator {
    let engine: LogQLEngine
    private var extracted: [LogQLRangeAggregation: [LogQLLabels: LogQLSampleExtractor.Series]] = [:]

    init(engine: LogQLEngine, expr: LogQLMetricExpr, start: Int64, end: Int64) throws(LogQLEvaluationError) {
        self.engine = engine
        try prepare(expr, start: start, end: end)
    }

    private mutating func prepare(_ expr: LogQLMetricExpr, start: Int64, end: Int64) throws(LogQLEvaluationError) {
        switch expr {
        case .rangeAggregation(let agg):
            if agg.operation == .rateCounter { throw .unsupported("rate_counter") }
            if extracted[agg] == nil {
                extracted[agg] = try LogQLSampleExtractor.extract(agg, engine: engine, start: start, end: end)
            }
        case .vectorAggregation(let agg): try prepare(agg.expr, start: start, end: end)
        case .binary(let bin):
            try prepare(bin.lhs, start: start, end: end)
            try prepare(bin.rhs, start: start, end: end)
        case .labelReplace(let lr):
            _ = try LogQLRegexCache.compile(lr.regex)
            try prepare(lr.expr, start: start, end: end)
        case .literal, .vector: break
        }
    }

    mutating func evaluate(_ expr: LogQLMetricExpr, at t: Int64) throws(LogQLEvaluationError) -> LogQLStepValue {
        switch expr {
        case .literal(let value): return .scalar(value)
        case .vector(let value): return .vector([LogQLSample(labels: LogQLLabels(), timestamp: t, value: value)])
        case .rangeAggregation(let agg): return .vector(rangeAggregate(agg, at: t))
        case .vectorAggregation(let agg):
            guard case .vector(let samples) = try evaluate(agg.expr, at: t) else {
                throw .unsupported("vector aggregation of a scalar")
            }
            return .vector(try LogQLVectorAggregator.aggregate(agg, samples, at: t))
        case .binary(let bin):
            let lhs = try evaluate(bin.lhs, at: t)
            let rhs = try evaluate(bin.rhs, at: t)
            return try LogQLBinaryEvaluator.evaluate(bin, lhs, rhs, at: t)
        case .labelReplace(let lr):
            guard case .vector(let samples) = try evaluate(lr.expr, at: t) else { throw .unsupported("label_replace of a scalar") }
            let regex = try LogQLRegexCache.compile(lr.regex)
            var out: [LogQLSample] = []
            for var sample in samples {
                if let match = (sample.labels[lr.source] ?? "").wholeMatch(of: regex) {
                    sample.labels.set(lr.destination, LogQLTemplateFunctions.expand(lr.replacement, match))
                }
                out.append(sample)
            }
            return .vector(out)
        }
    }

    /// One range aggregation at step `t`.
    private func rangeAggregate(_ agg: LogQLRangeAggregation, at t: Int64) -> [LogQLSample] {
        let offset = agg.range.offset?.nanoseconds ?? 0
        let upper = t - offset
        let lower = upper - agg.range.range.nanoseconds
        let seconds = agg.range.range.seconds
        let all = extracted[agg] ?? [:]
        if agg.operation == .absentOverTime {
            let present = all.values.contains { $0.contains { $0.timestamp > lower && $0.timestamp <= upper } }
            if present { return [] }
            return [LogQLSample(labels: Self.absentLabels(agg.range.query.selector), timestamp: t, value: 1)]
        }
        var out: [LogQLSample] = []
        for (labels, series) in all {
            let values = series.filter { $0.timestamp > lower && $0.timestamp <= upper }.map(\.value)
            guard !values.isEmpty else { continue }
            let value: Double
            switch agg.operation {
            case .countOverTime: value = Double(values.count)
            case .bytesOverTime, .sumOverTime: value = values.reduce(0, +)
            case .rate:
                // Without unwrap every value is 1; with unwrap Loki divides the sum.
                value = values.reduce(0, +) / seconds
            case .bytesRate: value = values.reduce(0, +) / seconds
            case .avgOverTime: value = values.reduce(0, +) / Double(values.count)
            case .minOverTime: value = values.min()!
            case .maxOverTime: value = values.max()!
            case .stdvarOverTime: value = Self.variance(values)
            case .stddevOverTime: value = Self.variance(values).squareRoot()
            case .quantileOverTime: value = Self.quantile(agg.parameter ?? 0, values)
            case .firstOverTime: value = values.first!
            case .lastOverTime: value = values.last!
            case .absentOverTime, .rateCounter: continue
            }
            out.append(LogQLSample(labels: labels, timestamp: t, value: value))
        }
        return out
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
