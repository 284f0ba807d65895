/// Comparison used by numeric, duration and bytes label filters.
public enum LogQLComparisonOperator: String, Sendable, Hashable, CaseIterable {
    /// `==` (also written `=` in label filters).
    case equal = "=="
    case notEqual = "!="
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="
}
