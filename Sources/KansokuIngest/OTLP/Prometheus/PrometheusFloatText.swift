import KansokuModel

/// Float-to-text conversions that must match what Prometheus's (Go) OTLP
/// translator writes, because the text becomes part of a series identity
/// (`le="0.005"`, `quantile="0.99"`) or a label value.
enum PrometheusFloatText {
    /// A float as JSON (and ES6, and Go's `encoding/json`) writes it: fixed
    /// notation unless the magnitude is below 1e-6 or at least 1e21, then
    /// `1e-7`/`1.5e+21`; NaN and infinities as `NaN`, `Infinity`, `-Infinity`
    /// as OpenTelemetry's attribute-to-string rules ask.
    static func json(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        let magnitude = abs(value)
        if magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e21) {
            if value == 0 { return "0" }
            return GoFloatFormat.fixed(value)
        }
        let d = decimal(value)
        var text = d.negative ? "-" : ""
        text.append(Character(Unicode.Scalar(d.digits[0])))
        if d.digits.count > 1 {
            text += "."
            text += String(decoding: d.digits[1...], as: UTF8.self)
        }
        let exponent = d.point - 1
        text += exponent < 0 ? "e-" : "e+"
        text += String(abs(exponent))
        return text
    }

    /// Significant digits (no leading or trailing zeros, empty for zero) and
    /// where the decimal point goes: value = 0.DIGITS × 10^point.
    private static func decimal(_ value: Double) -> (negative: Bool, digits: [UInt8], point: Int) {
        // Swift's description already holds the shortest round-tripping digits;
        // only the layout differs ("1e-05", "0.005", "1.5e+20").
        let text = value.description.utf8
        var negative = false
        var digits: [UInt8] = []
        var point = 0
        var seenPoint = false
        var exponent = 0
        var iterator = text.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "."): seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                var sign = 1
                var magnitude = 0
                while let e = iterator.next() {
                    if e == UInt8(ascii: "-") { sign = -1 } else if e >= 0x30 && e <= 0x39 { magnitude = magnitude * 10 + Int(e - 0x30) }
                }
                exponent = sign * magnitude
            default:
                digits.append(byte)
                if !seenPoint { point += 1 }
            }
        }
        point += exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { point = 0 }
        return (negative, digits, point)
    }
}
