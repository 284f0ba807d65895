/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that read
/// back to the same double, never in exponent form, and `NaN`, `+Inf`,
/// `-Inf`. How Prometheus and Loki print sample values and number literals,
/// and how the OTLP translator writes `le` and `quantile`, so one
/// implementation serves ingest, query and API.
public enum GoFloatFormat {
    public static func fixed(_ value: Double) -> String {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``fixed(_:)`` appended to `bytes`, without building a `String`: API
    /// responses write every sample value this way.
    public static func append(_ value: Double, to bytes: inout [UInt8]) {
        if value.isNaN { return bytes.append(contentsOf: [0x4E, 0x61, 0x4E]) }  // NaN
        if value.isInfinite { return bytes.append(contentsOf: value > 0 ? [0x2B, 0x49, 0x6E, 0x66] : [0x2D, 0x49, 0x6E, 0x66]) }
        // Whole numbers (counters, bucket bounds) need no digit handling.
        if value == value.rounded(), value.magnitude < 1e15, value != 0 || value.sign == .plus {
            return appendDecimal(Int64(value), to: &bytes)
        }
        // Swift prints the shortest round-tripping digits; only the layout differs from Go's.
        let shortest = Array(value.description.utf8)
        guard let e = shortest.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else {
            if shortest.count > 2, shortest[shortest.count - 2] == UInt8(ascii: "."), shortest.last == UInt8(ascii: "0") {
                return bytes.append(contentsOf: shortest.dropLast(2))
            }
            return bytes.append(contentsOf: shortest)
        }
        let exponent = Int(String(decoding: shortest[(e + 1)...], as: UTF8.self))!
        var mantissa = shortest[..<e]
        let negative = mantissa.first == UInt8(ascii: "-")
        if negative { mantissa = mantissa.dropFirst() }
        var digits = mantissa.filter { $0 != UInt8(ascii: ".") }
        // The mantissa has one digit before the point; shift it by the exponent.
        let pointAt = 1 + exponent
        while digits.count > 1, digits.last == UInt8(ascii: "0"), digits.count > pointAt { digits.removeLast() }
        if negative { bytes.append(UInt8(ascii: "-")) }
        if pointAt <= 0 {
            bytes += Array("0.".utf8) + Array(repeating: UInt8(ascii: "0"), count: -pointAt) + digits
        } else if pointAt >= digits.count {
            bytes += digits + Array(repeating: UInt8(ascii: "0"), count: pointAt - digits.count)
        } else {
            bytes += digits.prefix(pointAt) + [UInt8(ascii: ".")] + digits.dropFirst(pointAt)
        }
    }

    /// `value` in decimal digits, without a `String`.
    public static func appendDecimal(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits, no allocation
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[i]) }
        }
    }
}
