import KansokuRegex

/// Regex compilation with Loki-worded errors: unanchored for line filters,
/// `| regexp` and templates, anchored for matchers and `label_replace`.
enum LogQLRegexCompiler {
    /// A pattern that may match anywhere, on Swift's engine (what ``RE2Regex`` does not take falls back to it).
    static func compile(_ pattern: String) throws(LogQLEvaluationError) -> Regex<AnyRegexOutput> {
        do {
            return try Regex(pattern)
        } catch {
            throw LogQLEvaluationError.invalidRegex(pattern)
        }
    }

    /// A pattern anchored at both ends, as Loki anchors matchers and `label_replace` (`^(?:re)$`).
    static func compileAnchored(_ pattern: String) throws(LogQLEvaluationError) -> AnchoredRegex {
        do {
            return try AnchoredRegex(pattern, dotMatchesNewline: false)
        } catch {
            throw LogQLEvaluationError.invalidRegex(pattern)
        }
    }
}
