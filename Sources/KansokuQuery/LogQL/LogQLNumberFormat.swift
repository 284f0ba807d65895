/// Number formatting for the canonical printer.
enum LogQLNumberFormat {
    /// Formats like Go's `strconv.FormatFloat(v, 'f', -1, 64)` for the common
    /// cases: integral values without a trailing `.0`, others in shortest form.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}
