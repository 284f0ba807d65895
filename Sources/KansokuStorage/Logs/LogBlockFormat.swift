#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KansokuModel

/// Constants of the log block file format (`docs/log-block-format.md`):
///
/// ```text
/// file    := header chunk* streams origins chunkFilters footer trailer          (versions 2 to 4)
///          | header chunk* streams origins traceIndex bloom footer trailer    (version 1, read only)
/// header  := magic:u32 version:u32                                  (8 bytes, LE)
/// trailer := footerLength:u32 footerCRC32C:u32 version:u32 magic:u32 (16 bytes, LE)
/// ```
public enum LogBlockFormat {
    /// `"KLB1"` read as a little-endian `UInt32`.
    public static let magic: UInt32 = 0x3142_4C4B
    /// The version written.
    public static let version: UInt32 = 4
    /// Versions read: 1 had one Bloom filter per block and an exact trace
    /// index; 2 kept hex ids in the compressed text (no ``LogChunkIDColumn``);
    /// 3 kept numbers spelling the entry's time there (no ``LogEntryTimeToken``).
    static let readableVersions: ClosedRange<UInt32> = 1...4
    public static let fileExtension = "klb"

    static let headerSize = 8
    static let trailerSize = 16
    /// Bound on any section's or chunk's decompressed size.
    static let maxSectionSize = 1 << 30
}

/// The block-wide sections.
enum LogBlockSection: Int, CaseIterable, Sendable {
    case streams
    case origins
    /// Version 1 only.
    case traceIndex
    /// Version 1 only: one token Bloom filter for the whole block.
    case bloom
    /// Versions 2 and 3: a token Bloom filter per chunk (``LogChunkFilters``).
    case chunkFilters

    /// The sections of a block of `version`, in file and footer order.
    static func layout(version: UInt32) -> [LogBlockSection] {
        version == 1 ? [.streams, .origins, .traceIndex, .bloom] : [.streams, .origins, .chunkFilters]
    }

    var name: String {
        switch self {
        case .streams: "streams"
        case .origins: "origins"
        case .traceIndex: "trace index"
        case .bloom: "bloom"
        case .chunkFilters: "chunk filters"
        }
    }
}

/// Why a log block could not be written or read. Read-side cases name the
/// file and the section (`"footer"`, `"streams"`, `"chunk 3"`…); damaged
/// input always ends here, never in a crash.
public enum LogBlockError: Error, Sendable, Hashable, CustomStringConvertible {
    case io(operation: String, path: String, errno: Int32)
    case badMagic(path: String)
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    case truncated(path: String, section: String)
    case checksumMismatch(path: String, section: String, expected: UInt32, actual: UInt32)
    case decompressionFailed(path: String, section: String, detail: String)
    case malformed(path: String, section: String, detail: String)
    case compressionFailed(detail: String)

    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        case .badMagic(let path):
            "\(path): not a Kansoku log block (bad magic number)"
        case .unsupportedVersion(let path, let found, let supported):
            "\(path): log block format version \(found) is not supported (this build reads \(supported))"
        case .truncated(let path, let section):
            "\(path): truncated in \(section)"
        case .checksumMismatch(let path, let section, let expected, let actual):
            "\(path): checksum mismatch in \(section) (expected \(expected), found \(actual))"
        case .decompressionFailed(let path, let section, let detail):
            "\(path): cannot decompress \(section): \(detail)"
        case .malformed(let path, let section, let detail):
            "\(path): malformed \(section): \(detail)"
        case .compressionFailed(let detail):
            "cannot compress log block chunk: \(detail)"
        }
    }

    /// The section an error is about, if it names one.
    public var section: String? {
        switch self {
        case .truncated(_, let s), .checksumMismatch(_, let s, _, _),
             .decompressionFailed(_, let s, _), .malformed(_, let s, _): s
        case .badMagic: "magic"
        case .unsupportedVersion: "trailer"
        case .io, .compressionFailed: nil
        }
    }

    /// The file an error is about, if any.
    public var path: String? {
        switch self {
        case .io(_, let p, _), .badMagic(let p), .unsupportedVersion(let p, _, _), .truncated(let p, _),
             .checksumMismatch(let p, _, _, _), .decompressionFailed(let p, _, _), .malformed(let p, _, _): p
        case .compressionFailed: nil
        }
    }

    static func from(_ error: any Error, path: String) -> LogBlockError {
        if let error = error as? LogBlockError { return error }
        if let error = error as? TraceBlockError {
            switch error {
            case .decompressionFailed(let p, let s, let d): return .decompressionFailed(path: p, section: s, detail: d)
            case .compressionFailed(let d): return .compressionFailed(detail: d)
            default: break
            }
        }
        if case .io(let operation, let p, let code)? = error as? WALError {
            return .io(operation: operation, path: p, errno: code)
        }
        return .io(operation: "\(error)", path: path, errno: EIO)
    }
}

/// Where a block-wide section lies and how to check it.
struct LogBlockSectionEntry: Sendable, Hashable {
    var offset: UInt64
    var storedLength: Int
    var rawLength: Int
    /// 0 raw, 1 zstd.
    var compressed: Bool
    var crc: UInt32
}

/// One compressed run of one stream's entries, in time order.
public struct LogBlockChunkInfo: Sendable, Hashable {
    public var stream: Int
    public var entryCount: Int
    public var minTimeUnixNano: UInt64
    public var maxTimeUnixNano: UInt64
    /// The stored bytes are a zstd frame of `rawLength` bytes followed by
    /// `idColumnLength` bytes of ``LogChunkIDColumn`` (version 3 on; 0 before).
    var offset: UInt64
    var storedLength: Int
    var rawLength: Int
    var crc: UInt32
    var idColumnLength = 0
}

/// Summary of a block, kept in its footer.
public struct LogBlockMetadata: Sendable, Hashable {
    public var entryCount: Int
    public var streamCount: Int
    public var chunkCount: Int
    /// Entry timestamps (time, or observed time when time is unset); 0/0 when empty.
    public var minTimeUnixNano: UInt64
    public var maxTimeUnixNano: UInt64
}

/// The directory at the end of a block.
///
/// ```text
/// footer := entryCount:uvar streamCount:uvar minTime:uvar maxTime:uvar
///           (offset:uvar stored:uvar raw:uvar compressed:u8 crc:uvar) × sections   (LogBlockSection.layout)
///           chunkCount:uvar (stream:uvar offset:uvar stored:uvar raw:uvar crc:uvar
///                            entries:uvar minTime:uvar maxTime−minTime:uvar [idColumn:uvar])*
/// idColumn := bytes of the chunk's id column (version 3 on)
/// ```
struct LogBlockFooter: Sendable {
    var version: UInt32
    var metadata: LogBlockMetadata
    /// In ``LogBlockSection/layout(version:)`` order.
    var sections: [LogBlockSectionEntry]
    var chunks: [LogBlockChunkInfo]

    init(metadata: LogBlockMetadata, sections: [LogBlockSectionEntry], chunks: [LogBlockChunkInfo]) {
        self.version = LogBlockFormat.version
        self.metadata = metadata
        self.sections = sections
        self.chunks = chunks
    }

    /// Where section `kind` lies; nil when blocks of this version have none.
    func entry(_ kind: LogBlockSection) -> LogBlockSectionEntry? {
        LogBlockSection.layout(version: version).firstIndex(of: kind).map { sections[$0] }
    }

    func encoded() -> [UInt8] {
        var w = WALWriter(reservingCapacity: 64 + chunks.count * 32)
        w.writeCount(metadata.entryCount)
        w.writeCount(metadata.streamCount)
        w.writeVarUInt(metadata.minTimeUnixNano)
        w.writeVarUInt(metadata.maxTimeUnixNano)
        for s in sections {
            w.writeVarUInt(s.offset)
            w.writeCount(s.storedLength)
            w.writeCount(s.rawLength)
            w.writeByte(s.compressed ? 1 : 0)
            w.writeVarUInt(s.crc)
        }
        w.writeCount(chunks.count)
        for c in chunks {
            w.writeCount(c.stream)
            w.writeVarUInt(c.offset)
            w.writeCount(c.storedLength)
            w.writeCount(c.rawLength)
            w.writeVarUInt(c.crc)
            w.writeCount(c.entryCount)
            w.writeVarUInt(c.minTimeUnixNano)
            w.writeVarUInt(c.maxTimeUnixNano - c.minTimeUnixNano)
            if version >= 3 { w.writeCount(c.idColumnLength) }
        }
        return w.bytes
    }

    /// Parses and validates: every section and chunk lies in the data area
    /// without overlap, chunks name existing streams, counts and times agree.
    init(decoding bytes: [UInt8], version: UInt32, dataEnd: UInt64, path: String) throws(LogBlockError) {
        self.version = version
        func malformed(_ detail: String) -> LogBlockError { .malformed(path: path, section: "footer", detail: detail) }
        var r = WALReader(bytes)
        do {
            let entryCount = try r.readInt()
            let streamCount = try r.readInt()
            let minTime = try r.readVarUInt(), maxTime = try r.readVarUInt()
            var ranges: [(UInt64, UInt64)] = []
            func checkRange(_ offset: UInt64, _ stored: Int, _ what: String) throws(LogBlockError) {
                guard offset >= UInt64(LogBlockFormat.headerSize), offset <= dataEnd, UInt64(stored) <= dataEnd - offset else {
                    throw malformed("\(what) lies outside the data area")
                }
                ranges.append((offset, offset + UInt64(stored)))
            }
            sections = []
            for kind in LogBlockSection.layout(version: version) {
                let offset = try r.readVarUInt(), stored = try r.readInt(), raw = try r.readInt()
                let codec = try r.readByte()
                let crc = try r.readVarUInt32()
                guard codec <= 1, raw <= LogBlockFormat.maxSectionSize, codec == 1 || raw == stored else {
                    throw malformed("\(kind.name) has codec \(codec) and claims \(raw) bytes")
                }
                try checkRange(offset, stored, kind.name)
                sections.append(LogBlockSectionEntry(offset: offset, storedLength: stored, rawLength: raw, compressed: codec == 1, crc: crc))
            }
            let chunkCount = try r.readCount(minimumElementSize: 8)
            chunks = []
            chunks.reserveCapacity(chunkCount)
            var total = 0
            var blockMin = UInt64.max, blockMax: UInt64 = 0
            for i in 0..<chunkCount {
                let stream = try r.readInt(), offset = try r.readVarUInt(), stored = try r.readInt(), raw = try r.readInt()
                let crc = try r.readVarUInt32()
                let entries = try r.readInt()
                let lo = try r.readVarUInt(), span = try r.readVarUInt()
                let idColumn = version >= 3 ? try r.readInt() : 0
                guard stream < streamCount, entries >= 1, raw <= LogBlockFormat.maxSectionSize, span <= UInt64.max - lo,
                      idColumn < stored else {
                    throw malformed("chunk \(i) is out of range")
                }
                try checkRange(offset, stored, "chunk \(i)")
                total += entries
                blockMin = min(blockMin, lo)
                blockMax = max(blockMax, lo + span)
                chunks.append(LogBlockChunkInfo(stream: stream, entryCount: entries, minTimeUnixNano: lo, maxTimeUnixNano: lo + span,
                                                offset: offset, storedLength: stored, rawLength: raw, crc: crc,
                                                idColumnLength: idColumn))
            }
            guard r.isAtEnd else { throw malformed("\(r.remaining) bytes after the chunk directory") }
            guard total == entryCount else { throw malformed("chunks hold \(total) entries, footer says \(entryCount)") }
            if entryCount > 0 {
                guard blockMin == minTime, blockMax == maxTime else { throw malformed("time range disagrees with the chunks") }
            } else {
                guard minTime == 0, maxTime == 0 else { throw malformed("empty block with a time range") }
            }
            ranges.sort { $0.0 < $1.0 }
            for i in ranges.indices.dropFirst() where ranges[i].0 < ranges[i - 1].1 {
                throw malformed("sections overlap at byte \(ranges[i].0)")
            }
            metadata = LogBlockMetadata(entryCount: entryCount, streamCount: streamCount, chunkCount: chunkCount,
                                        minTimeUnixNano: minTime, maxTimeUnixNano: maxTime)
        } catch let error as LogBlockError {
            throw error
        } catch {
            throw malformed("\(error)")
        }
    }
}
