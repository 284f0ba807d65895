/// Sample values as Prometheus writes them in API responses: Go's
/// `strconv.FormatFloat(v, 'f', -1, 64)` — the shortest digits that read back
/// to the same double, never in exponent form — and `NaN`, `+Inf`, `-Inf`.
enum PrometheusFloatFormat {
    static func string(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        let shortest = "\(value)"  // Swift prints the shortest round-tripping digits
        guard let e = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return shortest.hasSuffix(".0") ? String(shortest.dropLast(2)) : shortest
        }
        let exponent = Int(shortest[shortest.index(after: e)...])!
        var mantissa = String(shortest[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
        // The mantissa has one digit before the point; shift it by the exponent.
        let pointAt = 1 + exponent
        while digits.count > 1, digits.hasSuffix("0"), digits.count > pointAt { digits.removeLast() }
        let text: String
        if pointAt <= 0 {
            text = "0." + String(repeating: "0", count: -pointAt) + digits
        } else if pointAt >= digits.count {
            text = digits + String(repeating: "0", count: pointAt - digits.count)
        } else {
            text = String(digits.prefix(pointAt)) + "." + String(digits.dropFirst(pointAt))
        }
        return negative ? "-" + text : text
    }
}
