/// One stage after `|` in a span set pipeline.
public enum TraceQLPipelineStage: Sendable, Hashable, CustomStringConvertible {
    /// `| { cond }`: keeps the spans of the input that satisfy `cond`
    /// (nil for `{}`, which keeps them all).
    case filter(TraceQLFieldExpr?)
    /// `| count() > 2`: keeps the whole input when the aggregate satisfies
    /// the comparison, otherwise nothing.
    case aggregate(TraceQLAggregate, TraceQLComparisonOperator, TraceQLStatic)

    public var description: String {
        switch self {
        case .filter(let condition): condition.map { "{ \($0) }" } ?? "{ }"
        case .aggregate(let aggregate, let op, let value): "\(aggregate) \(op.rawValue) \(value)"
        }
    }
}
