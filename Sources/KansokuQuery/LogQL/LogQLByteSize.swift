/// A byte quantity as written in LogQL label filters (`1KB`, `1.5MiB`, `20b`).
///
/// Parsing follows `go-humanize`'s `ParseBytes`, which Loki's lexer uses:
/// units are case-insensitive, SI units are powers of 1000 and IEC (`KiB`)
/// units powers of 1024.
public struct LogQLByteSize: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The quantity in bytes.
    public var bytes: UInt64

    /// Creates a size from a byte count.
    public init(bytes: UInt64) { self.bytes = bytes }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.bytes < rhs.bytes }

    private static let units: [String: Double] = {
        var table: [String: Double] = ["b": 1, "": 1]
        let prefixes = ["k", "m", "g", "t", "p", "e"]
        for (power, prefix) in prefixes.enumerated() {
            let si = pow1000(power + 1)
            let iec = pow1024(power + 1)
            table[prefix] = si
            table[prefix + "b"] = si
            table[prefix + "i"] = iec
            table[prefix + "ib"] = iec
        }
        return table
    }()

    private static func pow1000(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 1000 } }
    private static func pow1024(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 1024 } }

    /// Parses `<number><unit>`; returns `nil` when `text` is not a byte size.
    /// A bare number is *not* accepted here: the lexer treats it as a number.
    public init?(parsing text: String) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count, scalars[index].properties.numericType == .decimal || scalars[index] == "." {
            index += 1
        }
        guard index > 0, index < scalars.count,
              let number = Double(String(String.UnicodeScalarView(scalars[0..<index])))
        else { return nil }
        let unit = String(String.UnicodeScalarView(scalars[index...])).lowercased()
        guard !unit.isEmpty, let factor = Self.units[unit] else { return nil }
        let value = number * factor
        guard value < Double(UInt64.max) else { return nil }
        self.bytes = UInt64(value.rounded())
    }

    /// Canonical spelling: the exact byte count with a `B` suffix, which
    /// always parses back to the same value.
    public var description: String { "\(bytes)B" }
}
