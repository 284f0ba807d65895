/// A minimal JSON document model for the `json` and `unpack` parsers
/// (no Foundation dependency). Numbers keep their source text so labels
/// show them exactly as written, like Loki.
indirect enum LogQLJSONValue: Equatable {
    case object([(String, LogQLJSONValue)])
    case array([LogQLJSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    static func == (lhs: Self, rhs: Self) -> Bool { lhs.raw == rhs.raw }

    /// Parses a whole document; `nil` if it is not valid JSON.
    static func parse(_ text: String) -> LogQLJSONValue? {
        var text = text
        return text.withUTF8 { utf8 in
            var reader = Reader(bytes: utf8)
            guard let value = reader.value() else { return nil }
            reader.skip()
            return reader.index == reader.bytes.count ? value : nil
        }
    }

    /// The value as a label: strings unquoted, other scalars as written,
    /// objects and arrays as compact JSON.
    var labelValue: String {
        if case .string(let s) = self { return s }
        if case .null = self { return "" }
        return raw
    }

    /// Compact JSON text.
    var raw: String {
        switch self {
        case .object(let members):
            return "{" + members.map { LogQLJSONValue.quote($0.0) + ":" + $0.1.raw }.joined(separator: ",") + "}"
        case .array(let items): return "[" + items.map(\.raw).joined(separator: ",") + "]"
        case .string(let s): return LogQLJSONValue.quote(s)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A byte cursor over a JSON text (the flattening `| json` parser extends
    /// it), read in place: only within the text's `withUTF8`.
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func skip() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func literal(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else { return false }
            index += w.count
            return true
        }

        mutating func value() -> LogQLJSONValue? {
            skip()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(String, LogQLJSONValue)] = []
                skip()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skip()
                    guard let key = string() else { return nil }
                    skip()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index += 1
                    guard let v = value() else { return nil }
                    members.append((key, v))
                    skip()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                    return nil
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [LogQLJSONValue] = []
                skip()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    guard let v = value() else { return nil }
                    items.append(v)
                    skip()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                    return nil
                }
            case UInt8(ascii: "\""): return string().map { .string($0) }
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default:
                guard let range = number() else { return nil }
                return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
            }
        }

        /// Steps over the number at the cursor and returns its range: the
        /// longest run of ``isNumberByte(_:)`` bytes, which must read as a
        /// `Double` (``isDecimal(_:)``); nil otherwise.
        mutating func number() -> Range<Int>? {
            let start = index
            while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
            guard Self.isDecimal(UnsafeBufferPointer(rebasing: bytes[start..<index])) else { return nil }
            return start..<index
        }

        /// Whether `text`, made of ``isNumberByte(_:)`` bytes, reads as a
        /// `Double` the way `Double(String)` reads it: an optional sign,
        /// digits with at most one point and at least one digit, then
        /// optionally `e`/`E`, a sign and at least one digit. Checked on the
        /// bytes, so that a number nobody keeps costs no string and no `strtod`.
        static func isDecimal(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
            var i = 0
            let n = text.count
            func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
            func isSign(_ b: UInt8) -> Bool { b == UInt8(ascii: "+") || b == UInt8(ascii: "-") }
            if i < n, isSign(text[i]) { i += 1 }
            var digits = 0
            while i < n, isDigit(text[i]) { i += 1; digits += 1 }
            if i < n, text[i] == UInt8(ascii: ".") {
                i += 1
                while i < n, isDigit(text[i]) { i += 1; digits += 1 }
            }
            guard digits > 0 else { return false }
            if i < n, text[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                if i < n, isSign(text[i]) { i += 1 }
                let exponentStart = i
                while i < n, isDigit(text[i]) { i += 1 }
                guard i > exponentStart else { return false }
            }
            return i == n
        }

        /// `+-0123456789.eE`
        static func isNumberByte(_ b: UInt8) -> Bool {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"): true
            default: false
            }
        }

        mutating func string() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            // Most strings have no escapes: take them straight from the input.
            var end = index
            while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") { end += 1 }
            if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
                defer { index = end + 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
            }
            var out: [UInt8] = Array(bytes[index..<end])
            index = end
            while index < bytes.count {
                let b = bytes[index]
                index += 1
                if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard b == UInt8(ascii: "\\") else { out.append(b); continue }
                guard index < bytes.count else { return nil }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count,
                          var code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
                    else { return nil }
                    index += 4
                    if (0xD800..<0xDC00).contains(code), index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
                       let low = UInt32(String(decoding: bytes[index + 2..<index + 6], as: UTF8.self), radix: 16) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                    out.append(contentsOf: Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
                default: out.append(e)
                }
            }
            return nil
        }
    }
}
