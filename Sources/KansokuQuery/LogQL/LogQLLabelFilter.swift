/// A label filter expression (`| status >= 500 and level="error"`).
public indirect enum LogQLLabelFilter: Sendable, Hashable, CustomStringConvertible {
    /// String comparison: `level="error"`, `path=~"/api/.*"`, `__error__=""`.
    case matcher(LogQLMatcher)
    /// Numeric comparison: `status >= 500`.
    case number(name: String, op: LogQLComparisonOperator, value: Double)
    /// Duration comparison, the label parsed as a Go duration: `latency > 10ms`.
    case duration(name: String, op: LogQLComparisonOperator, value: LogQLDuration)
    /// Bytes comparison, the label parsed as a byte size: `size > 1KB`.
    case bytes(name: String, op: LogQLComparisonOperator, value: LogQLByteSize)
    /// `addr = ip("10.0.0.0/8")` or, when `negated`, `addr != ip(...)`.
    case ip(name: String, negated: Bool, pattern: String)
    /// Both must hold (`and`, `,` or plain juxtaposition).
    case and(LogQLLabelFilter, LogQLLabelFilter)
    /// Either holds.
    case or(LogQLLabelFilter, LogQLLabelFilter)

    public var description: String {
        switch self {
        case .matcher(let matcher): return matcher.description
        case .number(let name, let op, let value): return "\(name) \(op.rawValue) \(LogQLNumberFormat.format(value))"
        case .duration(let name, let op, let value): return "\(name) \(op.rawValue) \(value)"
        case .bytes(let name, let op, let value): return "\(name) \(op.rawValue) \(value)"
        case .ip(let name, let negated, let pattern):
            return "\(name)\(negated ? "!=" : "=")ip(\(LogQLStringLiteral.quote(pattern)))"
        case .and(let lhs, let rhs):
            // `and` binds tighter than `or` and both associate left, so the
            // parser only produces a compound right operand (or an `or`
            // under `and`) from explicit parentheses; reprint those.
            return "\(lhs.parenthesized(if: lhs.isOr)) and \(rhs.parenthesized(if: rhs.isCompound))"
        case .or(let lhs, let rhs):
            return "\(lhs) or \(rhs.parenthesized(if: rhs.isOr))"
        }
    }

    /// The labels the filter reads.
    public var labelNames: Set<String> {
        switch self {
        case .matcher(let matcher): return [matcher.name]
        case .number(let name, _, _), .duration(let name, _, _), .bytes(let name, _, _), .ip(let name, _, _): return [name]
        case .and(let lhs, let rhs), .or(let lhs, let rhs): return lhs.labelNames.union(rhs.labelNames)
        }
    }

    private var isOr: Bool {
        if case .or = self { return true }
        return false
    }

    private var isCompound: Bool {
        switch self {
        case .and, .or: return true
        default: return false
        }
    }

    private func parenthesized(if condition: Bool) -> String {
        condition ? "(\(description))" : description
    }
}
