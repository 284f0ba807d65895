/// Parses durations written as Go's `time.ParseDuration` reads them, which is
/// how Jaeger's query API takes `minDuration` and `maxDuration`: a sequence of
/// decimal numbers, each with an optional fraction and a unit — `ns`, `us`
/// (or `µs`/`μs`), `ms`, `s`, `m`, `h` — such as `1.2s`, `100ms`, `1h30m`,
/// or a bare `0`.
///
/// The Jaeger UI's `lookback` values also use days and weeks (`2d`, `1w`);
/// `allowingDays` accepts `d` (24h) and `w` (7d) for those.
enum JaegerDuration {
    /// The duration `text` spells, in nanoseconds; nil when it is not a
    /// duration, is negative, or exceeds `Int64.max` nanoseconds (~292 years).
    static func nanoseconds(_ text: String, allowingDays: Bool = false) -> UInt64? {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "+" { scalars = scalars.dropFirst() }
        if scalars.elementsEqual("0".unicodeScalars) { return 0 }
        guard !scalars.isEmpty else { return nil }
        var total = 0.0
        while !scalars.isEmpty {
            // The number: digits with an optional fraction, at least one digit.
            let number = scalars.prefix { ("0"..."9").contains($0) || $0 == "." }
            guard number.contains(where: { $0 != "." }), number.filter({ $0 == "." }).count <= 1,
                  let value = Double(String(String.UnicodeScalarView(number))) else { return nil }
            scalars = scalars.dropFirst(number.count)
            // The unit: everything up to the next digit or dot.
            let unitText = scalars.prefix { !("0"..."9").contains($0) && $0 != "." }
            guard let unit = unitNanos(String(String.UnicodeScalarView(unitText)), allowingDays: allowingDays) else {
                return nil
            }
            scalars = scalars.dropFirst(unitText.count)
            total += value * unit
        }
        guard total < 9.223_372_036_854_775e18 else { return nil }
        return UInt64(total.rounded())
    }

    private static func unitNanos(_ unit: String, allowingDays: Bool) -> Double? {
        switch unit {
        case "ns": 1
        case "us", "\u{00B5}s", "\u{03BC}s": 1e3
        case "ms": 1e6
        case "s": 1e9
        case "m": 60e9
        case "h": 3_600e9
        case "d" where allowingDays: 86_400e9
        case "w" where allowingDays: 604_800e9
        default: nil
        }
    }
}
