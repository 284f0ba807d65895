/// A PromQL duration with millisecond resolution (Prometheus's `model.Duration`).
///
/// Negative values are allowed because `offset -5m` is valid PromQL.
public struct PromQLDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in milliseconds.
    public var milliseconds: Int64

    /// Creates a duration of `milliseconds`.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Creates a duration from (possibly fractional) seconds, rounding to milliseconds.
    public init(seconds: Double) { milliseconds = Int64((seconds * 1000).rounded()) }

    /// The length in seconds.
    public var seconds: Double { Double(milliseconds) / 1000 }

    public static func < (lhs: PromQLDuration, rhs: PromQLDuration) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// Units from largest to smallest; a year is 365 days and a week 7 days, as in Prometheus.
    static let units: [(name: String, milliseconds: Int64)] = [
        ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// Parses a duration literal such as `1h30m`, `100ms` or `1y`.
    ///
    /// Units must appear from largest to smallest and at most once, exactly as
    /// Prometheus's `model.ParseDuration` requires; `0` alone is accepted.
    /// Returns `nil` for anything else.
    public init?(parsing text: some StringProtocol) {
        guard case .success(let duration) = PromQLDuration.parse(String(text)) else { return nil }
        self = duration
    }

    /// Parses like ``init(parsing:)`` but explains failures with upstream's
    /// wording (`unknown unit "hs" in duration "5y1hs"`, ...).
    static func parse(_ text: String) -> Result<PromQLDuration, PromQLDurationSyntaxError> {
        if text == "0" { return .success(PromQLDuration(milliseconds: 0)) }
        if text.isEmpty { return .failure(PromQLDurationSyntaxError(message: "empty duration string")) }
        let invalid = PromQLDurationSyntaxError(message: "not a valid duration string: \(PromQLStringLiteral.quote(text))")
        let bytes = Array(text.utf8)
        var i = 0
        var total: Int64 = 0
        var lastUnit = -1
        while i < bytes.count {
            var number: Int64 = 0
            let digitsStart = i
            while i < bytes.count, PromQLLexer.isDigit(bytes[i]) {
                let (m, o1) = number.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(bytes[i] - 48))
                guard !o1 && !o2 else { return .failure(invalid) }
                number = a
                i += 1
            }
            guard i > digitsStart else { return .failure(invalid) }
            let unitStart = i
            while i < bytes.count, !PromQLLexer.isDigit(bytes[i]) { i += 1 }
            guard i > unitStart else { return .failure(invalid) }
            let unitName = String(decoding: bytes[unitStart..<i], as: UTF8.self)
            guard let unitIndex = PromQLDuration.units.firstIndex(where: { $0.name == unitName }) else {
                return .failure(PromQLDurationSyntaxError(
                    message: "unknown unit \(PromQLStringLiteral.quote(unitName)) in duration \(PromQLStringLiteral.quote(text))"))
            }
            guard unitIndex > lastUnit else { return .failure(invalid) }
            lastUnit = unitIndex
            let outOfRange = PromQLDurationSyntaxError(message: "duration out of range")
            let (product, o1) = number.multipliedReportingOverflow(by: PromQLDuration.units[unitIndex].milliseconds)
            let (sum, o2) = total.addingReportingOverflow(product)
            // Upstream counts nanoseconds in an int64, so about 292 years is the limit.
            guard !o1 && !o2, sum <= Int64.max / 1_000_000 else { return .failure(outOfRange) }
            total = sum
        }
        return .success(PromQLDuration(milliseconds: total))
    }

    /// Canonical form, like `model.Duration.String()`: `1h30m`, `1w`, `0s`,
    /// with a leading `-` for negative durations.
    public var description: String {
        if milliseconds == 0 { return "0s" }
        var remaining = milliseconds.magnitude
        var out = milliseconds < 0 ? "-" : ""
        for unit in PromQLDuration.units {
            let size = UInt64(unit.milliseconds)
            if remaining >= size {
                out += "\(remaining / size)\(unit.name)"
                remaining %= size
            }
        }
        return out
    }
}

/// Why a duration literal was rejected.
struct PromQLDurationSyntaxError: Error {
    var message: String
}
