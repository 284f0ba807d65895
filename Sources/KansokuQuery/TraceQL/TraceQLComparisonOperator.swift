/// A comparison between a field and a static value.
public enum TraceQLComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="
    /// Full-match regular expression.
    case regexMatch = "=~"
    /// Negated full-match regular expression.
    case regexNoMatch = "!~"

    /// Whether this operator orders values (and so needs ordered types).
    var isOrdering: Bool {
        switch self {
        case .greater, .greaterOrEqual, .less, .lessOrEqual: true
        default: false
        }
    }

    var isRegex: Bool { self == .regexMatch || self == .regexNoMatch }
}
