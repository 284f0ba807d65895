import KansokuModel

/// An immutable, Gorilla-compressed run of float samples of one series.
///
/// The layout is that of Prometheus's XOR chunk (`tsdb/chunkenc/xor.go`), so
/// either side decodes the other's bytes. (The appender sometimes opens a
/// narrower value window where Prometheus would reuse a wide one, so the
/// bytes can differ, and are then smaller.)
///
/// - 2 bytes: the sample count, big-endian.
/// - Sample 0: the timestamp as a zigzag varint, then the value's 64 raw bits.
/// - Sample 1: the timestamp delta as an unsigned varint, then the value as
///   an XOR against the previous one (below).
/// - Later samples: the delta of the timestamp delta ("dod") in a bucket —
///   `0` for 0; `10` + 14 bits; `110` + 17 bits; `1110` + 20 bits;
///   `1111` + 64 bits (an `n`-bit bucket holds `-(2^(n-1) - 1)...2^(n-1)`) —
///   then the value XOR.
/// - Value XOR against the previous value's bits: `0` if equal; `10` + the
///   significant bits, when they fit inside the previous window of leading
///   and trailing zeros; `11` + 5 bits of leading zeros (at most 31) + 6 bits
///   of significant-bit count (64 written as 0) + the significant bits.
///
/// Bits run most significant first; the last byte is zero-padded.
/// Timestamps are milliseconds and strictly increase within a chunk.
/// Build chunks with `XORChunkAppender`; read them with `makeIterator()`.
public struct XORChunk: Sendable, Hashable {
    /// The encoded chunk, header included.
    public let bytes: [UInt8]

    /// Size of the sample-count header, in bytes.
    static let headerByteCount = 2

    /// The most samples one chunk can hold (the header is 16 bits).
    public static let maxSampleCount = Int(UInt16.max)

    /// A chunk with no samples.
    public init() {
        bytes = [0, 0]
    }

    /// Wraps encoded bytes (as `bytes` of another chunk, or read from disk).
    ///
    /// Only the header is checked here; damage further in surfaces as an
    /// error from the iterator, sample by sample.
    public init(bytes: [UInt8]) throws(XORChunkError) {
        guard bytes.count >= Self.headerByteCount else {
            throw .missingHeader(byteCount: bytes.count)
        }
        self.bytes = bytes
    }

    /// For bytes the appender produced, which always carry a header.
    init(uncheckedBytes bytes: [UInt8]) {
        assert(bytes.count >= Self.headerByteCount)
        self.bytes = bytes
    }

    /// Number of samples, as the header states.
    public var count: Int {
        Int(bytes[0]) &<< 8 | Int(bytes[1])
    }

    /// Whether the chunk holds no samples.
    public var isEmpty: Bool { count == 0 }

    /// Timestamp of the first sample, read without decoding the rest;
    /// `nil` if the chunk is empty or its first timestamp is unreadable.
    public var minTime: Int64? {
        guard count > 0 else { return nil }
        var reader = BitStreamReader(bytes, bitOffset: Self.headerByteCount * 8)
        guard let timestamp = reader.readVarint(), !reader.overran else { return nil }
        return timestamp
    }

    /// An iterator over the samples, oldest first.
    public func makeIterator() -> XORChunkIterator {
        XORChunkIterator(self)
    }

    /// Every sample, oldest first.
    ///
    /// - Throws: the first decoding error; no partial result.
    public func decodeAll() throws(XORChunkError) -> [Sample] {
        var samples: [Sample] = []
        // Every sample takes at least 2 bits, so a damaged header cannot
        // make this reserve much more than the bytes could hold.
        samples.reserveCapacity(Swift.min(count, bytes.count &* 4))
        try append(into: &samples, start: .min, end: .max)
        return samples
    }

    /// Appends the samples in `[start, end]` to `samples`, oldest first,
    /// stopping at the first one after `end`.
    ///
    /// - Throws: the first decoding error; samples before it stay appended.
    public func append(into samples: inout [Sample], start: Int64, end: Int64) throws(XORChunkError) {
        var iterator = makeIterator()
        while let sample = try iterator.next() {
            if sample.timestamp > end { break }
            if sample.timestamp >= start { samples.append(sample) }
        }
    }
}
