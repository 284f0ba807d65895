/// Quoting and unquoting of LogQL string literals.
///
/// LogQL strings are Go string literals: double-quoted with Go escapes, or
/// back-quoted raw strings with no escapes at all.
enum LogQLStringLiteral {
    /// Decodes the body of a double-quoted string (without the quotes).
    /// Returns the offending escape text when an escape is invalid.
    static func unescape(_ body: [Unicode.Scalar]) -> Result<String, UnescapeFailure> {
        var out = String.UnicodeScalarView()
        var index = 0
        while index < body.count {
            let scalar = body[index]
            guard scalar == "\\" else {
                out.append(scalar)
                index += 1
                continue
            }
            guard index + 1 < body.count else { return .failure(UnescapeFailure(offset: index)) }
            let escape = body[index + 1]
            index += 2
            switch escape {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "\\": out.append("\\")
            case "\"": out.append("\"")
            case "'": out.append("'")
            case "x", "u", "U":
                let width = escape == "x" ? 2 : (escape == "u" ? 4 : 8)
                guard index + width <= body.count,
                      let code = UInt32(String(String.UnicodeScalarView(body[index..<index + width])), radix: 16),
                      let decoded = Unicode.Scalar(code)
                else { return .failure(UnescapeFailure(offset: index - 2)) }
                out.append(decoded)
                index += width
            case "0"..."7":
                guard index + 2 <= body.count,
                      let code = UInt32(String(String.UnicodeScalarView(body[index - 1..<index + 2])), radix: 8),
                      code <= 255, let decoded = Unicode.Scalar(code)
                else { return .failure(UnescapeFailure(offset: index - 2)) }
                out.append(decoded)
                index += 2
            default:
                return .failure(UnescapeFailure(offset: index - 2))
            }
        }
        return .success(String(out))
    }

    /// Where an invalid escape sequence starts inside the string body.
    struct UnescapeFailure: Error {
        var offset: Int
    }

    /// Renders `value` as a double-quoted LogQL string that unescapes back to
    /// exactly `value` (what the canonical printer emits).
    static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
