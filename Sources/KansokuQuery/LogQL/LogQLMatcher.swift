/// How a label matcher compares a label value.
public enum LogQLMatchType: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case regexMatch = "=~"
    case regexNoMatch = "!~"
}

/// A label matcher such as `app="api"` or `ns!~"kube.*"`, used in stream
/// selectors, string label filters and `drop`/`keep` stages.
public struct LogQLMatcher: Sendable, Hashable, CustomStringConvertible {
    /// Label name.
    public var name: String
    /// Comparison.
    public var type: LogQLMatchType
    /// Literal value or regular expression (RE2 syntax, fully anchored).
    public var value: String

    /// Creates a matcher.
    public init(name: String, type: LogQLMatchType, value: String) {
        self.name = name
        self.type = type
        self.value = value
    }

    public var description: String { "\(name)\(type.rawValue)\(LogQLStringLiteral.quote(value))" }

    /// Whether this matcher accepts a missing label (the empty string).
    ///
    /// Loki refuses selectors made only of such matchers because they would
    /// select every stream. Regexes are evaluated with Swift's engine, which
    /// agrees with RE2 for the patterns people write in selectors; a pattern
    /// Swift cannot compile is treated as *not* matching empty so that a
    /// valid RE2-only construct is never rejected by this check.
    public var matchesEmpty: Bool {
        switch type {
        case .equal: return value.isEmpty
        case .notEqual: return !value.isEmpty
        case .regexMatch, .regexNoMatch:
            guard let regex = try? Regex(value) else { return false }
            let matches = "".wholeMatch(of: regex) != nil
            return type == .regexMatch ? matches : !matches
        }
    }
}
