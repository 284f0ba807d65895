import KansokuModel

/// An immutable run of native histogram samples of one series: the
/// histogram counterpart of ``XORChunk``.
///
/// ```text
/// chunk := count:u16be (Δt:svar histogram)*     Δt of the first sample is its timestamp
/// ```
///
/// `histogram` is the WAL's histogram encoding (`NativeHistogram+WAL`).
/// Unlike Prometheus's histogram chunk, buckets are not XOR-encoded against
/// the previous sample: blocks compress frames with zstd, which removes most
/// of the repetition; a Gorilla-style encoding is a possible later step.
/// Timestamps strictly increase within a chunk.
public struct HistogramChunk: Sendable, Hashable {
    /// The encoded chunk, header included.
    public let bytes: [UInt8]

    /// Samples in the chunk (the header).
    public var count: Int { Int(bytes[0]) << 8 | Int(bytes[1]) }

    /// Wraps encoded bytes (read from disk); only the header is checked here.
    public init(bytes: [UInt8]) throws(WALDecodingError) {
        guard bytes.count >= 2 else { throw WALDecodingError(.truncated(needed: 2, available: bytes.count), at: 0) }
        self.bytes = bytes
    }

    /// Encodes `samples` (strictly increasing timestamps, at most 65,535).
    public init(_ samples: some Collection<HistogramSample>) {
        precondition(samples.count <= Int(UInt16.max), "a histogram chunk holds at most 65535 samples")
        var writer = WALWriter(reservingCapacity: 2 + samples.count * 64)
        writer.writeByte(UInt8(samples.count >> 8))
        writer.writeByte(UInt8(samples.count & 0xff))
        var previous: Int64 = 0
        for sample in samples {
            writer.writeVarInt(sample.timestamp &- previous)
            previous = sample.timestamp
            sample.histogram.write(to: &writer)
        }
        bytes = writer.bytes
    }

    /// Every sample, oldest first; throws on damage.
    public func decodeAll() throws(WALDecodingError) -> [HistogramSample] {
        var reader = WALReader(bytes)
        try reader.skip(2)
        var out: [HistogramSample] = []
        out.reserveCapacity(count)
        var previous: Int64 = 0
        for _ in 0..<count {
            let timestamp = previous &+ (try reader.readVarInt())
            if !out.isEmpty && timestamp <= previous {
                throw reader.failure(.valueOutOfRange(value: UInt64(bitPattern: timestamp), maximum: UInt64(bitPattern: previous)))
            }
            previous = timestamp
            out.append(HistogramSample(timestamp: timestamp, histogram: try NativeHistogram(from: &reader)))
        }
        guard reader.isAtEnd else { throw reader.failure(.trailingBytes(count: reader.remaining)) }
        return out
    }
}
