import KansokuModel

/// Attribute values as label text, following OpenTelemetry's "AnyValue
/// representation for non-OTLP protocols": strings as-is, booleans and numbers
/// as JSON, bytes as base64, empty as "", arrays and maps as JSON.
enum OTLPAttributeText {
    /// The label value for `value`.
    static func string(_ value: AttributeValue) -> String {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return PrometheusFloatText.json(d)
        case .bytes(let bytes): return base64(bytes)
        case .empty: return ""
        case .array, .keyValueList:
            var out = ""
            appendJSON(value, to: &out)
            return out
        }
    }

    /// A value as an element of a JSON array or map.
    private static func appendJSON(_ value: AttributeValue, to out: inout String) {
        switch value {
        case .string(let s): appendQuoted(s, to: &out)
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            // Inside JSON, the special values must be strings to stay valid JSON.
            if d.isFinite { out += PrometheusFloatText.json(d) } else { appendQuoted(PrometheusFloatText.json(d), to: &out) }
        case .bytes(let bytes): appendQuoted(base64(bytes), to: &out)
        case .empty: out += "null"
        case .array(let values):
            out += "["
            for (i, v) in values.enumerated() {
                if i > 0 { out += "," }
                appendJSON(v, to: &out)
            }
            out += "]"
        case .keyValueList(let attributes):
            out += "{"
            for (i, attribute) in attributes.enumerated() {
                if i > 0 { out += "," }
                appendQuoted(attribute.key, to: &out)
                out += ":"
                appendJSON(attribute.value, to: &out)
            }
            out += "}"
        }
    }

    private static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard base64 with padding (RFC 4648 §4).
    static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            out.append(base64Alphabet[Int(triple >> 18 & 63)])
            out.append(base64Alphabet[Int(triple >> 12 & 63)])
            out.append(i + 1 < bytes.count ? base64Alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? base64Alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
