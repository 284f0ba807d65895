import KansokuRegex

/// A label matcher with its regular expression compiled once.
///
/// Regexes are fully anchored like Prometheus/Loki matchers. They run as
/// byte searches when they only choose among literals (``LogQLLiteralRegex``),
/// else with Go's semantics (``RE2Regex``), else on Swift's regex engine,
/// which accepts the rest of the RE2 syntax used in practice.
public struct LogQLCompiledMatcher: @unchecked Sendable {
    public let name: String
    public let type: LogQLMatchType
    public let value: String
    private let regex: Regex<AnyRegexOutput>?
    /// The literals a simple regex stands for (``LogQLLiteralRegex``).
    private let literals: LogQLLiteralRegex?
    private let re2: RE2Regex?

    public init(_ matcher: LogQLMatcher) throws(LogQLEvaluationError) {
        name = matcher.name
        type = matcher.type
        value = matcher.value
        switch matcher.type {
        case .equal, .notEqual:
            regex = nil
            literals = nil
            re2 = nil
        case .regexMatch, .regexNoMatch:
            regex = try LogQLRegexCache.compile(matcher.value)
            literals = LogQLLiteralRegex(matcher.value)
            re2 = RE2Regex(wholeMatch: matcher.value)
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
        if let re2, re2.handles(length: candidate.utf8.count) { return re2.matches(candidate) }
        return regex.map { candidate.wholeMatch(of: $0) != nil } ?? false
    }
}

/// Regex compilation with Loki-worded errors.
enum LogQLRegexCache {
    static func compile(_ pattern: String) throws(LogQLEvaluationError) -> Regex<AnyRegexOutput> {
        do {
            return try Regex(pattern)
        } catch {
            throw LogQLEvaluationError.invalidRegex(pattern)
        }
    }
}
