/// Reads the tokens of one exposition line byte by byte; errors carry
/// Prometheus's "expected X, got Y" wording.
struct ExpositionLineCursor {
    let bytes: ArraySlice<UInt8>
    var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    var atEnd: Bool { index >= bytes.endIndex }
    var peek: UInt8? { atEnd ? nil : bytes[index] }

    /// A failure message naming what was expected and the token found.
    func expected(_ what: String) -> String {
        if atEnd { return "\(what), got end of line" }
        let token = bytes[index...].prefix { ![0x20, 0x09, 0x2C, 0x7D, 0x3D].contains($0) }
        let shown = token.isEmpty ? bytes[index...index] : token
        return "\(what), got \"\(String(decoding: shown, as: UTF8.self))\""
    }

    mutating func skipBlanks() {
        while let byte = peek, byte == 0x20 || byte == 0x09 { index += 1 }
    }

    /// Consumes `byte` if it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    /// Exactly one space (OpenMetrics) or any run of blanks (text format);
    /// false when there was none.
    mutating func separator(strict: Bool) -> Bool {
        if strict { return take(0x20) }
        let start = index
        skipBlanks()
        return index > start
    }

    static func isNameStart(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x3A }
    static func isNameByte(_ b: UInt8) -> Bool { isNameStart(b) || (b >= 0x30 && b <= 0x39) }

    /// A metric name `[a-zA-Z_:][a-zA-Z0-9_:]*` (label names: without `:`), or nil.
    mutating func name(allowColon: Bool = true) -> String? {
        guard let first = peek, Self.isNameStart(first), allowColon || first != 0x3A else { return nil }
        let start = index
        while let byte = peek, Self.isNameByte(byte), allowColon || byte != 0x3A { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// A double-quoted string with `\\`, `\"` and `\n` escapes; nil when the
    /// next byte is not a quote; throws on a bad escape or a missing close.
    mutating func quoted() throws(ExpositionLineCursor.Failure) -> String? {
        guard take(0x22) else { return nil }
        var out: [UInt8] = []
        while let byte = peek {
            index += 1
            switch byte {
            case 0x22: return String(decoding: out, as: UTF8.self)
            case 0x5C:
                guard let escaped = peek else { throw Failure(message: "unterminated escape sequence") }
                index += 1
                switch escaped {
                case 0x5C: out.append(0x5C)
                case 0x22: out.append(0x22)
                case 0x6E: out.append(0x0A)
                default: throw Failure(message: "invalid escape sequence \"\\\(String(UnicodeScalar(escaped)))\"")
                }
            default: out.append(byte)
            }
        }
        throw Failure(message: "unterminated quoted string")
    }

    /// The next run of non-blank bytes.
    mutating func word() -> Substring {
        let start = index
        while let byte = peek, byte != 0x20, byte != 0x09 { index += 1 }
        return Substring(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    /// The rest of the line.
    mutating func rest() -> String {
        defer { index = bytes.endIndex }
        return String(decoding: bytes[index...], as: UTF8.self)
    }

    struct Failure: Error { var message: String }
}
