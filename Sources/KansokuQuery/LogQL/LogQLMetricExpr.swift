/// A metric (sample) expression: anything that evaluates to numbers.
public indirect enum LogQLMetricExpr: Sendable, Hashable, CustomStringConvertible {
    /// `rate(...)`, `sum_over_time(...)`, ...
    case rangeAggregation(LogQLRangeAggregation)
    /// `sum by (x) (...)`, `topk(5, ...)`, ...
    case vectorAggregation(LogQLVectorAggregation)
    /// `a / b`, `a > bool 1`, `a or vector(0)`, ...
    case binary(LogQLBinaryExpr)
    /// A number literal (sign included: `-1`).
    case literal(Double)
    /// `vector(0)`.
    case vector(Double)
    /// `label_replace(...)`.
    case labelReplace(LogQLLabelReplace)

    public var description: String {
        switch self {
        case .rangeAggregation(let expr): return expr.description
        case .vectorAggregation(let expr): return expr.description
        case .binary(let expr): return expr.description
        case .literal(let value): return LogQLNumberFormat.format(value)
        case .vector(let value): return "vector(\(LogQLNumberFormat.format(value)))"
        case .labelReplace(let expr): return expr.description
        }
    }

    /// Every stream selector the expression reads, left to right.
    public var selectors: [LogQLStreamSelector] {
        switch self {
        case .rangeAggregation(let expr): return [expr.range.query.selector]
        case .vectorAggregation(let expr): return expr.expr.selectors
        case .binary(let expr): return expr.lhs.selectors + expr.rhs.selectors
        case .literal, .vector: return []
        case .labelReplace(let expr): return expr.expr.selectors
        }
    }
}
