import KansokuRegex

/// A label matcher with its regular expression compiled once.
///
/// Regexes are fully anchored as Loki anchors them (`^(?:re)$`). They run as
/// byte searches when they only choose among literals (``LogQLLiteralRegex``),
/// else as an ``AnchoredRegex`` (Go's semantics where ``RE2Regex`` takes the
/// pattern, Swift's engine for the rest).
public struct LogQLCompiledMatcher: Sendable {
    public let name: String
    public let type: LogQLMatchType
    public let value: String
    private let regex: AnchoredRegex?
    /// The literals a simple regex stands for (``LogQLLiteralRegex``).
    private let literals: LogQLLiteralRegex?

    public init(_ matcher: LogQLMatcher) throws(LogQLEvaluationError) {
        name = matcher.name
        type = matcher.type
        value = matcher.value
        switch matcher.type {
        case .equal, .notEqual:
            regex = nil
            literals = nil
        case .regexMatch, .regexNoMatch:
            regex = try LogQLRegexCompiler.compileAnchored(matcher.value)
            literals = LogQLLiteralRegex(matcher.value)
        }
    }

    /// Whether `candidate` (the empty string for a missing label) matches.
    public func matches(_ candidate: String) -> Bool {
        switch type {
        case .equal: return candidate == value
        case .notEqual: return candidate != value
        case .regexMatch: return wholeMatch(candidate)
        case .regexNoMatch: return !wholeMatch(candidate)
        }
    }

    private func wholeMatch(_ candidate: String) -> Bool {
        if let literals, let matches = candidate.withUTF8Bytes({ literals.matchesWhole($0) }) { return matches }
        return regex?.matches(candidate) ?? false
    }
}
