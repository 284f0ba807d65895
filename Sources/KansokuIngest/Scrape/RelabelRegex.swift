import KansokuRegex

/// A relabeling regular expression, fully anchored as Prometheus anchors it
/// (`^(?s:…)$`; ``AnchoredRegex``: Go's semantics where ``RE2Regex`` takes
/// the pattern), with Go's `$1`/`${1}`/`$name`/`${name}` expansion of
/// its matches (``RegexGroups``).
public struct RelabelRegex: Sendable, Equatable, CustomStringConvertible {
    private let regex: AnchoredRegex
    /// The expression as configured, without the anchoring.
    public var pattern: String { regex.pattern }

    /// Why an expression was refused.
    public typealias CompileError = AnchoredRegex.CompileError

    /// Prometheus's default, `(.*)`.
    public static let `default` = try! RelabelRegex("(.*)")

    public init(_ pattern: String) throws(CompileError) {
        regex = try AnchoredRegex(pattern, dotMatchesNewline: true)
    }

    public static func == (a: RelabelRegex, b: RelabelRegex) -> Bool { a.pattern == b.pattern }
    public var description: String { pattern }

    /// Whether the whole of `text` matches.
    public func matches(_ text: String) -> Bool { regex.matches(text) }

    /// The groups of a match of the whole of `text`, or nil.
    public func match(_ text: String) -> RegexGroups? { regex.match(text) }
}
