import KansokuModel
import KansokuRegex

/// A compiled line filter (`|=`, `!=`, `|~`, `!~`, `|>`, `!>`, with `or`).
///
/// Positive filters keep a line when any alternative matches; negative
/// filters keep it only when no alternative matches (Loki's `or` rule).
/// `|~` searches (unanchored) like RE2's `MatchString`.
struct LogQLLineFilterEvaluator: @unchecked Sendable {
    private enum Matcher {
        /// UTF-8: Loki looks for the bytes, not for Swift's characters.
        case contains([UInt8])
        /// With the literals it stands for, when it is that simple (``LogQLLiteralRegex``),
        /// and else in Go's semantics when ``RE2Regex`` takes it.
        case regex(Regex<AnyRegexOutput>, LogQLLiteralRegex?, RE2Regex?)
        case pattern(LogQLPattern)
        case ip(LogQLIPMatcher)
    }
    private let negated: Bool
    private let matchers: [Matcher]

    init(_ filter: LogQLLineFilter) throws(LogQLEvaluationError) {
        negated = [.notContains, .regexNoMatch, .patternNoMatch].contains(filter.op)
        var matchers: [Matcher] = []
        for value in filter.values {
            guard case .string(let text) = value else {
                guard case .ip(let pattern) = value, let matcher = LogQLIPMatcher(pattern: pattern) else {
                    throw .invalidPattern("invalid ip pattern \(value)")
                }
                matchers.append(.ip(matcher))
                continue
            }
            switch filter.op {
            case .contains, .notContains: matchers.append(.contains(Array(text.utf8)))
            case .regexMatch, .regexNoMatch:
                matchers.append(.regex(try LogQLRegexCompiler.compile(text), LogQLLiteralRegex(text), RE2Regex(text)))
            case .patternMatch, .patternNoMatch: matchers.append(.pattern(try LogQLPattern(text, requireNamed: false)))
            }
        }
        self.matchers = matchers
    }

    func keeps(_ line: String) -> Bool {
        let any = matchers.contains { matcher in
            switch matcher {
            case .contains(let needle):
                return needle.isEmpty || needle.withUnsafeBytes { needle in line.withUTF8Bytes { $0.containsBytes(needle) } }
            case .regex(let regex, let literals, let re2):
                if let literals, let found = line.withUTF8Bytes({ literals.matchesSomewhere(in: $0) }) { return found }
                if let re2, re2.handles(length: line.utf8.count) { return re2.matches(line) }
                return line.firstMatch(of: regex) != nil
            case .pattern(let pattern): return pattern.matchesWholeLine(line)
            case .ip(let matcher): return matcher.matchesSomewhere(in: line)
            }
        }
        return negated ? !any : any
    }
}
