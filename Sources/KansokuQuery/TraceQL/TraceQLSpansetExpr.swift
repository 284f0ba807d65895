/// An expression producing a set of spans of one trace.
public indirect enum TraceQLSpansetExpr: Sendable, Hashable, CustomStringConvertible {
    /// `{ cond }`; nil for `{ }`, which selects every span.
    case filter(TraceQLFieldExpr?)
    /// `lhs op rhs` between two span sets.
    case binary(TraceQLSpansetOperator, TraceQLSpansetExpr, TraceQLSpansetExpr)
    /// `input | stage`.
    case pipeline(TraceQLSpansetExpr, TraceQLPipelineStage)

    public var description: String {
        switch self {
        case .filter(let condition): condition.map { "{ \($0) }" } ?? "{ }"
        case .binary(let op, let l, let r): "(\(l) \(op.rawValue) \(r))"
        case .pipeline(let input, let stage): "(\(input) | \(stage))"
        }
    }
}
