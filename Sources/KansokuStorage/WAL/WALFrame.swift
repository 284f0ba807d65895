/// The on-disk frame of one record: little-endian `u32` payload length,
/// little-endian `u32` CRC-32C of the payload, then the payload.
///
/// Segments carry no file header: a record's position alone tells where its
/// frame starts, and a zero-length file is a valid empty segment.
enum WALFrame {
    static let headerSize = 8

    /// Appends the frame for `payload` to `buffer`.
    static func append(_ payload: [UInt8], to buffer: inout [UInt8]) {
        payload.withUnsafeBytes { appendHeader(for: $0, to: &buffer) }
        buffer.append(contentsOf: payload)
    }

    /// Appends only the header of the frame for `payload` to `buffer`, for a
    /// writer that writes the payload from its own storage right after it.
    static func appendHeader(for payload: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        let length = UInt32(payload.count)
        let crc = CRC32C.checksum(payload)
        let header = UInt64(length) | UInt64(crc) << 32  // stored little-endian: length, then CRC
        withUnsafeBytes(of: header.littleEndian) { buffer.append(contentsOf: $0) }
    }

    /// Frame size of a payload of `count` bytes.
    static func size(payloadCount count: Int) -> Int {
        headerSize + count
    }

    /// Reads `(length, crc)` from the 8 header bytes at `offset` in `bytes`.
    static func header(in bytes: UnsafeRawBufferPointer, at offset: Int) -> (length: UInt32, crc: UInt32) {
        let length = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        let crc = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        return (length, crc)
    }
}
