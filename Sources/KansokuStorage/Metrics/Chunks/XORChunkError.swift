/// Why an encoded `XORChunk` could not be read.
///
/// Decoding checks every field against the bytes it has, so damaged or foreign
/// input ends in one of these rather than a crash.
public enum XORChunkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Fewer bytes than the 2-byte sample-count header.
    case missingHeader(byteCount: Int)
    /// The bytes ended inside sample `sampleIndex` (0-based) of the
    /// `declaredCount` the header promises.
    case truncated(sampleIndex: Int, declaredCount: Int)
    /// A timestamp varint of sample `sampleIndex` runs past 10 bytes or
    /// overflows 64 bits.
    case malformedVarint(sampleIndex: Int)
    /// The value of sample `sampleIndex` claims more than 64 bits of XOR
    /// (leading zeros plus significant bits).
    case invalidValueWidth(sampleIndex: Int, leadingZeros: Int, significantBits: Int)
    /// Sample `sampleIndex` decodes to a timestamp not after the previous one;
    /// the encoder only writes strictly increasing timestamps.
    case timestampNotIncreasing(sampleIndex: Int, timestamp: Int64, previous: Int64)

    /// One line naming the problem, for logs.
    public var description: String {
        switch self {
        case .missingHeader(let byteCount):
            "XOR chunk of \(byteCount) bytes has no 2-byte header"
        case .truncated(let sampleIndex, let declaredCount):
            "XOR chunk ends inside sample \(sampleIndex) of \(declaredCount)"
        case .malformedVarint(let sampleIndex):
            "XOR chunk sample \(sampleIndex) has a malformed timestamp varint"
        case .invalidValueWidth(let sampleIndex, let leadingZeros, let significantBits):
            "XOR chunk sample \(sampleIndex) has \(leadingZeros) leading zeros and "
                + "\(significantBits) significant bits, more than 64"
        case .timestampNotIncreasing(let sampleIndex, let timestamp, let previous):
            "XOR chunk sample \(sampleIndex) has timestamp \(timestamp), not after \(previous)"
        }
    }
}
