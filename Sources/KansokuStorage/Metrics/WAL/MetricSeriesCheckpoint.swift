#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KansokuModel

/// The series definitions (and family metadata) the metrics WAL still needs
/// after old segments are deleted: written atomically before the store
/// removes segments, read before the remaining records on replay.
/// Prometheus's checkpoint without samples (those before the cut are in blocks).
///
/// ```text
/// file := magic:"KMSC" version:u8 nextID:uvar count (id:uvar labels)* metadata crc:u32
///         (labels and metadata as in `MetricWALRecord`; crc: CRC-32C of everything before it, little-endian)
/// ```
enum MetricSeriesCheckpoint {
    struct Contents: Sendable {
        /// The id the next new series gets, so ids stay unique even once no
        /// record or definition holds the largest one used.
        var nextWALID: UInt64
        var series: [MetricWALRecord.Definition]
        var metadata: [MetricFamilyMetadata]
    }

    static let magic: [UInt8] = Array("KMSC".utf8)
    static let version: UInt8 = 1

    static func encode(_ contents: Contents) -> [UInt8] {
        let series = contents.series
        var writer = WALWriter(reservingCapacity: 16 + series.count * 100 + contents.metadata.count * 64)
        for byte in magic { writer.writeByte(byte) }
        writer.writeByte(version)
        writer.writeVarUInt(contents.nextWALID)
        writer.writeCount(series.count)
        for definition in series {
            writer.writeVarUInt(definition.walID)
            MetricWALRecord.write(definition.labels, to: &writer)
        }
        MetricWALRecord.write(contents.metadata, to: &writer)
        var bytes = writer.bytes
        let crc = CRC32C.checksum(bytes)
        withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    static func decode(_ bytes: [UInt8]) throws(WALDecodingError) -> Contents {
        let headerSize = magic.count + 1
        guard bytes.count >= headerSize + 3 + 4 else {
            throw WALDecodingError(.truncated(needed: headerSize + 7, available: bytes.count), at: 0)
        }
        guard Array(bytes[0..<magic.count]) == magic else {
            throw WALDecodingError(.invalidTag(field: "checkpoint magic", value: UInt64(bytes[0])), at: 0)
        }
        let body = Array(bytes[0..<bytes.count - 4])
        let stored = bytes[bytes.count - 4..<bytes.count].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let computed = CRC32C.checksum(body)
        guard stored == computed else {
            throw WALDecodingError(.invalidTag(field: "checkpoint checksum", value: UInt64(stored)), at: body.count)
        }
        var reader = WALReader(body)
        for _ in 0..<magic.count { _ = try reader.readByte() }
        let version = try reader.readByte()
        guard version == self.version else {
            throw reader.failure(.unsupportedVersion(found: version, supported: self.version), at: magic.count)
        }
        let nextWALID = try reader.readVarUInt()
        let series = try reader.readArray(minimumElementSize: 2) { r throws(WALDecodingError) in
            MetricWALRecord.Definition(walID: try r.readVarUInt(), labels: try MetricWALRecord.readLabels(&r))
        }
        let metadata = try MetricWALRecord.readMetadata(&reader)
        guard reader.isAtEnd else { throw reader.failure(.trailingBytes(count: reader.remaining)) }
        return Contents(nextWALID: nextWALID, series: series, metadata: metadata)
    }

    /// Writes `series` to `path` so that a crash leaves either the old file
    /// or the new one: a temporary file, synced, renamed over, directory synced.
    static func write(_ contents: Contents, to path: String) throws {
        let bytes = encode(contents)
        let temporary = path + ".tmp"
        let fd = try POSIXFile.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
        do {
            try bytes.withUnsafeBytes { try POSIXFile.pwriteAll(fd, $0, at: 0, path: temporary) }
            try POSIXFile.sync(fd, path: temporary)
        } catch {
            POSIXFile.close(fd)
            try? POSIXFile.unlinkIfPresent(temporary)
            throw error
        }
        POSIXFile.close(fd)
        if rename(temporary, path) != 0 { throw WALError.io(operation: "rename", path: path, errno: errno) }
        try POSIXFile.syncDirectory(parent(of: path))
    }

    /// The checkpoint at `path`, nil when there is none.
    static func read(from path: String) throws -> Contents? {
        let fd: Int32
        do {
            fd = try POSIXFile.open(path, flags: O_RDONLY)
        } catch WALError.io(_, _, let code) where code == ENOENT {
            return nil
        }
        defer { POSIXFile.close(fd) }
        let size = try POSIXFile.size(fd, path: path)
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var done = 0
        while done < bytes.count {
            let n = try bytes.withUnsafeMutableBytes { buffer in
                try POSIXFile.pread(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: UInt64(done), path: path)
            }
            if n == 0 { break }
            done += n
        }
        do {
            return try decode(Array(bytes[0..<done]))
        } catch {
            throw MetricCheckpointError(path: path, cause: error)
        }
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

/// The metrics series checkpoint exists but cannot be read: replaying without
/// it would lose every series defined in deleted WAL segments, so opening fails.
public struct MetricCheckpointError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let cause: WALDecodingError

    public var description: String { "corrupt metrics series checkpoint \(path): \(cause)" }
}
