/// Why a record frame was not accepted when reading a segment.
public enum WALDamage: Sendable, Hashable, CustomStringConvertible {
    /// Fewer than the 8 header bytes are left before the end of the file:
    /// typically a write torn by a crash.
    case truncatedHeader(availableBytes: Int)
    /// The header's length field runs past the end of the file: a torn write,
    /// or a garbage length field.
    case lengthPastEnd(length: UInt32, availableBytes: UInt64)
    /// The length field is zero. Appends never write empty payloads, so this is
    /// a zero-filled tail (a file extended by the filesystem but never written),
    /// whose all-zero "header" would otherwise pass as an empty record with a valid CRC.
    case zeroLength
    /// The payload's CRC-32C differs from the one stored in the header.
    case checksumMismatch(stored: UInt32, computed: UInt32)

    public var description: String {
        switch self {
        case .truncatedHeader(let available):
            return "record header cut short (\(available) of 8 bytes)"
        case .lengthPastEnd(let length, let available):
            return "length \(length) runs past end of file (\(available) bytes left)"
        case .zeroLength:
            return "zero length field (zero-filled tail)"
        case .checksumMismatch(let stored, let computed):
            return "CRC32C mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16)))"
        }
    }
}
