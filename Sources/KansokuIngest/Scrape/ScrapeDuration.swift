/// A duration as Prometheus configuration writes it: `1h30m`, `15s`,
/// `500ms`, `1d`, `1w`, `1y` (units in descending order, integers only).
public struct ScrapeDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func seconds(_ seconds: Int64) -> ScrapeDuration { .init(milliseconds: seconds * 1000) }

    /// Why a duration could not be read.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var text: String
        public var description: String { "not a valid duration string: \"\(text)\"" }
    }

    private static let units: [(String, Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// Parses Prometheus's duration syntax; `0` alone is allowed.
    public init(parsing text: String) throws(ParseError) {
        if text == "0" { milliseconds = 0; return }
        var rest = Substring(text)
        var total: Int64 = 0
        var lastUnit = -1
        guard !rest.isEmpty else { throw ParseError(text: text) }
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let number = Int64(digits) else { throw ParseError(text: text) }
            rest = rest.dropFirst(digits.count)
            // "ms" must be tried before "m".
            let unitIndex: Int? = rest.hasPrefix("ms") ? 6 : Self.units.firstIndex { rest.hasPrefix($0.0) }
            guard let unitIndex, unitIndex > lastUnit else { throw ParseError(text: text) }
            lastUnit = unitIndex
            rest = rest.dropFirst(Self.units[unitIndex].0.count)
            let (product, overflow) = number.multipliedReportingOverflow(by: Self.units[unitIndex].1)
            guard !overflow else { throw ParseError(text: text) }
            total += product
        }
        milliseconds = total
    }

    /// Formats as Prometheus does (`1m`, `1h30m`, `15s`, `0s`).
    public var description: String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var text = ""
        for (unit, size) in Self.units {
            // Prometheus skips years/weeks unless they divide exactly.
            if (unit == "y" || unit == "w") && rest % size != 0 { continue }
            if rest >= size {
                text += "\(rest / size)\(unit)"
                rest %= size
            }
        }
        return text
    }

    /// As a Swift `Duration`.
    public var duration: Duration { .milliseconds(milliseconds) }

    public static func < (a: ScrapeDuration, b: ScrapeDuration) -> Bool { a.milliseconds < b.milliseconds }
}
