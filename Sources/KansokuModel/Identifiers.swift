/// A 16-byte W3C trace id, stored as two big-endian halves so it is cheap to
/// compare, hash and sort.
public struct TraceID: Sendable, Hashable, Comparable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The all-zero id, which OTLP treats as "no trace".
    public static let zero = TraceID(high: 0, low: 0)
    public var isZero: Bool { high == 0 && low == 0 }

    /// Builds an id from exactly 16 bytes; nil for any other length.
    @inlinable
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 16 else { return nil }
        self.init(high: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
                  low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    /// Builds an id from exactly 16 bytes; nil for any other length.
    @inlinable
    public init?(bytes: [UInt8]) {
        guard let id = bytes.withUnsafeBytes({ TraceID(bytes: $0) }) else { return nil }
        self = id
    }

    /// Parses 32 hex digits (either case); nil otherwise.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 32,
              let high = UInt64(strictHex: hex.prefix(16)),
              let low = UInt64(strictHex: hex.suffix(16)) else { return nil }
        self.init(high: high, low: low)
    }

    public var bytes: [UInt8] { high.bigEndianBytes + low.bigEndianBytes }
    public var hex: String { high.paddedHex + low.paddedHex }

    public static func < (a: TraceID, b: TraceID) -> Bool {
        (a.high, a.low) < (b.high, b.low)
    }
}

/// An 8-byte span id.
public struct SpanID: Sendable, Hashable, Comparable {
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public static let zero = SpanID(0)
    public var isZero: Bool { value == 0 }

    /// Builds an id from exactly 8 bytes; nil for any other length.
    @inlinable
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 8 else { return nil }
        self.init(UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)))
    }

    /// Builds an id from exactly 8 bytes; nil for any other length.
    @inlinable
    public init?(bytes: [UInt8]) {
        guard let id = bytes.withUnsafeBytes({ SpanID(bytes: $0) }) else { return nil }
        self = id
    }

    /// Parses 16 hex digits (either case); nil otherwise.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 16, let v = UInt64(strictHex: hex) else { return nil }
        self.init(v)
    }

    public var bytes: [UInt8] { value.bigEndianBytes }
    public var hex: String { value.paddedHex }

    public static func < (a: SpanID, b: SpanID) -> Bool { a.value < b.value }
}

extension UInt64 {
    /// Hex digits only (at most 16): `UInt64(_:radix:)` alone would also take a leading sign.
    fileprivate init?(strictHex text: some StringProtocol) {
        var value: UInt64 = 0
        for c in text.utf8 {
            guard let digit = Hex.value(of: c) else { return nil }
            value = value << 4 | UInt64(digit)
        }
        self = value
    }

    fileprivate var bigEndianBytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: self >> (56 - 8 * $0)) }
    }

    fileprivate var paddedHex: String {
        let digits = String(self, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
