/// A time span as written in LogQL (`5m`, `1h30m`, `250ms`, `1m0s`).
///
/// Stored as nanoseconds so that Go-style (`1m0s`, what Grafana's
/// `$__interval` expands to) and Prometheus-style (`1d`, `2w`) spellings of
/// the same span compare equal.
public struct LogQLDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The span in nanoseconds.
    public var nanoseconds: Int64

    /// Creates a duration from nanoseconds.
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Creates a duration from whole seconds.
    public init(seconds: Int64) { self.nanoseconds = seconds * 1_000_000_000 }

    /// The span in (fractional) seconds.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    // Units accepted by either Prometheus' model.ParseDuration or Go's
    // time.ParseDuration; Loki uses both depending on context.
    private static let units: [(String, Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
        ("d", 86_400_000_000_000), ("w", 604_800_000_000_000), ("y", 31_536_000_000_000_000),
    ]
    private static let unitTable = Dictionary(uniqueKeysWithValues: units)

    /// Parses a duration literal; returns `nil` if `text` is not one.
    public init?(parsing text: String) {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return nil }
        var index = 0
        var total = 0.0
        while index < scalars.count {
            let numberStart = index
            while index < scalars.count, scalars[index].properties.numericType == .decimal
                || scalars[index] == "." { index += 1 }
            guard index > numberStart,
                  let number = Double(String(String.UnicodeScalarView(scalars[numberStart..<index])))
            else { return nil }
            let unitStart = index
            while index < scalars.count, scalars[index].properties.isAlphabetic { index += 1 }
            let unit = String(String.UnicodeScalarView(scalars[unitStart..<index]))
            guard let factor = Self.unitTable[unit] else { return nil }
            total += number * Double(factor)
        }
        guard total < Double(Int64.max) else { return nil }
        self.nanoseconds = Int64(total.rounded())
    }

    /// Canonical spelling: largest units first, Prometheus style (`1h30m`,
    /// `1d`, `250ms`), falling back to `us`/`ns` for sub-millisecond parts.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        var remaining = nanoseconds.magnitude
        var out = nanoseconds < 0 ? "-" : ""
        // Years and weeks are skipped on purpose: `7d` reads better than `1w`
        // in a printed query and both parse back to the same value.
        for (unit, factor) in [("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000),
                               ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000), ("ns", 1)] as [(String, UInt64)] {
            let count = remaining / factor
            if count > 0 {
                out += "\(count)\(unit)"
                remaining -= count * factor
            }
        }
        return out
    }
}
