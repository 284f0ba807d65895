import KansokuRegex

/// A condition on one label of a series, as PromQL's and the Prometheus
/// API's `name="value"`, `!=`, `=~` and `!~` selectors express it.
///
/// A series without the label is tested as if the value were empty, so
/// `{env!="prod"}` also selects series with no `env` label.
public struct SeriesMatcher: Sendable, CustomStringConvertible {
    /// How the value is compared.
    public enum Operator: String, Sendable, Hashable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"
    }

    public let name: String
    public let op: Operator
    public let value: String
    /// The pattern, anchored at both ends with `.` taking newlines, as Prometheus compiles it (`^(?s:re)$`).
    private let regex: AnchoredRegex?
    /// Values of a pattern that is only literal alternatives (`a|b|c`): a set
    /// lookup instead of running the regex engine on every label value.
    private let literalAlternatives: Set<String>?

    /// Whether a series lacking the label satisfies the matcher.
    public var matchesEmpty: Bool { matches("") }

    /// Creates a matcher; a regex that does not compile is an error naming it.
    public init(name: String, op: Operator, value: String) throws(SeriesMatcherError) {
        self.name = name
        self.op = op
        self.value = value
        switch op {
        case .equal, .notEqual:
            regex = nil
            literalAlternatives = nil
        case .regexMatch, .regexNoMatch:
            literalAlternatives = SeriesMatcher.literalAlternatives(of: value)
            if literalAlternatives != nil {
                regex = nil
            } else {
                do {
                    regex = try AnchoredRegex(value, dotMatchesNewline: true)
                } catch {
                    throw SeriesMatcherError(pattern: value, reason: error.reason)
                }
            }
        }
    }

    /// Whether `value` (empty for an absent label) satisfies the matcher.
    public func matches(_ candidate: String) -> Bool {
        switch op {
        case .equal: return candidate == value
        case .notEqual: return candidate != value
        case .regexMatch: return regexMatches(candidate)
        case .regexNoMatch: return !regexMatches(candidate)
        }
    }

    private func regexMatches(_ candidate: String) -> Bool {
        if let literalAlternatives { return literalAlternatives.contains(candidate) }
        return regex!.matches(candidate)
    }

    /// `a|b|c` made only of characters with no regex meaning → its alternatives.
    static func literalAlternatives(of pattern: String) -> Set<String>? {
        let special: Set<Character> = ["\\", ".", "+", "*", "?", "(", ")", "[", "]", "{", "}", "^", "$"]
        guard !pattern.contains(where: { special.contains($0) }) else { return nil }
        return Set(pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
    }

    public var description: String { "\(name)\(op.rawValue)\"\(value)\"" }
}

/// A regular expression in a matcher did not compile.
public struct SeriesMatcherError: Error, Sendable, Hashable, CustomStringConvertible {
    public var pattern: String
    public var reason: String

    public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
}
