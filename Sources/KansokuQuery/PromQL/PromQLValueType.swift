/// The static type of a PromQL expression, checked at parse time.
public enum PromQLValueType: String, Sendable, Hashable, CustomStringConvertible {
    case scalar
    case instantVector = "vector"
    case rangeVector = "matrix"
    case string

    /// The wording Prometheus uses in type errors ("instant vector", ...).
    public var description: String {
        switch self {
        case .scalar: return "scalar"
        case .instantVector: return "instant vector"
        case .rangeVector: return "range vector"
        case .string: return "string"
        }
    }
}
