/// A parsed regular expression in Go's RE2 syntax (``RE2Parser``), ready
/// to be compiled into an ``RE2Program``.
indirect enum RE2Node: Sendable {
    /// Matches the empty string.
    case empty
    /// These exact bytes (whole UTF-8 characters).
    case literal([UInt8])
    /// One scalar of the class.
    case runeClass(RE2RuneClass)
    case concatenation([RE2Node])
    /// The first alternative that leads to a match wins (leftmost-first, as in Go).
    case alternation([RE2Node])
    /// `min` to `max` (nil: unbounded) repetitions; greedy ones try more first.
    case repetition(RE2Node, min: Int, max: Int?, greedy: Bool)
    /// Capturing group `index` (1-based), with its name when it has one.
    case capture(RE2Node, index: Int, name: String?)
    case assertion(RE2Assertion)
}

/// The empty-width assertions of Go's syntax.
enum RE2Assertion: UInt8, Sendable, Equatable {
    /// `\A`, or `^` without `(?m)`.
    case beginText
    /// `\z`, or `$` without `(?m)`: only at the very end (unlike Perl's `$`).
    case endText
    /// `^` under `(?m)`: at the start or after `\n`.
    case beginLine
    /// `$` under `(?m)`: at the end or before `\n`.
    case endLine
    /// `\b`: between an ASCII word character and something else.
    case wordBoundary
    /// `\B`.
    case notWordBoundary
}
