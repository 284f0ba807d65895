/// The aggregation operators (`sum`, `topk`, ...) from the operators reference.
public enum PromQLAggregationOperator: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case sum, avg, min, max, group, count, stddev, stdvar
    case topk, bottomk, quantile
    case countValues = "count_values"
    case limitk
    case limitRatio = "limit_ratio"

    public var description: String { rawValue }

    /// The type of the leading parameter, for the operators that take one
    /// (`topk(3, x)`, `count_values("v", x)`); `nil` for the others.
    public var parameterType: PromQLValueType? {
        switch self {
        case .topk, .bottomk, .quantile, .limitk, .limitRatio: return .scalar
        case .countValues: return .string
        default: return nil
        }
    }

    /// Upstream gates these behind `--enable-feature=promql-experimental-functions`.
    public var isExperimental: Bool { self == .limitk || self == .limitRatio }
}
