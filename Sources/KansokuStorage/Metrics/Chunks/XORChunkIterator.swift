import KansokuModel

/// Decodes the samples of an `XORChunk`, oldest first.
///
/// Each sample depends on the one before, so the iterator only moves forward.
/// Once it throws, every later call throws the same error.
public struct XORChunkIterator: Sendable {
    private var reader: BitStreamReader
    private let total: Int
    /// Samples decoded so far.
    private var index = 0
    private var timestamp: Int64 = 0
    private var valueBits: UInt64 = 0
    private var delta: UInt64 = 0
    /// The current value window; Prometheus starts from an empty one, so a
    /// reuse before any window means all 64 bits.
    private var leading = 0
    private var trailing = 0
    private var failure: XORChunkError?

    init(_ chunk: XORChunk) {
        reader = BitStreamReader(chunk.bytes, bitOffset: XORChunk.headerByteCount * 8)
        total = chunk.count
    }

    /// The sample most recently returned by `next()` or `seek(to:)`.
    public var current: Sample? {
        index > 0 && failure == nil
            ? Sample(timestamp: timestamp, value: Double(bitPattern: valueBits)) : nil
    }

    /// The next sample, or `nil` after the last.
    ///
    /// - Throws: `XORChunkError` if the bytes are truncated or malformed.
    public mutating func next() throws(XORChunkError) -> Sample? {
        if let failure { throw failure }
        guard index < total else { return nil }
        let previous = timestamp
        if index >= 2 {
            readDeltaOfDelta()
            timestamp = timestamp &+ Int64(bitPattern: delta)
            try readValue()
        } else if index == 1 {
            guard let firstDelta = reader.readUVarint() else {
                return try fail(reader.overran ? truncated() : .malformedVarint(sampleIndex: index))
            }
            delta = firstDelta
            timestamp = timestamp &+ Int64(bitPattern: delta)
            try readValue()
        } else {
            guard let first = reader.readVarint() else {
                return try fail(reader.overran ? truncated() : .malformedVarint(sampleIndex: index))
            }
            timestamp = first
            valueBits = reader.readBits(64)
        }
        if reader.overran { return try fail(truncated()) }
        if index > 0, timestamp <= previous {
            return try fail(.timestampNotIncreasing(sampleIndex: index, timestamp: timestamp, previous: previous))
        }
        index &+= 1
        return Sample(timestamp: timestamp, value: Double(bitPattern: valueBits))
    }

    /// Advances to the first sample with a timestamp at or after `target` and
    /// returns it, or `nil` if there is none.
    ///
    /// Like Prometheus's `Seek`, if the sample last returned already has a
    /// timestamp at or after `target`, returns it again without advancing;
    /// otherwise the returned sample is consumed, as by `next()`.
    public mutating func seek(to target: Int64) throws(XORChunkError) -> Sample? {
        if let failure { throw failure }
        if index > 0, timestamp >= target {
            return Sample(timestamp: timestamp, value: Double(bitPattern: valueBits))
        }
        while let sample = try next() {
            if sample.timestamp >= target { return sample }
        }
        return nil
    }

    // MARK: - Decoding

    private func truncated() -> XORChunkError {
        .truncated(sampleIndex: index, declaredCount: total)
    }

    private mutating func fail(_ error: XORChunkError) throws(XORChunkError) -> Sample? {
        failure = error
        throw error
    }

    /// Sign-extends an `n`-bit dod bucket payload; payloads above `2^(n-1)`
    /// are negative (the bucket range is `-(2^(n-1) - 1)...2^(n-1)`).
    @inline(__always)
    private static func bucketValue(_ raw: UInt64, bits: UInt64) -> Int64 {
        let value = Int64(bitPattern: raw)
        return raw > 1 &<< (bits &- 1) ? value &- (1 &<< bits) : value
    }

    @inline(__always)
    private mutating func readDeltaOfDelta() {
        // The longest prefix is 4 bits; one peek decides the bucket.
        let prefix = reader.peekBits(4)
        let dod: Int64
        if prefix < 0b1000 {
            reader.skipBits(1)
            dod = 0
        } else if prefix < 0b1100 {
            let raw = reader.peekBits(16) & 0x3FFF
            reader.skipBits(16)
            dod = Self.bucketValue(raw, bits: 14)
        } else if prefix < 0b1110 {
            let raw = reader.peekBits(20) & 0x1_FFFF
            reader.skipBits(20)
            dod = Self.bucketValue(raw, bits: 17)
        } else if prefix == 0b1110 {
            let raw = reader.peekBits(24) & 0xF_FFFF
            reader.skipBits(24)
            dod = Self.bucketValue(raw, bits: 20)
        } else {
            reader.skipBits(4)
            dod = Int64(bitPattern: reader.readBits(64))
        }
        delta = delta &+ UInt64(bitPattern: dod)
    }

    @inline(__always)
    private mutating func readValue() throws(XORChunkError) {
        let control = reader.peekBits(2)
        if control < 0b10 {
            reader.skipBits(1)  // same value as before
            return
        }
        reader.skipBits(2)
        if control == 0b11 {
            let header = reader.readBits(11)
            let newLeading = Int(header &>> 6)
            var significant = Int(header & 63)
            if significant == 0 { significant = 64 }
            guard newLeading &+ significant <= 64 else {
                // Zeros read past the end decode as a valid width, so this is damage.
                let error = reader.overran ? truncated() : XORChunkError.invalidValueWidth(
                    sampleIndex: index, leadingZeros: newLeading, significantBits: significant)
                failure = error
                throw error
            }
            leading = newLeading
            trailing = 64 &- newLeading &- significant
        }
        let significant = 64 &- leading &- trailing
        valueBits ^= reader.readBits(significant) &<< UInt64(trailing)
    }
}
