/// How a ``PromQLLabelMatcher`` compares a label value.
public enum PromQLMatchOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case regexMatch = "=~"
    case regexNoMatch = "!~"
}

/// One `name op "value"` term of a vector selector.
///
/// A metric name written outside the braces (`up{job="x"}`) is represented
/// as an `__name__="up"` matcher, as in Prometheus.
public struct PromQLLabelMatcher: Sendable, Hashable, CustomStringConvertible {
    /// The reserved label that holds the metric name.
    public static let metricNameLabel = "__name__"

    /// The label name.
    public var name: String
    /// The comparison.
    public var op: PromQLMatchOperator
    /// The value or (for regex operators) the pattern, unescaped.
    public var value: String

    /// Creates a matcher.
    public init(name: String, op: PromQLMatchOperator, value: String) {
        self.name = name
        self.op = op
        self.value = value
    }

    /// `name="value"`, quoting the name only when it is not a legacy
    /// identifier (UTF-8 label names need quotes in PromQL 3).
    public var description: String {
        "\(PromQLLabelMatcher.formatLabelName(name))\(op.rawValue)\(PromQLStringLiteral.quote(value))"
    }

    /// Whether this matcher accepts the empty string, which decides whether a
    /// selector made only of such matchers is rejected ("vector selector must
    /// contain at least one non-empty matcher").
    public var matchesEmpty: Bool {
        switch op {
        case .equal: return value.isEmpty
        case .notEqual: return !value.isEmpty
        case .regexMatch: return PromQLRegexNullability.matchesEmpty(value)
        case .regexNoMatch: return !PromQLRegexNullability.matchesEmpty(value)
        }
    }

    /// Whether `name` can be written without quotes (`[a-zA-Z_][a-zA-Z0-9_]*`).
    public static func isLegacyLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, PromQLLexer.isIdentifierStart(first) else { return false }
        return name.utf8.allSatisfy(PromQLLexer.isIdentifierPart)
    }

    /// Whether `name` can be written as a bare metric name (also allows `:`).
    public static func isLegacyMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, PromQLLexer.isIdentifierStart(first) || first == UInt8(ascii: ":") else { return false }
        return name.utf8.allSatisfy { PromQLLexer.isIdentifierPart($0) || $0 == UInt8(ascii: ":") }
    }

    static func formatLabelName(_ name: String) -> String {
        isLegacyLabelName(name) ? name : PromQLStringLiteral.quote(name)
    }
}
