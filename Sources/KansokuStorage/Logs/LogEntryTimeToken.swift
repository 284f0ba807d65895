/// A line's spelling of its own entry's timestamp, which a version-4 chunk
/// keeps as a two-byte marker instead of its digits.
///
/// Structured loggers write the time into the line (`"ts":1750000000123456789`),
/// and shippers take the entry's timestamp from that field, so the line spells
/// a number its entry already holds. Its low digits are random to zstd: on
/// the logs benchmark a JSON line's 19-digit `ts` cost about 7 stored bytes.
/// A token of only decimal digits whose value is the entry's time in
/// seconds, milliseconds, microseconds or nanoseconds (10, 13, 16 or 19
/// digits, which every time from 2001-09-09 to 2286-11-20 has) is replaced by
/// `0xFE` and `0x80 | digits`; the reader writes the digits back from the
/// entry's time.
enum LogEntryTimeToken {
    /// The token lengths that may spell the entry's time.
    @inline(__always)
    static func mayMatch(length: Int) -> Bool { length == 19 || length == 16 || length == 13 || length == 10 }

    /// The marker's second byte for a token of `bytes[range]`, all decimal
    /// digits, when it spells `time` truncated to its first `range.count`
    /// digits; nil otherwise.
    static func marker(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, time: UInt64) -> UInt8? {
        guard spellable(time), mayMatch(length: range.count),
              value(ofDigits: UnsafeBufferPointer(rebasing: bytes[range])) == spelled(time, digits: range.count) else { return nil }
        return 0x80 | UInt8(range.count)
    }

    /// How many digits a marker's second byte stands for; nil when the byte is not a time marker.
    @inline(__always)
    static func digits(ofMarker n: UInt8) -> Int? {
        n & 0x80 != 0 && mayMatch(length: Int(n & 0x7F)) ? Int(n & 0x7F) : nil
    }

    /// Whether `time` has 19 digits, so that its prefixes are the 10-, 13-
    /// and 16-digit spellings of the coarser units.
    @inline(__always)
    static func spellable(_ time: UInt64) -> Bool {
        time >= 1_000_000_000_000_000_000 && time < 10_000_000_000_000_000_000
    }

    /// The number that `time` (``spellable(_:)``) is in the unit of a
    /// `digits`-digit token: its first `digits` decimal digits.
    @inline(__always)
    static func spelled(_ time: UInt64, digits: Int) -> UInt64 { time / divisor(digits: digits) }

    /// The entry times whose time token `token` would be: those that
    /// `token` spells in its unit, when it is 10, 13, 16 or 19 decimal
    /// digits without a leading zero; nil otherwise.
    static func entryTimes(spelledBy token: UnsafeBufferPointer<UInt8>) -> ClosedRange<UInt64>? {
        guard mayMatch(length: token.count), token[0] != 0x30, token.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let start = value(ofDigits: token) * divisor(digits: token.count)
        return start...(start + (divisor(digits: token.count) - 1))
    }

    /// The value of up to 19 decimal digits.
    @inline(__always)
    private static func value(ofDigits digits: UnsafeBufferPointer<UInt8>) -> UInt64 {
        digits.reduce(0) { $0 &* 10 &+ UInt64($1 &- 0x30) }
    }

    private static func divisor(digits: Int) -> UInt64 {
        switch digits {
        case 10: 1_000_000_000
        case 13: 1_000_000
        case 16: 1_000
        default: 1
        }
    }
}
