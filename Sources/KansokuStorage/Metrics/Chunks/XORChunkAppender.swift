import KansokuModel

/// Encodes float samples into an `XORChunk`, one at a time.
///
/// This is the hot path of metric ingest: an append is a handful of integer
/// operations and a bit write, with no allocation beyond the amortized growth
/// of the byte buffer.
///
/// Timestamps must strictly increase from one append to the next; the
/// appender checks this with a precondition and does not reorder.
public struct XORChunkAppender: Sendable {
    private var writer: BitStreamWriter
    /// Number of samples appended.
    public private(set) var count: Int = 0
    /// Timestamp of the first sample; meaningful only when `count > 0`.
    public private(set) var minTime: Int64 = 0
    /// Timestamp of the last sample; meaningful only when `count > 0`.
    public private(set) var maxTime: Int64 = 0

    private var lastValueBits: UInt64 = 0
    /// Previous timestamp delta, as the wrapping difference of two timestamps.
    private var lastDelta: UInt64 = 0
    /// Leading and trailing zeros of the current value window;
    /// `leading == Self.noWindow` until the first XOR window is written.
    private var leading: Int = Self.noWindow
    private var trailing: Int = 0

    private static let noWindow = 0xFF

    /// An appender for a new, empty chunk.
    public init() {
        writer = BitStreamWriter(reservingCapacity: 128)
        // Placeholder for the count header; `chunk` fills it in.
        writer.writeBits(0, count: XORChunk.headerByteCount * 8)
    }

    /// Whether another sample fits (a chunk holds at most
    /// `XORChunk.maxSampleCount`).
    public var isFull: Bool { count >= XORChunk.maxSampleCount }

    /// Adds one sample.
    ///
    /// - Precondition: `timestamp` is greater than the previous sample's, and
    ///   the chunk is not full.
    public mutating func append(timestamp: Int64, value: Double) {
        let bits = value.bitPattern
        if count >= 2 {
            precondition(timestamp > maxTime, "XORChunkAppender: timestamps must strictly increase")
            precondition(count < XORChunk.maxSampleCount, "XORChunkAppender: chunk is full")
            // Wrapping arithmetic: only the decoder's matching wrap matters, so
            // timestamps spanning more than Int64.max still round-trip.
            let delta = UInt64(bitPattern: timestamp &- maxTime)
            writeDeltaOfDelta(Int64(bitPattern: delta &- lastDelta))
            writeValue(bits)
            lastDelta = delta
        } else if count == 1 {
            precondition(timestamp > maxTime, "XORChunkAppender: timestamps must strictly increase")
            let delta = UInt64(bitPattern: timestamp &- maxTime)
            writer.writeUVarint(delta)
            writeValue(bits)
            lastDelta = delta
        } else {
            writer.writeVarint(timestamp)
            writer.writeBits(bits, count: 64)
            minTime = timestamp
        }
        maxTime = timestamp
        lastValueBits = bits
        count &+= 1
    }

    /// Adds one sample.
    public mutating func append(_ sample: Sample) {
        append(timestamp: sample.timestamp, value: sample.value)
    }

    /// What has been appended so far, as a chunk of its own.
    ///
    /// Costs one copy of the encoded bytes (a few hundred for a typical
    /// chunk); the appender can go on appending afterwards.
    public var chunk: XORChunk {
        var bytes = writer.bytes()
        bytes[0] = UInt8(truncatingIfNeeded: count &>> 8)
        bytes[1] = UInt8(truncatingIfNeeded: count)
        return XORChunk(uncheckedBytes: bytes)
    }

    /// Size in bytes that `chunk` would have.
    public var byteCount: Int { (writer.bitCount &+ 7) &>> 3 }

    // MARK: - Encoding

    /// Whether `value` fits an `n`-bit dod bucket, whose range is
    /// `-(2^(n-1) - 1)...2^(n-1)` (Prometheus's convention).
    @inline(__always)
    private static func fits(_ value: Int64, bits: Int64) -> Bool {
        let half: Int64 = 1 &<< (bits &- 1)
        return value >= 1 &- half && value <= half
    }

    @inline(__always)
    private mutating func writeDeltaOfDelta(_ dod: Int64) {
        let raw = UInt64(bitPattern: dod)
        // Prefix and payload go out in one write.
        if dod == 0 {
            writer.writeBits(0, count: 1)
        } else if Self.fits(dod, bits: 14) {
            writer.writeBits(0b10 &<< 14 | (raw & 0x3FFF), count: 16)
        } else if Self.fits(dod, bits: 17) {
            writer.writeBits(0b110 &<< 17 | (raw & 0x1_FFFF), count: 20)
        } else if Self.fits(dod, bits: 20) {
            writer.writeBits(0b1110 &<< 20 | (raw & 0xF_FFFF), count: 24)
        } else {
            writer.writeBits(0b1111, count: 4)
            writer.writeBits(raw, count: 64)
        }
    }

    @inline(__always)
    private mutating func writeValue(_ bits: UInt64) {
        let xor = bits ^ lastValueBits
        if xor == 0 {
            writer.writeBits(0, count: 1)
            return
        }
        // 5 bits hold the leading-zero count; 31 is the most it can say.
        let newLeading = Swift.min(xor.leadingZeroBitCount, 31)
        let newTrailing = xor.trailingZeroBitCount
        let newSignificant = 64 &- newLeading &- newTrailing
        if leading != Self.noWindow, newLeading >= leading, newTrailing >= trailing {
            let significant = 64 &- leading &- trailing
            // Reusing the window saves the 11-bit header, but a much narrower
            // fresh window can still be cheaper; the decoder accepts either.
            if significant <= newSignificant &+ 11 {
                writeSignificantBits(xor &>> UInt64(trailing), count: significant, control: 0b10)
                return
            }
        }
        leading = newLeading
        trailing = newTrailing
        let header = 0b11 &<< 11 | UInt64(newLeading) &<< 6 | UInt64(newSignificant & 63)
        writer.writeBits(header, count: 13)
        writer.writeBits(xor &>> UInt64(newTrailing), count: newSignificant)
    }

    /// Writes a 2-bit control code and the significant bits, in one write when
    /// they fit.
    @inline(__always)
    private mutating func writeSignificantBits(_ value: UInt64, count: Int, control: UInt64) {
        if count <= 62 {
            writer.writeBits(control &<< UInt64(count) | value, count: count &+ 2)
        } else {
            writer.writeBits(control, count: 2)
            writer.writeBits(value, count: count)
        }
    }
}
