/// Parses Go's RE2 syntax (what Loki and Prometheus accept) into an
/// ``RE2Node``, with Go's meaning for it: `.` stops only at `\n`, `$` is
/// the end of the text, `\d`, `\w`, `\s` and `\b` are ASCII, `(?i)` folds
/// as Go's simple folding does.
///
/// It gives nil for what it leaves to Swift's regex engine: Unicode classes
/// (`\p`), octal escapes and back-references, `\Q…\E`, `\C`, non-ASCII
/// text under `(?i)`, look-arounds, and anything Go would reject (so that
/// the error comes from the one place that reports regex errors).
struct RE2Parser {
    struct Flags {
        var caseInsensitive = false
        var multiLine = false
        var dotMatchesNewline = false
        var ungreedy = false
    }

    /// Go's limit on `{n,m}` counts.
    static let maximumRepeat = 1000

    let bytes: [UInt8]
    var position = 0
    private(set) var groupCount = 0
    private(set) var names: [Int: String] = [:]

    private init(_ pattern: String) { bytes = Array(pattern.utf8) }

    /// The expression `pattern` stands for, with its group count and group names.
    static func parse(_ pattern: String) -> (node: RE2Node, groupCount: Int, names: [Int: String])? {
        var parser = RE2Parser(pattern)
        guard let node = parser.parseAlternation(Flags()), parser.position == parser.bytes.count else { return nil }
        return (node, parser.groupCount, parser.names)
    }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[position] }

    private mutating func parseAlternation(_ outer: Flags) -> RE2Node? {
        var flags = outer  // (?flags) inside a group last until its `)`, across `|`
        var branches: [RE2Node] = []
        while true {
            guard let branch = parseConcatenation(&flags) else { return nil }
            branches.append(branch)
            guard peek == UInt8(ascii: "|") else { break }
            position += 1
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation(_ flags: inout Flags) -> RE2Node? {
        var items: [RE2Node] = []
        var lastIsRepeatable = false
        while let byte = peek, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
            if let quantifier = parseQuantifier(flags) {
                guard let quantifier, lastIsRepeatable, let last = items.popLast() else { return nil }
                items.append(.repetition(last, min: quantifier.min, max: quantifier.max, greedy: quantifier.greedy))
                lastIsRepeatable = false
                continue
            }
            if byte == UInt8(ascii: "("), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "?"),
               let changed = parseFlagGroup(flags) {
                flags = changed
                lastIsRepeatable = false
                continue
            }
            guard let atom = parseAtom(flags) else { return nil }
            items.append(atom)
            lastIsRepeatable = true
        }
        return Self.concatenate(items)
    }

    /// `(?flags)` alone (Go takes `(?)` too): nil when the group is something else.
    private mutating func parseFlagGroup(_ flags: Flags) -> Flags? {
        var lookahead = self
        lookahead.position += 2
        // `(?:`, `(?i:`, `(?P<`, a look-around: a group, for `parseGroup`.
        guard let parsed = lookahead.parseFlags(flags), lookahead.peek == UInt8(ascii: ")") else { return nil }
        position = lookahead.position + 1
        return parsed
    }

    /// Flag letters (`i`, `m`, `s`, `U`, with one `-` before those to clear)
    /// at the cursor, applied to `flags`; stops before `)` or `:`. Nil for any
    /// other byte, a second `-`, or a `-` with no letter after it (Go rejects those).
    private mutating func parseFlags(_ flags: Flags) -> Flags? {
        var result = flags
        var negate = false, sawFlagAfterNegate = false
        while let byte = peek, byte != UInt8(ascii: ")"), byte != UInt8(ascii: ":") {
            switch byte {
            case UInt8(ascii: "i"): result.caseInsensitive = !negate
            case UInt8(ascii: "m"): result.multiLine = !negate
            case UInt8(ascii: "s"): result.dotMatchesNewline = !negate
            case UInt8(ascii: "U"): result.ungreedy = !negate
            case UInt8(ascii: "-") where !negate:
                negate = true
                position += 1
                continue
            default: return nil
            }
            sawFlagAfterNegate = negate
            position += 1
        }
        guard peek != nil, !negate || sawFlagAfterNegate else { return nil }
        return result
    }

    private struct Quantifier { var min: Int; var max: Int?; var greedy: Bool }

    /// A quantifier at the cursor: nil when there is none, `.some(nil)` when invalid.
    private mutating func parseQuantifier(_ flags: Flags) -> Quantifier?? {
        guard let byte = peek else { return nil }
        var quantifier: Quantifier
        switch byte {
        case UInt8(ascii: "*"): quantifier = Quantifier(min: 0, max: nil, greedy: true); position += 1
        case UInt8(ascii: "+"): quantifier = Quantifier(min: 1, max: nil, greedy: true); position += 1
        case UInt8(ascii: "?"): quantifier = Quantifier(min: 0, max: 1, greedy: true); position += 1
        case UInt8(ascii: "{"):
            guard let counted = parseCountedRepeat() else { return nil }  // a literal `{`
            guard let counted else { return .some(nil) }
            quantifier = counted
        default: return nil
        }
        if peek == UInt8(ascii: "?") {
            quantifier.greedy = false
            position += 1
        }
        if flags.ungreedy { quantifier.greedy.toggle() }
        // Go rejects a quantifier on a quantifier (`a**`, `a+?+`).
        if let next = peek, [UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?")].contains(next) { return .some(nil) }
        if peek == UInt8(ascii: "{"), case .some = lookAheadCountedRepeat() { return .some(nil) }
        return .some(quantifier)
    }

    private func lookAheadCountedRepeat() -> Quantifier?? {
        var copy = self
        return copy.parseCountedRepeat()
    }

    /// `{n}`, `{n,}` or `{n,m}`: nil when the brace is a literal, `.some(nil)` when out of range.
    private mutating func parseCountedRepeat() -> Quantifier?? {
        var i = position + 1
        func number() -> Int? {
            let start = i
            var value = 0
            while i < bytes.count, (0x30...0x39).contains(bytes[i]) {
                value = min(value * 10 + Int(bytes[i] - 0x30), Self.maximumRepeat + 1)
                i += 1
            }
            return i > start ? value : nil
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if i < bytes.count, bytes[i] == UInt8(ascii: ",") {
            i += 1
            high = number()
        }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "}") else { return nil }
        position = i + 1
        if low > Self.maximumRepeat || (high ?? 0) > Self.maximumRepeat || (high.map { $0 < low } ?? false) {
            return .some(nil)
        }
        return .some(Quantifier(min: low, max: high, greedy: true))
    }

    private mutating func parseAtom(_ flags: Flags) -> RE2Node? {
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "("): return parseGroup(flags)
        case UInt8(ascii: "["): return parseClass(flags)
        case UInt8(ascii: "."):
            position += 1
            return .runeClass(flags.dotMatchesNewline ? .anyScalar : .anyButNewline)
        case UInt8(ascii: "^"):
            position += 1
            return .assertion(flags.multiLine ? .beginLine : .beginText)
        case UInt8(ascii: "$"):
            position += 1
            return .assertion(flags.multiLine ? .endLine : .endText)
        case UInt8(ascii: "\\"):
            guard position + 1 < bytes.count else { return nil }
            switch bytes[position + 1] {
            case UInt8(ascii: "A"): position += 2; return .assertion(.beginText)
            case UInt8(ascii: "z"): position += 2; return .assertion(.endText)
            case UInt8(ascii: "b"): position += 2; return .assertion(.wordBoundary)
            case UInt8(ascii: "B"): position += 2; return .assertion(.notWordBoundary)
            default: break
            }
            guard let item = parseEscape() else { return nil }
            switch item {
            case .scalar(let scalar): return literal(scalar, flags)
            case .perlClass(let positive, let negated): return classNode(positive, negated: negated, flags)
            }
        default:
            guard let scalar = decodeScalar() else { return nil }
            return literal(scalar, flags)
        }
    }

    private mutating func parseGroup(_ flags: Flags) -> RE2Node? {
        position += 1
        var inner = flags
        var name: String?
        var capturing = true
        if peek == UInt8(ascii: "?") {
            position += 1
            if peek == UInt8(ascii: "P") || peek == UInt8(ascii: "<") {
                if peek == UInt8(ascii: "P") { position += 1 }
                guard peek == UInt8(ascii: "<") else { return nil }
                position += 1
                let start = position
                while let byte = peek, byte < 0x80, RE2RuneClass.wordCharacters.containsASCII(byte) {
                    position += 1
                }
                guard position > start, peek == UInt8(ascii: ">") else { return nil }
                name = String(decoding: bytes[start..<position], as: UTF8.self)
                position += 1
            } else {
                capturing = false
                guard let parsed = parseFlags(flags), peek == UInt8(ascii: ":") else { return nil }
                inner = parsed
                position += 1
            }
        }
        var index = 0
        if capturing {
            groupCount += 1
            index = groupCount
            if let name { names[index] = name }
        }
        guard let body = parseAlternation(inner), peek == UInt8(ascii: ")") else { return nil }
        position += 1
        return capturing ? .capture(body, index: index, name: name) : body
    }

    private func literal(_ scalar: UInt32, _ flags: Flags) -> RE2Node? {
        guard flags.caseInsensitive else { return .literal(Self.utf8(scalar)) }
        if scalar >= 0x80 {
            // Only KELVIN SIGN and LONG S fold onto ASCII; other letters need Unicode tables.
            guard scalar == 0x212A || scalar == 0x17F else { return nil }
        }
        let folded = RE2RuneClass([scalar...scalar]).addingASCIIFolds()
        return folded.ranges == [scalar...scalar] ? .literal(Self.utf8(scalar)) : .runeClass(folded)
    }

    /// A class node: under `(?i)` the positive members are folded before a negation, as Go does.
    func classNode(_ positive: RE2RuneClass, negated: Bool, _ flags: Flags) -> RE2Node? {
        var set = positive
        if flags.caseInsensitive {
            guard !positive.hasNonASCII else { return nil }
            set = set.addingASCIIFolds()
        }
        return .runeClass(negated ? set.inverted() : set)
    }

    private static func concatenate(_ items: [RE2Node]) -> RE2Node {
        var merged: [RE2Node] = []
        for item in items {
            if case .literal(let bytes) = item, case .literal(let previous)? = merged.last {
                merged[merged.count - 1] = .literal(previous + bytes)
            } else {
                merged.append(item)
            }
        }
        switch merged.count {
        case 0: return .empty
        case 1: return merged[0]
        default: return .concatenation(merged)
        }
    }

    static func utf8(_ scalar: UInt32) -> [UInt8] {
        Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
    }
}

extension RE2Parser {
    enum EscapeItem {
        case scalar(UInt32)
        /// `\d`, `\s`, `\w` or their negations, as the positive class.
        case perlClass(RE2RuneClass, negated: Bool)
    }

    /// An escape at the cursor (`\` and what follows) that stands for a scalar or a Perl class.
    mutating func parseEscape() -> EscapeItem? {
        guard position + 1 < bytes.count else { return nil }
        let byte = bytes[position + 1]
        position += 2
        switch byte {
        case UInt8(ascii: "a"): return .scalar(7)
        case UInt8(ascii: "f"): return .scalar(12)
        case UInt8(ascii: "t"): return .scalar(9)
        case UInt8(ascii: "n"): return .scalar(10)
        case UInt8(ascii: "r"): return .scalar(13)
        case UInt8(ascii: "v"): return .scalar(11)
        case UInt8(ascii: "d"), UInt8(ascii: "D"): return .perlClass(.digits, negated: byte == UInt8(ascii: "D"))
        case UInt8(ascii: "s"), UInt8(ascii: "S"): return .perlClass(.spaces, negated: byte == UInt8(ascii: "S"))
        case UInt8(ascii: "w"), UInt8(ascii: "W"): return .perlClass(.wordCharacters, negated: byte == UInt8(ascii: "W"))
        case UInt8(ascii: "x"): return parseHexEscape().map { .scalar($0) }
        default:
            // Escaped ASCII punctuation (`_` included) stands for itself; letters and digits are other escapes.
            guard byte < 0x80, byte == UInt8(ascii: "_") || !RE2RuneClass.wordCharacters.containsASCII(byte) else { return nil }
            return .scalar(UInt32(byte))
        }
    }

    /// `\xHH` or `\x{H…}` after the `\x`.
    private mutating func parseHexEscape() -> UInt32? {
        func hexDigit(_ byte: UInt8) -> UInt32? {
            switch byte {
            case 0x30...0x39: UInt32(byte - 0x30)
            case 0x41...0x46: UInt32(byte - 0x41 + 10)
            case 0x61...0x66: UInt32(byte - 0x61 + 10)
            default: nil
            }
        }
        if peek == UInt8(ascii: "{") {
            position += 1
            var value: UInt32 = 0
            var digits = 0
            while let byte = peek, let digit = hexDigit(byte) {
                value = value * 16 + digit
                digits += 1
                guard value <= RE2RuneClass.maxScalar else { return nil }
                position += 1
            }
            guard digits > 0, peek == UInt8(ascii: "}") else { return nil }
            position += 1
            return (0xD800...0xDFFF).contains(value) ? nil : value
        }
        guard position + 1 < bytes.count, let high = hexDigit(bytes[position]), let low = hexDigit(bytes[position + 1]) else {
            return nil
        }
        position += 2
        return high * 16 + low
    }

    /// The scalar whose UTF-8 starts at the cursor (the pattern is a valid string).
    mutating func decodeScalar() -> UInt32? {
        let lead = bytes[position]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard position + length <= bytes.count else { return nil }
        var value = length == 1 ? UInt32(lead) : UInt32(lead) & (0xFF >> (length + 1))
        for i in 1..<length { value = value << 6 | UInt32(bytes[position + i] & 0x3F) }
        position += length
        return value
    }
}
