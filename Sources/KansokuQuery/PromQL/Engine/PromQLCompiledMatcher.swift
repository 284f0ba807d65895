import KansokuRegex

/// A label matcher with its regular expression compiled once, anchored at
/// both ends with `.` taking newlines, as Prometheus compiles it
/// (`^(?s:re)$`; ``AnchoredRegex``).
struct PromQLCompiledMatcher {
    let matcher: PromQLLabelMatcher
    let regex: AnchoredRegex?

    init(_ matcher: PromQLLabelMatcher) throws {
        self.matcher = matcher
        switch matcher.op {
        case .equal, .notEqual: regex = nil
        case .regexMatch, .regexNoMatch: regex = try PromQLCompiledMatcher.compile(matcher.value)
        }
    }

    /// Compiles a Prometheus (RE2) pattern; the error text follows upstream's.
    static func compile(_ pattern: String) throws -> AnchoredRegex {
        do {
            return try AnchoredRegex(pattern, dotMatchesNewline: true)
        } catch {
            throw PromQLEvaluationError.execution("invalid regular expression \(PromQLStringLiteral.quote(pattern))")
        }
    }

    /// Whether a label value (empty when the label is absent) satisfies the matcher.
    func matches(_ value: String) -> Bool {
        switch matcher.op {
        case .equal: return value == matcher.value
        case .notEqual: return value != matcher.value
        case .regexMatch: return regex!.matches(value)
        case .regexNoMatch: return !regex!.matches(value)
        }
    }

    /// Whether `labels` satisfy every matcher in `matchers`.
    static func matchAll(_ matchers: [PromQLCompiledMatcher], _ labels: PromQLLabels) -> Bool {
        matchers.allSatisfy { $0.matches(labels[$0.matcher.name] ?? "") }
    }
}
