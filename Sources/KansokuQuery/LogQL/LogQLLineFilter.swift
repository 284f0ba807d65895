/// The operator of a line filter.
public enum LogQLLineFilterOperator: String, Sendable, Hashable, CaseIterable {
    /// `|=` line contains.
    case contains = "|="
    /// `!=` line does not contain.
    case notContains = "!="
    /// `|~` line matches regex.
    case regexMatch = "|~"
    /// `!~` line does not match regex.
    case regexNoMatch = "!~"
    /// `|>` line matches pattern (Loki 3).
    case patternMatch = "|>"
    /// `!>` line does not match pattern (Loki 3).
    case patternNoMatch = "!>"
}

/// One operand of a line filter: a literal/regex/pattern or an `ip(...)` match.
public enum LogQLLineFilterValue: Sendable, Hashable, CustomStringConvertible {
    /// A quoted string.
    case string(String)
    /// `ip("192.168.0.0/16")`: an IP, range or CIDR matched against the line.
    case ip(String)

    public var description: String {
        switch self {
        case .string(let value): return LogQLStringLiteral.quote(value)
        case .ip(let value): return "ip(\(LogQLStringLiteral.quote(value)))"
        }
    }
}

/// A line filter; several `values` are `or` alternatives of the same
/// operator (`|= "a" or "b"` keeps lines containing either).
public struct LogQLLineFilter: Sendable, Hashable, CustomStringConvertible {
    /// The operator.
    public var op: LogQLLineFilterOperator
    /// The alternatives; never empty.
    public var values: [LogQLLineFilterValue]

    /// Creates a line filter.
    public init(op: LogQLLineFilterOperator, values: [LogQLLineFilterValue]) {
        self.op = op
        self.values = values
    }

    public var description: String {
        op.rawValue + " " + values.map(\.description).joined(separator: " or ")
    }
}
