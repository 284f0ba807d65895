import KansokuRegex

/// A label matcher with its regular expression compiled once.
///
/// Prometheus anchors matcher regexes at both ends and lets `.` match
/// newlines (`^(?s:re)$`). Matching runs with Go's semantics (``RE2Regex``)
/// where that engine takes the pattern, else on Swift's engine (`wholeMatch`
/// with `dotMatchesNewlines`), which is also where compile errors come from
/// for a pattern ``RE2Regex`` does not take.
struct PromQLCompiledMatcher {
    let matcher: PromQLLabelMatcher
    let regex: Regex<AnyRegexOutput>?
    let re2: RE2Regex?

    init(_ matcher: PromQLLabelMatcher) throws {
        self.matcher = matcher
        switch matcher.op {
        case .equal, .notEqual:
            regex = nil
            re2 = nil
        case .regexMatch, .regexNoMatch:
            let re2 = RE2Regex(wholeMatch: "(?s:\(matcher.value))")
            self.re2 = re2
            // Swift's syntax lacks some of RE2's (`\pN`): its error counts only when RE2Regex cannot take the pattern.
            regex = re2 == nil ? try PromQLCompiledMatcher.compile(matcher.value) : try? PromQLCompiledMatcher.compile(matcher.value)
        }
    }

    /// Compiles a Prometheus (RE2) pattern; the error text follows upstream's.
    static func compile(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        do {
            return try Regex(pattern).dotMatchesNewlines().matchingSemantics(.unicodeScalar)
        } catch {
            throw PromQLEvaluationError.execution("invalid regular expression \(PromQLStringLiteral.quote(pattern))")
        }
    }

    /// Whether a label value (empty when the label is absent) satisfies the matcher.
    func matches(_ value: String) -> Bool {
        switch matcher.op {
        case .equal: return value == matcher.value
        case .notEqual: return value != matcher.value
        case .regexMatch: return wholeMatch(value)
        case .regexNoMatch: return !wholeMatch(value)
        }
    }

    private func wholeMatch(_ value: String) -> Bool {
        if let re2, re2.handles(length: value.utf8.count) { return re2.matches(value) }
        guard let regex else { return false }  // RE2 syntax alone, on a value past RE2Regex's bound
        return (try? regex.wholeMatch(in: value)) != nil
    }

    /// Whether `labels` satisfy every matcher in `matchers`.
    static func matchAll(_ matchers: [PromQLCompiledMatcher], _ labels: PromQLLabels) -> Bool {
        matchers.allSatisfy { $0.matches(labels[$0.matcher.name] ?? "") }
    }
}
