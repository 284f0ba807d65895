extension RE2Parser {
    /// A bracketed class at the cursor: `[a-z_]`, `[^"]`, `[[:alpha:]\d]`.
    /// A `]` first in the class is a member; `-` is one where it cannot make a range.
    mutating func parseClass(_ flags: Flags) -> RE2Node? {
        position += 1
        var negated = false
        if peek == UInt8(ascii: "^") {
            negated = true
            position += 1
        }
        var members: [ClosedRange<UInt32>] = []
        var first = true
        while let byte = peek, byte != UInt8(ascii: "]") || first {
            first = false
            if byte == UInt8(ascii: "["), let posix = parsePOSIXClass() {
                guard let posix else { return nil }
                members += posix.ranges
                continue
            }
            guard let low = parseClassItem() else { return nil }
            guard case .scalar(let lowScalar) = low else {
                if case .perlClass(let positive, let negated) = low {
                    members += (negated ? positive.inverted() : positive).ranges
                }
                continue
            }
            if peek == UInt8(ascii: "-"), position + 1 < bytes.count, bytes[position + 1] != UInt8(ascii: "]") {
                position += 1
                guard case .scalar(let highScalar)? = parseClassItem(), highScalar >= lowScalar else { return nil }
                members.append(lowScalar...highScalar)
            } else {
                members.append(lowScalar...lowScalar)
            }
        }
        guard peek == UInt8(ascii: "]") else { return nil }
        position += 1
        return classNode(RE2RuneClass(members), negated: negated, flags)
    }

    private mutating func parseClassItem() -> EscapeItem? {
        guard !atEnd else { return nil }
        if bytes[position] == UInt8(ascii: "\\") { return parseEscape() }
        return decodeScalar().map { .scalar($0) }
    }

    /// `[:name:]` or `[:^name:]` at the cursor: nil when it is not one, `.some(nil)` when the name is unknown.
    private mutating func parsePOSIXClass() -> RE2RuneClass?? {
        guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ":") else { return nil }
        var i = position + 2
        let negated = i < bytes.count && bytes[i] == UInt8(ascii: "^")
        if negated { i += 1 }
        let nameStart = i
        while i + 1 < bytes.count, !(bytes[i] == UInt8(ascii: ":") && bytes[i + 1] == UInt8(ascii: "]")) { i += 1 }
        guard i + 1 < bytes.count else { return nil }
        guard let posix = RE2RuneClass.posix(String(decoding: bytes[nameStart..<i], as: UTF8.self)) else { return .some(nil) }
        position = i + 2
        return .some(negated ? posix.inverted() : posix)
    }
}
