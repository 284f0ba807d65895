import KansokuModel

/// Reads the `tags` parameter of a Jaeger trace search: a JSON object of tag
/// names to values, such as `{"http.status_code":"500","error":"true"}`
/// (what Jaeger UI and Grafana send).
///
/// Values should be strings, as Jaeger requires; numbers, `true`, `false` and
/// `null` are also taken, as their JSON text, since every value is compared
/// as text anyway. Nested objects and arrays are refused.
enum JaegerTagFilter {
    /// The tags `text` holds; nil when it is not a flat JSON object.
    static func parse(_ text: String) -> [String: String]? {
        var reader = Reader(bytes: Array(text.utf8))
        return reader.object()
    }

    /// Reads one tag of the older `tag=key:value` form: the key is what
    /// precedes the first colon. Nil when there is no colon or the key is empty.
    static func parsePair(_ text: String) -> (key: String, value: String)? {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// A cursor over JSON text.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func object() -> [String: String]? {
            var result: [String: String] = [:]
            skipSpace()
            guard consume(UInt8(ascii: "{")) else { return nil }
            skipSpace()
            if !consume(UInt8(ascii: "}")) {
                repeat {
                    skipSpace()
                    guard let key = string() else { return nil }
                    skipSpace()
                    guard consume(UInt8(ascii: ":")) else { return nil }
                    skipSpace()
                    guard let value = scalar() else { return nil }
                    result[key] = value
                    skipSpace()
                } while consume(UInt8(ascii: ","))
                guard consume(UInt8(ascii: "}")) else { return nil }
            }
            skipSpace()
            return index == bytes.count ? result : nil
        }

        /// A string, or the text of a number, `true`, `false` or `null`.
        private mutating func scalar() -> String? {
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") { return string() }
            let start = index
            while index < bytes.count, isLiteralByte(bytes[index]) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if text == "true" || text == "false" || text == "null" { return text }
            return Double(text) != nil && text.first != "+" && text.first != "." ? text : nil
        }

        private func isLiteralByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "E"): true
            default: false
            }
        }

        private mutating func string() -> String? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            var scalars = String.UnicodeScalarView()
            var utf8: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll(keepingCapacity: true)
            }
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard let escaped = escape() else { return nil }
                    scalars.append(escaped)
                case 0..<0x20:
                    return nil
                default:
                    utf8.append(byte)
                }
            }
            return nil
        }

        /// The character after a backslash; `\uXXXX` may be a surrogate pair.
        private mutating func escape() -> Unicode.Scalar? {
            guard index < bytes.count else { return nil }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                guard let unit = hex4() else { return nil }
                if (0xD800..<0xDC00).contains(unit) {
                    guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")), let low = hex4(),
                          (0xDC00..<0xE000).contains(low) else { return nil }
                    return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                }
                return Unicode.Scalar(unit)
            default: return nil
            }
        }

        private mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[index..<index + 4] {
                guard let digit = Hex.value(of: byte) else { return nil }
                value = value << 4 | UInt32(digit)
            }
            index += 4
            return value
        }

        private mutating func consume(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func skipSpace() {
            while index < bytes.count,
                  [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[index]) {
                index += 1
            }
        }
    }
}
