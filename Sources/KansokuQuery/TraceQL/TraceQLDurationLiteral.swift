/// Parsing of Go-style duration literals (`10ns`, `500us`, `1.5s`, `1h30m`),
/// which is what Tempo accepts for `duration` and `traceDuration`.
enum TraceQLDurationLiteral {
    /// Nanoseconds per unit, longest units first so `ms` wins over `m`.
    private static let units: [(String, Double)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// The nanoseconds `text` spells, or nil when it is not a duration
    /// (a bare number without unit is not one).
    static func nanoseconds(_ text: String) -> Int64? {
        var rest = Substring(text)
        var total = 0.0
        var sawComponent = false
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            // "m" must not swallow the start of "ms"; the longest-first table
            // already handles it, but "mx" must still fail here.
            rest = rest.dropFirst(unit.count)
            total += value * scale
            sawComponent = true
        }
        guard sawComponent, total < Double(Int64.max) else { return nil }
        return Int64(total.rounded())
    }

    /// A compact canonical spelling of `nanos` (`1500ms` → `1.5s`).
    static func format(_ nanos: Int64) -> String {
        let table: [(String, Int64)] = [
            ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000),
            ("ms", 1_000_000), ("us", 1_000), ("ns", 1),
        ]
        if nanos == 0 { return "0s" }
        for (unit, scale) in table where nanos.magnitude >= UInt64(scale) {
            if nanos % scale == 0 { return "\(nanos / scale)\(unit)" }
            if scale > 1 && unit != "h" && unit != "m" {
                return "\(Double(nanos) / Double(scale))\(unit)"
            }
        }
        return "\(nanos)ns"
    }
}
