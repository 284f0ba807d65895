#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// File access of `TraceBlockReader`: locating the footer and reading sections.
extension TraceBlockReader {
    /// Reads exactly `count` bytes at `offset`; a short read means the file
    /// ends before the section does.
    static func readExactly(fd: Int32, count: Int, at offset: UInt64, path: String, section: String) throws(TraceBlockError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        do {
            while done < count {
                let n = try bytes.withUnsafeMutableBytes { buffer in
                    try POSIXFile.pread(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]),
                                        at: offset + UInt64(done), path: path)
                }
                if n == 0 { throw TraceBlockError.truncated(path: path, section: section) }
                done += n
            }
        } catch {
            throw TraceBlockError.from(error, path: path)
        }
        return bytes
    }

    /// Validates header and trailer and parses the footer. A file whose
    /// header is intact but whose trailer is not was cut short (or its end
    /// damaged), which is reported as truncation rather than as a foreign file.
    static func readFooter(fd: Int32, path: String) throws(TraceBlockError) -> TraceBlockFooter {
        let size: UInt64
        do { size = try POSIXFile.size(fd, path: path) } catch { throw TraceBlockError.from(error, path: path) }
        let minimum = UInt64(TraceBlockFormat.headerSize + TraceBlockFormat.trailerSize)
        guard size >= UInt64(TraceBlockFormat.headerSize) else { throw .truncated(path: path, section: "header") }
        let header = try readExactly(fd: fd, count: TraceBlockFormat.headerSize, at: 0, path: path, section: "header")
        guard uint32(header, 0) == TraceBlockFormat.magic else { throw .badMagic(path: path) }
        guard uint32(header, 4) == TraceBlockFormat.version else {
            throw .unsupportedVersion(path: path, found: uint32(header, 4), supported: TraceBlockFormat.version)
        }
        guard size >= minimum else { throw .truncated(path: path, section: "trailer") }
        let trailerOffset = size - UInt64(TraceBlockFormat.trailerSize)
        let trailer = try readExactly(fd: fd, count: TraceBlockFormat.trailerSize, at: trailerOffset, path: path, section: "trailer")
        guard uint32(trailer, 12) == TraceBlockFormat.magic else { throw .truncated(path: path, section: "trailer") }
        guard uint32(trailer, 8) == TraceBlockFormat.version else {
            throw .unsupportedVersion(path: path, found: uint32(trailer, 8), supported: TraceBlockFormat.version)
        }
        let footerLength = UInt64(uint32(trailer, 0))
        guard footerLength <= trailerOffset - UInt64(TraceBlockFormat.headerSize) else { throw .truncated(path: path, section: "footer") }
        let footerOffset = trailerOffset - footerLength
        let bytes = try readExactly(fd: fd, count: Int(footerLength), at: footerOffset, path: path, section: "footer")
        let crc = CRC32C.checksum(bytes)
        guard crc == uint32(trailer, 4) else {
            throw .checksumMismatch(path: path, section: "footer", expected: uint32(trailer, 4), actual: crc)
        }
        return try TraceBlockFooter(decoding: bytes, dataEnd: footerOffset, path: path)
    }

    /// Reads a section, checks its CRC-32C and expands it.
    static func read(_ kind: TraceBlockSectionKind, group: Int = 0, footer: TraceBlockFooter,
                     fd: Int32, path: String) throws(TraceBlockError) -> [UInt8] {
        let label = kind.label(group: group)
        guard let entry = footer.sections[.init(kind: kind, group: group)] else {
            throw .malformed(path: path, section: label, detail: "missing from the footer")
        }
        let stored = try readExactly(fd: fd, count: entry.storedLength, at: entry.offset, path: path, section: label)
        let crc = CRC32C.checksum(stored)
        guard crc == entry.crc else { throw .checksumMismatch(path: path, section: label, expected: entry.crc, actual: crc) }
        switch entry.codec {
        case .raw: return stored
        case .zstd: return try TraceBlockZstd.decompress(stored, expectedSize: entry.rawLength, path: path, section: label)
        }
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }
}
