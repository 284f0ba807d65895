/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that read
/// back to the same double, never in exponent form, and `NaN`, `+Inf`,
/// `-Inf`. How Prometheus and Loki print sample values and number literals,
/// and how the OTLP translator writes `le` and `quantile`, so one
/// implementation serves ingest, query and API.
public enum GoFloatFormat {
    public static func fixed(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        // Whole numbers (counters, bucket bounds) need no digit handling.
        if value == value.rounded(), value.magnitude < 1e15, value != 0 || value.sign == .plus { return String(Int64(value)) }
        // Swift prints the shortest round-tripping digits; only the layout differs from Go's.
        // Work on bytes: this runs for every value of every response.
        let shortest = Array(value.description.utf8)
        guard let e = shortest.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else {
            if shortest.count > 2, shortest[shortest.count - 2] == UInt8(ascii: "."), shortest.last == UInt8(ascii: "0") {
                return String(decoding: shortest.dropLast(2), as: UTF8.self)
            }
            return String(decoding: shortest, as: UTF8.self)
        }
        let exponent = Int(String(decoding: shortest[(e + 1)...], as: UTF8.self))!
        var mantissa = shortest[..<e]
        let negative = mantissa.first == UInt8(ascii: "-")
        if negative { mantissa = mantissa.dropFirst() }
        var digits = mantissa.filter { $0 != UInt8(ascii: ".") }
        // The mantissa has one digit before the point; shift it by the exponent.
        let pointAt = 1 + exponent
        while digits.count > 1, digits.last == UInt8(ascii: "0"), digits.count > pointAt { digits.removeLast() }
        var text: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        if pointAt <= 0 {
            text += Array("0.".utf8) + Array(repeating: UInt8(ascii: "0"), count: -pointAt) + digits
        } else if pointAt >= digits.count {
            text += digits + Array(repeating: UInt8(ascii: "0"), count: pointAt - digits.count)
        } else {
            text += digits.prefix(pointAt) + [UInt8(ascii: ".")] + digits.dropFirst(pointAt)
        }
        return String(decoding: text, as: UTF8.self)
    }
}
