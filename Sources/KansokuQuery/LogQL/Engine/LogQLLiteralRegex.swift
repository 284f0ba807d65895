import KansokuModel

/// A regular expression that only chooses among literal strings, matched
/// without a regex engine, as Loki simplifies such line filters: `error`,
/// `(?i)error`, `GET|POST`, `level":"(error|warn)`, `.*timeout.*`.
///
/// Understood: an optional leading `(?i)`; top-level `|`; in each branch
/// ASCII literal characters, escaped punctuation (`\.`), at most one group
/// `(a|b)` or `(?:a|b)` of literal alternatives per position (no nesting, no
/// quantifier on it), and `.*` at the start or end of a branch. Anything else
/// (classes, anchors, other quantifiers and flags, named groups, non-ASCII
/// text) leaves the pattern to the regex engine (`init` gives nil).
///
/// On ASCII text this is the regex's answer. With `(?i)`, a line holding
/// non-ASCII bytes that matches no literal is left to the regex, since
/// Unicode case folding can match more there (KELVIN SIGN is a `k`).
struct LogQLLiteralRegex: Sendable, Equatable {
    /// One top-level branch: its literal choices (lowercased under `(?i)`)
    /// and whether `.*` opens or closes it.
    struct Branch: Sendable, Equatable {
        var literals: [[UInt8]]
        var leadingAny = false
        var trailingAny = false
    }

    let branches: [Branch]
    let caseInsensitive: Bool
    /// Whether some branch opens or closes with `.*`.
    private let anyAtEnds: Bool

    /// Literal choices are expanded (`a(b|c)(d|e)` is four); past this many the regex is used.
    static let maximumLiterals = 64

    init?(_ pattern: String) {
        var bytes = Array(pattern.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        caseInsensitive = bytes.starts(with: Array("(?i)".utf8))
        if caseInsensitive { bytes.removeFirst(4) }
        var branches: [Branch] = []
        var literalCount = 0
        for text in Self.splitTopLevel(bytes) {
            guard let branch = Self.branch(text, lowercased: caseInsensitive) else { return nil }
            literalCount += branch.literals.count
            guard literalCount <= Self.maximumLiterals else { return nil }
            branches.append(branch)
        }
        self.branches = branches
        anyAtEnds = branches.contains { $0.leadingAny || $0.trailingAny }
    }

    /// Whether some match of the pattern occurs in `text` (unanchored, like
    /// a line filter); nil when only the regex can tell.
    func matchesSomewhere(in text: UnsafeRawBufferPointer) -> Bool? {
        for branch in branches {
            for literal in branch.literals {
                let found = literal.withUnsafeBytes { needle in
                    caseInsensitive ? Self.containsFolded(text, needle) : text.containsBytes(needle)
                }
                if found { return true }
            }
        }
        return caseInsensitive && !Self.isASCII(text) ? nil : false
    }

    /// Whether the whole of `text` matches (a label matcher); nil when only
    /// the regex can tell. A `.*` at a branch's end takes any text but a line
    /// break, so with one a value holding a line-break byte (or any non-ASCII
    /// one, where Unicode has more) is left to the regex.
    func matchesWhole(_ text: UnsafeRawBufferPointer) -> Bool? {
        if anyAtEnds, !text.allSatisfy({ $0 < 0x80 && !(0x0A...0x0D).contains($0) }) { return nil }
        if caseInsensitive, !Self.isASCII(text) { return nil }
        for branch in branches {
            for literal in branch.literals where literal.count <= text.count {
                let found = literal.withUnsafeBytes { literal in
                    switch (branch.leadingAny, branch.trailingAny) {
                    case (false, false): literal.count == text.count && has(literal, in: text, at: 0)
                    case (false, true): has(literal, in: text, at: 0)
                    case (true, false): has(literal, in: text, at: text.count - literal.count)
                    case (true, true): caseInsensitive ? Self.containsFolded(text, literal) : text.containsBytes(literal)
                    }
                }
                if found { return true }
            }
        }
        return false
    }

    private func has(_ literal: UnsafeRawBufferPointer, in text: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        caseInsensitive ? Self.hasFolded(text, literal, at: offset) : text.hasBytes(literal, at: offset)
    }

    // MARK: - Parsing

    /// `bytes` split at `|` outside groups (escapes respected; a class, where
    /// `|` is literal, makes its branch refused anyway).
    private static func splitTopLevel(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var depth = 0, start = 0, i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\\"): i += 1
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth -= 1
            case UInt8(ascii: "|") where depth == 0:
                parts.append(bytes[start..<i])
                start = i + 1
            default: break
            }
            i += 1
        }
        parts.append(bytes[start..<bytes.count])
        return parts
    }

    /// One branch's literal choices, or nil when it is not literal.
    private static func branch(_ text: ArraySlice<UInt8>, lowercased: Bool) -> Branch? {
        var text = text
        var result = Branch(literals: [[]])
        let any: [UInt8] = Array(".*".utf8)
        if text.starts(with: any) { result.leadingAny = true; text = text.dropFirst(2) }
        var i = text.startIndex
        func append(_ choices: [[UInt8]]) -> Bool {
            result.literals = result.literals.flatMap { head in choices.map { head + $0 } }
            return result.literals.count <= maximumLiterals
        }
        while i < text.endIndex {
            let c = text[i]
            if c == UInt8(ascii: "."), text.index(after: i) == text.index(before: text.endIndex), text.last == UInt8(ascii: "*") {
                result.trailingAny = true
                break
            }
            if c == UInt8(ascii: "(") {
                guard let (choices, end) = group(text, from: i) else { return nil }
                guard append(choices) else { return nil }
                i = end
                continue
            }
            guard let (byte, end) = literal(text, at: i) else { return nil }
            guard append([[byte]]) else { return nil }
            i = end
        }
        if lowercased { result.literals = result.literals.map { $0.map(fold) } }
        return result
    }

    /// A `(a|b)` or `(?:a|b)` group of literals at `start`: its choices and the index past it.
    private static func group(_ text: ArraySlice<UInt8>, from start: Int) -> ([[UInt8]], Int)? {
        var i = start + 1
        if text[i...].starts(with: Array("?:".utf8)) { i += 2 }
        var choices: [[UInt8]] = [[]]
        while i < text.endIndex {
            switch text[i] {
            case UInt8(ascii: ")"):
                // A quantifier on the group would make it optional or repeated.
                let next = i + 1
                if next < text.endIndex, quantifiers.contains(text[next]) { return nil }
                return (choices, next)
            case UInt8(ascii: "|"):
                choices.append([])
                i += 1
            default:
                guard let (byte, end) = literal(text, at: i) else { return nil }
                choices[choices.count - 1].append(byte)
                i = end
            }
        }
        return nil
    }

    /// The literal byte at `i` (plain or escaped punctuation) and the index
    /// past it; nil for a metacharacter, or for a byte a quantifier follows.
    private static func literal(_ text: ArraySlice<UInt8>, at i: Int) -> (UInt8, Int)? {
        var byte = text[i]
        var end = i + 1
        if byte == UInt8(ascii: "\\") {
            guard end < text.endIndex, LogQLRegexLiterals.isPunctuation(text[end]) else { return nil }
            byte = text[end]
            end += 1
        } else {
            guard byte >= 0x20, !metacharacters.contains(byte) else { return nil }
        }
        if end < text.endIndex, quantifiers.contains(text[end]) { return nil }
        return (byte, end)
    }

    private static let metacharacters = Array(#".+*?()|[]{}^$"#.utf8)
    private static let quantifiers = Array("*+?{".utf8)

    // MARK: - Matching

    @inline(__always)
    private static func fold(_ c: UInt8) -> UInt8 { LogQLNeedleTerms.lower(c) }

    private static func isASCII(_ text: UnsafeRawBufferPointer) -> Bool {
        text.allSatisfy { $0 < 0x80 }
    }

    /// Whether `needle` (lowercase) occurs in `text` with ASCII letters of either case.
    private static func containsFolded(_ text: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count <= text.count else { return false }
        let upper = first >= 0x61 && first <= 0x7A ? first - 0x20 : first
        for i in 0...(text.count - needle.count) where text[i] == first || text[i] == upper {
            if hasFolded(text, needle, at: i) { return true }
        }
        return false
    }

    /// Whether `needle` (lowercase) is at `offset` of `text`, ASCII letters of either case.
    private static func hasFolded(_ text: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard needle.count <= text.count - offset else { return false }
        for k in 0..<needle.count where fold(text[offset + k]) != needle[k] { return false }
        return true
    }
}
