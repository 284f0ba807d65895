/// Unescaping and quoting of PromQL string literals.
///
/// PromQL follows Go's rules: `"..."` and `'...'` understand the escapes
/// `\a \b \f \n \r \t \v \\`, the enclosing quote, octal `\NNN`, `\xNN`,
/// `\uNNNN` and `\UNNNNNNNN`; backtick strings are raw.
public enum PromQLStringLiteral {
    /// A failure to unescape; the lexer turns it into a positioned error.
    struct UnquoteError: Error {
        var message: String
    }

    /// Removes the quotes from `literal` and resolves escapes.
    static func unquote(_ literal: Substring) throws(UnquoteError) -> String {
        let scalars = Array(literal.unicodeScalars)
        guard let quote = scalars.first, scalars.count >= 2, scalars.last == quote else {
            throw UnquoteError(message: "unterminated quoted string")
        }
        let body = scalars[1..<(scalars.count - 1)]
        if quote == "`" {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: body)
            return String(s)
        }
        var out = String.UnicodeScalarView()
        // Bytes from \x and octal escapes may form multi-byte UTF-8 together.
        var pendingBytes: [UInt8] = []
        func flush() {
            guard !pendingBytes.isEmpty else { return }
            out.append(contentsOf: String(decoding: pendingBytes, as: UTF8.self).unicodeScalars)
            pendingBytes.removeAll()
        }
        var i = body.startIndex
        while i < body.endIndex {
            let c = body[i]
            i += 1
            guard c == "\\" else {
                flush()
                out.append(c)
                continue
            }
            guard i < body.endIndex else { throw UnquoteError(message: "escape sequence not terminated") }
            let e = body[i]
            i += 1
            func hex(_ count: Int) throws(UnquoteError) -> UInt32 {
                var value: UInt32 = 0
                for _ in 0..<count {
                    guard i < body.endIndex else { throw UnquoteError(message: "escape sequence not terminated") }
                    guard let digit = hexValue(body[i]) else {
                        throw UnquoteError(message: "illegal character \(goRune(body[i])) in escape sequence")
                    }
                    value = value * 16 + digit
                    i += 1
                }
                return value
            }
            switch e {
            case "a": flush(); out.append("\u{07}")
            case "b": flush(); out.append("\u{08}")
            case "f": flush(); out.append("\u{0C}")
            case "n": flush(); out.append("\n")
            case "r": flush(); out.append("\r")
            case "t": flush(); out.append("\t")
            case "v": flush(); out.append("\u{0B}")
            case "\\": flush(); out.append("\\")
            case quote: flush(); out.append(quote)
            case "x":
                pendingBytes.append(UInt8(try hex(2)))
            case "u", "U":
                flush()
                let value = try hex(e == "u" ? 4 : 8)
                guard let scalar = Unicode.Scalar(value) else {
                    throw UnquoteError(message: "escape sequence is an invalid Unicode code point")
                }
                out.append(scalar)
            case "0"..."7":
                var value = UInt32(e.value - 48)
                for _ in 0..<2 {
                    guard i < body.endIndex else { throw UnquoteError(message: "escape sequence not terminated") }
                    guard ("0"..."7").contains(body[i]) else {
                        throw UnquoteError(message: "illegal character \(goRune(body[i])) in escape sequence")
                    }
                    value = value * 8 + (body[i].value - 48)
                    i += 1
                }
                guard value <= 255 else { throw UnquoteError(message: "escape sequence is an invalid Unicode code point") }
                pendingBytes.append(UInt8(value))
            default:
                throw UnquoteError(message: "unknown escape sequence \(goRune(e))")
            }
        }
        flush()
        return String(out)
    }

    private static func hexValue(_ s: Unicode.Scalar) -> UInt32? {
        switch s {
        case "0"..."9": return s.value - 48
        case "a"..."f": return s.value - 87
        case "A"..."F": return s.value - 55
        default: return nil
        }
    }

    /// Go's `%#U`: `U+0063 'c'`.
    private static func goRune(_ s: Unicode.Scalar) -> String {
        "U+\(hex4(s.value)) '\(s)'"
    }

    private static func hex4(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Quotes `value` as Go's `%q` does, which is how Prometheus prints
    /// string literals and label values back.
    public static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + String(repeating: "0", count: scalar.value < 16 ? 1 : 0) + String(scalar.value, radix: 16)
                } else if scalar == "\u{FFFD}" || !isPrintable(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    out += scalar.value <= 0xFFFF
                        ? "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                        : "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Approximates Go's `strconv.IsPrint` with Unicode general categories.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
            return false
        case .spaceSeparator:
            return scalar == " "
        default:
            return true
        }
    }
}
