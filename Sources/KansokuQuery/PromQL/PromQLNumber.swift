import KansokuModel

/// Parsing and Go-compatible formatting of PromQL float literals.
public enum PromQLNumber {
    /// Parses a number token the way Prometheus does: first as a Go integer
    /// literal (so `0x1f` is 31 and a leading `0` means octal, e.g. `010` is 8),
    /// then as a float (`1.5`, `.5`, `1e3`), plus `Inf`/`NaN` in any casing.
    /// Underscore digit separators are rejected.
    public static func parse(_ text: some StringProtocol) -> Double? {
        let s = String(text)
        let lower = s.lowercased()
        switch lower {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard !s.contains("_") else { return nil }
        if lower.hasPrefix("0x") {
            return UInt64(lower.dropFirst(2), radix: 16).map { Double($0) }
        }
        if s.count > 1, s.hasPrefix("0"), s.allSatisfy({ ("0"..."7").contains($0) }) {
            return UInt64(s.dropFirst(), radix: 8).map { Double($0) }
        }
        // Swift's Double(String) also accepts forms PromQL does not (hex
        // floats, "infinity"); the lexer only hands over decimal forms.
        return Double(s)
    }

    /// Formats `value` like Go's `strconv.FormatFloat(v, 'f', -1, 64)`, which
    /// is how Prometheus prints number literals: shortest round-trip digits,
    /// never an exponent (`1e6` prints as `1000000`), `+Inf`, `-Inf`, `NaN`.
    public static func format(_ value: Double) -> String { GoFloatFormat.fixed(value) }

    /// Formats `value` like Go's `%v` (`strconv.FormatFloat(v, 'g', -1, 64)`),
    /// used upstream for `fill(...)` values: exponent form when the decimal
    /// exponent is < -4 or >= 6 (`1e+06`).
    public static func formatShortest(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let (digits, point) = shortestDigits(value.magnitude)
        let sign = value < 0 ? "-" : ""
        let exp = point - 1
        guard exp < -4 || exp >= 6 else { return sign + positional(digits, point) }
        var mantissa = String(digits.first!)
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let expDigits = String(exp.magnitude)
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (expDigits.count < 2 ? "0" : "") + expDigits
    }

    /// Places the decimal point `point` digits into `digits` (0.d1d2... x 10^point).
    private static func positional(_ digits: String, _ point: Int) -> String {
        if point <= 0 { return "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return digits + String(repeating: "0", count: point - digits.count) }
        let index = digits.index(digits.startIndex, offsetBy: point)
        return digits[..<index] + "." + digits[index...]
    }

    /// Shortest round-trip decimal digits of a positive finite value and the
    /// decimal point position, derived from Swift's (also shortest) description.
    private static func shortestDigits(_ value: Double) -> (String, Int) {
        var text = "\(value)"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        let fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = integerPart + fractionPart
        var point = integerPart.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }
}
