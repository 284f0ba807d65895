#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KansokuModel
import Synchronization

/// Reads one log block file (`docs/log-block-format.md`).
///
/// Opening reads the trailer, footer and streams table (and a version-1
/// block's Bloom filter); the origins table (and version 1's trace index) are
/// read on first use and kept; the chunk filters are read when a query needs
/// them; chunks are
/// read with `pread`, checked and decompressed on every query. Damage of any
/// kind surfaces as a ``LogBlockError`` naming the file and section.
public final class LogBlockReader: Sendable {
    public let path: String
    public let metadata: LogBlockMetadata
    /// The block's streams, sorted by labels; chunks refer to them by index.
    public let streams: [LogStreamLabels]
    /// Every chunk, grouped by stream and in time order within one.
    public var chunks: [LogBlockChunkInfo] { footer.chunks }

    private let fd: Int32
    let footer: LogBlockFooter
    /// Version 1's block-wide token filter.
    private let bloom: BloomFilter?
    private let cache = Mutex(Cache())
    private let chunkReadCount = Atomic<Int>(0)

    private struct Cache: Sendable {
        var origins: [LogBlockOrigin]?
        var traceIndex: LogBlockTraceTable?
    }

    /// A block's token and trace-id index, by format version.
    enum Index {
        case version1(BloomFilter)
        /// Versions 2 and 3.
        case version2(LogChunkFilters)
    }

    /// The block's format version.
    public var version: UInt32 { footer.version }

    /// Chunks decompressed since opening (for tests and metrics).
    public var chunkReads: Int { chunkReadCount.load(ordering: .relaxed) }

    public init(path: String) throws(LogBlockError) {
        let fd: Int32
        do { fd = try POSIXFile.open(path, flags: O_RDONLY) } catch { throw LogBlockError.from(error, path: path) }
        do throws(LogBlockError) {
            let footer = try Self.readFooter(fd: fd, path: path)
            let streams = try Self.decodeStreams(Self.read(.streams, footer: footer, fd: fd, path: path), path: path)
            guard streams.count == footer.metadata.streamCount else {
                throw .malformed(path: path, section: LogBlockSection.streams.name,
                                 detail: "\(streams.count) streams, footer says \(footer.metadata.streamCount)")
            }
            let bloom = footer.version == 1
                ? try Self.bloom(Self.read(.bloom, footer: footer, fd: fd, path: path), path: path) : nil
            self.path = path
            self.fd = fd
            self.footer = footer
            self.metadata = footer.metadata
            self.streams = streams
            self.bloom = bloom
        } catch {
            POSIXFile.close(fd)
            throw error
        }
    }

    deinit { POSIXFile.close(fd) }

    /// Indices of the chunks that may hold an entry of `traceID`, ascending
    /// (version 1: exactly those that do).
    public func chunks(of traceID: TraceID) throws(LogBlockError) -> [Int] {
        switch try chunks(mayHoldTraceID: traceID) {
        case .all: Array(chunks.indices)
        case .chunks(let set): set.sorted()
        }
    }

    /// The block's index. Version 2's chunk filters (about 4 bytes a line)
    /// are read from the file on every call rather than kept, so memory does
    /// not grow with the data kept; the file's pages stay in the OS cache.
    func index() throws(LogBlockError) -> Index {
        if let bloom { return .version1(bloom) }
        return .version2(try LogChunkFilters(decoding: Self.read(.chunkFilters, footer: footer, fd: fd, path: path),
                                             chunkCount: footer.chunks.count, path: path))
    }

    /// The entries of chunk `index`, in time order.
    func rows(ofChunk index: Int) throws(LogBlockError) -> [LogBlockRow] {
        let info = footer.chunks[index]
        let section = "chunk \(index)"
        let stored = try Self.readExactly(fd: fd, count: info.storedLength, at: info.offset, path: path, section: section)
        let crc = CRC32C.checksum(stored)
        guard crc == info.crc else { throw .checksumMismatch(path: path, section: section, expected: info.crc, actual: crc) }
        chunkReadCount.add(1, ordering: .relaxed)
        let frameLength = info.storedLength - info.idColumnLength
        let raw: [UInt8]
        do {
            raw = try TraceBlockZstd.decompress(stored[..<frameLength], expectedSize: info.rawLength, path: path, section: section)
        } catch {
            throw LogBlockError.from(error, path: path)
        }
        let ids = footer.version >= 3 ? LogChunkIDColumn.Reader(Array(stored[frameLength...]), timeMarkers: footer.version >= 4) : nil
        return try LogBlockEntryCodec.decode(raw, ids: ids, info: info, originCount: origins().count, path: path, section: section)
    }

    func origins() throws(LogBlockError) -> [LogBlockOrigin] {
        if let origins = cache.withLock({ $0.origins }) { return origins }
        let bytes = try Self.read(.origins, footer: footer, fd: fd, path: path)
        var r = WALReader(bytes)
        let origins: [LogBlockOrigin]
        do throws(WALDecodingError) {
            origins = try r.readArray(minimumElementSize: 8) { r throws(WALDecodingError) in
                let resource = try Resource(from: &r)
                let resourceSchemaURL = try r.readString()
                let scope = try InstrumentationScope(from: &r)
                return LogBlockOrigin(resource: resource, resourceSchemaURL: resourceSchemaURL, scope: scope, scopeSchemaURL: try r.readString())
            }
            guard r.isAtEnd else { throw r.failure(.trailingBytes(count: r.remaining)) }
        } catch {
            throw .malformed(path: path, section: LogBlockSection.origins.name, detail: error.description)
        }
        cache.withLock { $0.origins = origins }
        return origins
    }

    /// Version 1's trace index.
    func traceIndex() throws(LogBlockError) -> LogBlockTraceTable {
        if let index = cache.withLock({ $0.traceIndex }) { return index }
        let index = try LogBlockTraceTable(decoding: Self.read(.traceIndex, footer: footer, fd: fd, path: path),
                                           chunkCount: footer.chunks.count, path: path)
        cache.withLock { $0.traceIndex = index }
        return index
    }

    /// Every record of the block as batches (one per origin), in stream then time order.
    public func batch() throws(LogBlockError) -> LogBatch {
        let origins = try self.origins()
        var perOrigin = [[LogRecord]](repeating: [], count: origins.count)
        for index in footer.chunks.indices {
            for row in try rows(ofChunk: index) { perOrigin[row.origin].append(row.record) }
        }
        var batch = LogBatch()
        for (origin, records) in zip(origins, perOrigin) where !records.isEmpty {
            batch.resources.append(ResourceItems(resource: origin.resource, schemaURL: origin.resourceSchemaURL, scopes: [
                ScopedItems(scope: origin.scope, schemaURL: origin.scopeSchemaURL, items: records),
            ]))
        }
        return batch.mergingEqualResources()
    }

    /// Stored and raw bytes: chunks' zstd frames, their id columns, then each block-wide section.
    public func sectionSizes() -> [(section: String, storedBytes: Int, rawBytes: Int)] {
        let idColumns = footer.chunks.reduce(0) { $0 + $1.idColumnLength }
        var result: [(section: String, storedBytes: Int, rawBytes: Int)] = [
            ("chunks", footer.chunks.reduce(0) { $0 + $1.storedLength } - idColumns, footer.chunks.reduce(0) { $0 + $1.rawLength }),
            ("id columns", idColumns, idColumns),
        ]
        for (kind, entry) in zip(LogBlockSection.layout(version: footer.version), footer.sections) {
            result.append((kind.name, entry.storedLength, entry.rawLength))
        }
        return result
    }

    // MARK: - File access

    private static func decodeStreams(_ bytes: [UInt8], path: String) throws(LogBlockError) -> [LogStreamLabels] {
        var r = WALReader(bytes)
        do throws(WALDecodingError) {
            let streams = try r.readArray(minimumElementSize: 1) { r throws(WALDecodingError) -> LogStreamLabels in
                let pairs = try r.readArray(minimumElementSize: 2) { r throws(WALDecodingError) in (try r.readString(), try r.readString()) }
                return LogStreamLabels(pairs)
            }
            guard r.isAtEnd else { throw r.failure(.trailingBytes(count: r.remaining)) }
            return streams
        } catch {
            throw .malformed(path: path, section: LogBlockSection.streams.name, detail: error.description)
        }
    }

    static func readExactly(fd: Int32, count: Int, at offset: UInt64, path: String, section: String) throws(LogBlockError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        do {
            while done < count {
                let n = try bytes.withUnsafeMutableBytes { buffer in
                    try POSIXFile.pread(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]),
                                        at: offset + UInt64(done), path: path)
                }
                if n == 0 { throw LogBlockError.truncated(path: path, section: section) }
                done += n
            }
        } catch {
            throw LogBlockError.from(error, path: path)
        }
        return bytes
    }

    static func readFooter(fd: Int32, path: String) throws(LogBlockError) -> LogBlockFooter {
        let size: UInt64
        do { size = try POSIXFile.size(fd, path: path) } catch { throw LogBlockError.from(error, path: path) }
        guard size >= UInt64(LogBlockFormat.headerSize) else { throw .truncated(path: path, section: "header") }
        let header = try readExactly(fd: fd, count: LogBlockFormat.headerSize, at: 0, path: path, section: "header")
        guard uint32(header, 0) == LogBlockFormat.magic else { throw .badMagic(path: path) }
        let version = uint32(header, 4)
        guard LogBlockFormat.readableVersions.contains(version) else {
            throw .unsupportedVersion(path: path, found: version, supported: LogBlockFormat.version)
        }
        guard size >= UInt64(LogBlockFormat.headerSize + LogBlockFormat.trailerSize) else { throw .truncated(path: path, section: "trailer") }
        let trailerOffset = size - UInt64(LogBlockFormat.trailerSize)
        let trailer = try readExactly(fd: fd, count: LogBlockFormat.trailerSize, at: trailerOffset, path: path, section: "trailer")
        guard uint32(trailer, 12) == LogBlockFormat.magic else { throw .truncated(path: path, section: "trailer") }
        guard uint32(trailer, 8) == version else {
            throw .unsupportedVersion(path: path, found: uint32(trailer, 8), supported: LogBlockFormat.version)
        }
        let footerLength = UInt64(uint32(trailer, 0))
        guard footerLength <= trailerOffset - UInt64(LogBlockFormat.headerSize) else { throw .truncated(path: path, section: "footer") }
        let footerOffset = trailerOffset - footerLength
        let bytes = try readExactly(fd: fd, count: Int(footerLength), at: footerOffset, path: path, section: "footer")
        let crc = CRC32C.checksum(bytes)
        guard crc == uint32(trailer, 4) else {
            throw .checksumMismatch(path: path, section: "footer", expected: uint32(trailer, 4), actual: crc)
        }
        return try LogBlockFooter(decoding: bytes, version: version, dataEnd: footerOffset, path: path)
    }

    /// A version-1 block's token filter.
    private static func bloom(_ bytes: [UInt8], path: String) throws(LogBlockError) -> BloomFilter {
        do throws(WALDecodingError) {
            return try BloomFilter(decoding: bytes)
        } catch {
            throw .malformed(path: path, section: LogBlockSection.bloom.name, detail: error.description)
        }
    }

    static func read(_ kind: LogBlockSection, footer: LogBlockFooter, fd: Int32, path: String) throws(LogBlockError) -> [UInt8] {
        guard let entry = footer.entry(kind) else {
            throw .malformed(path: path, section: kind.name, detail: "no such section in a version \(footer.version) block")
        }
        let stored = try readExactly(fd: fd, count: entry.storedLength, at: entry.offset, path: path, section: kind.name)
        let crc = CRC32C.checksum(stored)
        guard crc == entry.crc else { throw .checksumMismatch(path: path, section: kind.name, expected: entry.crc, actual: crc) }
        guard entry.compressed else { return stored }
        do { return try TraceBlockZstd.decompress(stored, expectedSize: entry.rawLength, path: path, section: kind.name) } catch {
            throw LogBlockError.from(error, path: path)
        }
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }
}
