/// The literal substrings any match of a simple regular expression must
/// contain, for index pushdown of `|~` line filters.
///
/// Only a conservative subset is understood: ASCII literals and escaped
/// punctuation, `.`, classes `[…]`, `\d \w \s \b` and their negations,
/// anchors, quantifiers (`* + ? {n,m}`, lazy or possessive) and top-level
/// `|`. Groups, flags (`(?i)`), other escapes and non-ASCII text make the
/// whole pattern "unknown" (nil), never a wrong answer. A quantified literal
/// character is dropped from its run, so `ab+c` yields `a` and `c`.
enum LogQLRegexLiterals {
    /// One alternative of the pattern: the literal runs every match of it contains.
    typealias Branch = [String]

    /// The top-level alternatives, each with its required literal runs, or nil
    /// when the pattern uses anything outside the understood subset.
    static func branches(_ pattern: String) -> [Branch]? {
        let chars = Array(pattern.utf8)
        guard chars.allSatisfy({ $0 < 0x80 }) else { return nil }
        var branches: [Branch] = []
        var runs: Branch = []
        var run: [UInt8] = []
        /// Whether the last atom was a literal character still in `run`.
        var lastWasLiteral = false
        var hadAtom = false
        func endRun() {
            if !run.isEmpty { runs.append(String(decoding: run, as: UTF8.self)) }
            run = []
            lastWasLiteral = false
        }
        func literal(_ c: UInt8) {
            run.append(c)
            lastWasLiteral = true
            hadAtom = true
        }
        func boundary() {
            endRun()
            hadAtom = true
        }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                return nil
            case UInt8(ascii: "|"):
                endRun()
                branches.append(runs)
                runs = []
                hadAtom = false
                i += 1
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
                guard hadAtom else { return nil }
                if c == UInt8(ascii: "{") {
                    guard let end = quantifierEnd(chars, from: i) else { return nil }
                    i = end
                } else {
                    i += 1
                }
                if i < chars.count, chars[i] == UInt8(ascii: "?") || chars[i] == UInt8(ascii: "+") { i += 1 }
                if lastWasLiteral { run.removeLast() }
                endRun()
                hadAtom = false
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"):
                boundary()
                i += 1
            case UInt8(ascii: "["):
                guard let end = classEnd(chars, from: i) else { return nil }
                boundary()
                i = end
            case UInt8(ascii: "\\"):
                guard i + 1 < chars.count else { return nil }
                let e = chars[i + 1]
                switch e {
                case UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "w"), UInt8(ascii: "W"), UInt8(ascii: "s"),
                     UInt8(ascii: "S"), UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "A"), UInt8(ascii: "z"):
                    boundary()
                case UInt8(ascii: "n"): literal(0x0A)
                case UInt8(ascii: "t"): literal(0x09)
                case UInt8(ascii: "r"): literal(0x0D)
                case UInt8(ascii: "f"): literal(0x0C)
                case UInt8(ascii: "v"): literal(0x0B)
                default:
                    guard isPunctuation(e) else { return nil }
                    literal(e)
                }
                i += 2
            default:
                guard c >= 0x20 || c == 0x09 else { return nil }
                literal(c)
                i += 1
            }
        }
        endRun()
        branches.append(runs)
        return branches
    }

    /// Index just past a `{n}`, `{n,}` or `{n,m}` quantifier starting at `start`, or nil.
    private static func quantifierEnd(_ chars: [UInt8], from start: Int) -> Int? {
        var i = start + 1
        var digits = 0
        while i < chars.count, (0x30...0x39).contains(chars[i]) { i += 1; digits += 1 }
        guard digits > 0, i < chars.count else { return nil }
        if chars[i] == UInt8(ascii: ",") {
            i += 1
            while i < chars.count, (0x30...0x39).contains(chars[i]) { i += 1 }
        }
        guard i < chars.count, chars[i] == UInt8(ascii: "}") else { return nil }
        return i + 1
    }

    /// Index just past the `]` closing the class opened at `start`, or nil.
    /// A `]` first (after an optional `^`) is literal; escapes are skipped;
    /// nested `[` (POSIX classes, set operations) are not understood.
    private static func classEnd(_ chars: [UInt8], from start: Int) -> Int? {
        var i = start + 1
        if i < chars.count, chars[i] == UInt8(ascii: "^") { i += 1 }
        if i < chars.count, chars[i] == UInt8(ascii: "]") { i += 1 }
        while i < chars.count {
            switch chars[i] {
            case UInt8(ascii: "]"): return i + 1
            case UInt8(ascii: "["): return nil
            case UInt8(ascii: "\\"): i += 2
            default: i += 1
            }
        }
        return nil
    }

    /// ASCII punctuation: what a backslash makes literal in both RE2 and Swift's `Regex`.
    static func isPunctuation(_ c: UInt8) -> Bool {
        (0x21...0x2F).contains(c) || (0x3A...0x40).contains(c) || (0x5B...0x60).contains(c) || (0x7B...0x7E).contains(c)
    }
}
