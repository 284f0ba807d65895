import KansokuModel

/// A regular expression in Go's RE2 syntax that must match a whole text, as
/// Prometheus (`^(?s:re)$`) and Loki (`^(?:re)$`) anchor the regexes of label
/// matchers, `label_replace` and relabeling.
///
/// It matches with ``RE2Regex`` (Go's semantics) where that engine takes the
/// pattern, else with Swift's `Regex`, which is also where the compile error
/// comes from when neither takes it. A pattern Swift's syntax lacks (`a{,3}`
/// as literal text) but RE2's has stays valid.
public struct AnchoredRegex: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: Swift's `Regex` is an immutable value, safe to share for
    // matching; it only lacks the annotation.
    private let re2: RE2Regex?
    private let swift: Regex<AnyRegexOutput>?
    /// The expression as written, without the anchoring.
    public let pattern: String

    /// Why a pattern was refused (Swift's regex parser's words).
    public struct CompileError: Error, Sendable, Equatable, CustomStringConvertible {
        public var pattern: String
        public var reason: String
        public var description: String { "error parsing regexp \"\(pattern)\": \(reason)" }
    }

    /// Compiles `pattern`; `dotMatchesNewline` as Prometheus's `(?s)`, false as Loki's.
    public init(_ pattern: String, dotMatchesNewline: Bool) throws(CompileError) {
        self.pattern = pattern
        let re2 = RE2Regex(wholeMatch: dotMatchesNewline ? "(?s:\(pattern))" : "(?:\(pattern))")
        self.re2 = re2
        do {
            let regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
            swift = dotMatchesNewline ? regex.dotMatchesNewlines() : regex
        } catch {
            guard re2 != nil else { throw CompileError(pattern: pattern, reason: "\(error)") }
            swift = nil
        }
    }

    public var description: String { pattern }

    /// Whether the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        if let re2, re2.handles(length: text.utf8.count) { return re2.matches(text) }
        // RE2 syntax alone, on a text past RE2Regex's bound: no engine can answer, so no match.
        guard let swift else { return false }
        return (try? swift.wholeMatch(in: text)) != nil
    }

    /// The groups of a match of the whole of `text`, or nil.
    public func match(_ text: String) -> RegexGroups? {
        if let re2, re2.handles(length: text.utf8.count) {
            return text.withUTF8Bytes { bytes in
                re2.firstMatch(in: bytes) { RegexGroups(slots: $0, in: bytes, of: re2) }
            }
        }
        guard let swift, let found = try? swift.wholeMatch(in: text) else { return nil }
        return RegexGroups(found.output)
    }
}
