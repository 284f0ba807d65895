#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// File access of `MetricBlockReader`: locating the footer, reading sections and frames.
extension MetricBlockReader {
    /// Reads exactly `count` bytes at `offset`; a short read means the file
    /// ends before the section does.
    static func readExactly(fd: Int32, count: Int, at offset: UInt64, path: String,
                            section: String) throws(MetricBlockError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        do {
            while done < count {
                let n = try bytes.withUnsafeMutableBytes { buffer in
                    try POSIXFile.pread(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]),
                                        at: offset + UInt64(done), path: path)
                }
                if n == 0 { throw MetricBlockError.truncated(path: path, section: section, offset: offset) }
                done += n
            }
        } catch {
            throw MetricBlockError.from(error, path: path)
        }
        return bytes
    }

    /// Validates header and trailer and parses the footer. An intact header
    /// with a damaged trailer is reported as truncation.
    static func readFooter(fd: Int32, size: UInt64, path: String) throws(MetricBlockError) -> MetricBlockFooter {
        let headerSize = UInt64(MetricBlockFormat.headerSize), trailerSize = UInt64(MetricBlockFormat.trailerSize)
        guard size >= headerSize else { throw .truncated(path: path, section: "header", offset: 0) }
        let header = try readExactly(fd: fd, count: MetricBlockFormat.headerSize, at: 0, path: path, section: "header")
        guard uint32(header, 0) == MetricBlockFormat.magic else { throw .badMagic(path: path) }
        let version = uint32(header, 4)
        guard MetricBlockFormat.readableVersions.contains(version) else {
            throw .unsupportedVersion(path: path, found: version, supported: MetricBlockFormat.version)
        }
        guard size >= headerSize + trailerSize else { throw .truncated(path: path, section: "trailer", offset: headerSize) }
        let trailerOffset = size - trailerSize
        let trailer = try readExactly(fd: fd, count: MetricBlockFormat.trailerSize, at: trailerOffset, path: path, section: "trailer")
        guard uint32(trailer, 12) == MetricBlockFormat.magic else { throw .truncated(path: path, section: "trailer", offset: trailerOffset) }
        guard uint32(trailer, 8) == version else {
            throw .unsupportedVersion(path: path, found: uint32(trailer, 8), supported: MetricBlockFormat.version)
        }
        let footerLength = UInt64(uint32(trailer, 0))
        guard footerLength <= trailerOffset - headerSize else { throw .truncated(path: path, section: "footer", offset: trailerOffset) }
        let footerOffset = trailerOffset - footerLength
        let bytes = try readExactly(fd: fd, count: Int(footerLength), at: footerOffset, path: path, section: "footer")
        let crc = CRC32C.checksum(bytes)
        guard crc == uint32(trailer, 4) else {
            throw .checksumMismatch(path: path, section: "footer", offset: footerOffset, expected: uint32(trailer, 4), actual: crc)
        }
        var footer = try MetricBlockFooter(decoding: bytes, dataEnd: footerOffset, path: path)
        footer.formatVersion = version
        return footer
    }

    /// Reads an index section, checks its CRC-32C and expands it.
    static func read(_ kind: MetricBlockSectionKind, footer: MetricBlockFooter, fd: Int32,
                     path: String) throws(MetricBlockError) -> [UInt8] {
        let entry = footer.sections[kind]!  // the footer decoder requires every kind
        return try readChecked(fd: fd, offset: entry.offset, stored: entry.storedLength, raw: entry.rawLength,
                               codec: entry.codec, crc: entry.crc, path: path, section: kind.name)
    }

    /// Reads chunk frame `index` and expands it.
    func readFrame(_ index: Int) throws(MetricBlockError) -> [UInt8] {
        let f = frames[index]
        return try Self.readChecked(fd: fd, offset: f.offset, stored: f.storedLength, raw: f.rawLength,
                                    codec: f.codec, crc: f.crc, path: path, section: "chunk frame \(index)")
    }

    private static func readChecked(fd: Int32, offset: UInt64, stored: Int, raw: Int, codec: MetricBlockCodec, crc: UInt32,
                                    path: String, section: String) throws(MetricBlockError) -> [UInt8] {
        let bytes = try readExactly(fd: fd, count: stored, at: offset, path: path, section: section)
        let actual = CRC32C.checksum(bytes)
        guard actual == crc else {
            throw .checksumMismatch(path: path, section: section, offset: offset, expected: crc, actual: actual)
        }
        switch codec {
        case .raw: return bytes
        case .zstd: return try MetricBlockZstd.decompress(bytes, expectedSize: raw, path: path, section: section, offset: offset)
        }
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }
}
