import KansokuModel

/// A regular expression in Go's RE2 syntax, matched over UTF-8 bytes with
/// Go's `regexp` semantics, as Loki and Prometheus match: leftmost-first
/// submatches, `.` stopping only at `\n`, `$` only at the end, ASCII `\d`,
/// `\w`, `\s`, `\b`, Go's `(?i)` folding (KELVIN SIGN is a `k`).
///
/// Matching takes time linear in the text for a given pattern
/// (``RE2Backtracker``). `init` gives nil for what this engine leaves to
/// Swift's `Regex` (see ``RE2Parser``): callers keep that as their fallback
/// and as the one place regex errors come from.
public struct RE2Regex: Sendable {
    /// One reference, so that copying a regex (stages are copied per line) costs one retain.
    private final class Compiled: Sendable {
        let program: RE2Program
        let groupNames: [Int: String]
        let groupCount: Int

        init(_ program: RE2Program, groupNames: [Int: String], groupCount: Int) {
            self.program = program
            self.groupNames = groupNames
            self.groupCount = groupCount
        }
    }

    private let compiled: Compiled
    private let anchored: Bool
    /// Capture group names by group index (1-based).
    public var groupNames: [Int: String] { compiled.groupNames }
    public var groupCount: Int { compiled.groupCount }

    /// A regex that matches anywhere in a text (`MatchString`).
    public init?(_ pattern: String) { self.init(pattern, whole: false) }

    /// A regex that must match a whole text, as label matchers are anchored (`^(?:…)$`).
    public init?(wholeMatch pattern: String) { self.init(pattern, whole: true) }

    private init?(_ pattern: String, whole: Bool) {
        guard let parsed = RE2Parser.parse(pattern) else { return nil }
        let node: RE2Node = whole ? .concatenation([parsed.node, .assertion(.endText)]) : parsed.node
        guard let program = RE2Program(node, groupCount: parsed.groupCount) else { return nil }
        compiled = Compiled(program, groupNames: parsed.names, groupCount: parsed.groupCount)
        anchored = whole
    }

    /// The most (instruction, position) states a match may track: a bit each,
    /// 8 MiB. Go moves to its NFA past a bound like this; callers move to
    /// Swift's `Regex` (over 256 KiB lines for a 256-instruction program).
    public static let maximumStates = 1 << 26

    /// Whether a text of `length` bytes is within ``maximumStates``; the
    /// matching functions answer "no match" for a longer one.
    public func handles(length: Int) -> Bool {
        compiled.program.instructions.count * (length + 1) <= Self.maximumStates
    }

    /// Whether the regex matches `text` (anywhere, or as a whole for ``init(wholeMatch:)``).
    public func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        guard handles(length: text.count) else { return false }
        return RE2Backtracker.firstMatch(compiled.program, in: text, anchored: anchored,
                                  captures: UnsafeMutableBufferPointer(start: nil, count: 0))
    }

    /// Calls `body` with the byte offsets of the first match that starts at or
    /// after `from`: `start[2i]..<start[2i+1]` for group `i` (group 0 the
    /// whole match), −1 for a group that took no part. Gives nil when there is
    /// no match. `^`, `\b` and the like see the whole text.
    public func firstMatch<Result>(in text: UnsafeRawBufferPointer, from: Int = 0,
                                   _ body: (UnsafeBufferPointer<Int>) -> Result) -> Result? {
        guard handles(length: text.count) else { return nil }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: compiled.program.captureSlots) { slots in
            guard RE2Backtracker.firstMatch(compiled.program, in: text, anchored: anchored, from: from, captures: slots)
            else { return nil }
            return body(UnsafeBufferPointer(slots))
        }
    }
}

extension RE2Regex {
    /// Whether the regex matches `text`'s UTF-8 bytes.
    public func matches(_ text: String) -> Bool { text.withUTF8Bytes { matches($0) } }
}
