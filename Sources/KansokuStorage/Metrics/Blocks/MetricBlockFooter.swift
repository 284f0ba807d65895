/// Constants of the metric block file format (`docs/metric-block-format.md`).
enum MetricBlockFormat {
    /// "KMB1", little-endian.
    static let magic: UInt32 = 0x3142_4D4B
    /// Version 2 added native histogram chunks to the series table;
    /// version 3 tags each float chunk with its encoding (XOR or decimal).
    static let version: UInt32 = 3
    /// Older blocks are still read.
    static let readableVersions: ClosedRange<UInt32> = 1...3
    /// The first byte of a float chunk in a version 3 block.
    enum FloatChunkEncoding: UInt8 {
        case xor = 0
        case decimal = 1
    }
    /// magic:u32 version:u32.
    static let headerSize = 8
    /// footerLength:u32 footerCRC32C:u32 version:u32 magic:u32.
    static let trailerSize = 16
    /// File extension of finished blocks.
    static let fileExtension = ".kmb"
    /// Largest expanded index section or frame a reader accepts, so a forged
    /// size cannot make it allocate without bound.
    static let maxSectionSize = 1 << 30
    static let maxFrameSize = 1 << 24
}

/// How a section or frame is stored.
enum MetricBlockCodec: UInt8, Sendable {
    case raw = 0
    case zstd = 1
}

/// The index sections the footer locates. The chunk section is not one of
/// them: it runs from the header to the first index section, and the frame
/// table (itself a section) locates and checksums each of its frames.
enum MetricBlockSectionKind: UInt8, Sendable, CaseIterable {
    case frames = 1
    case symbols = 2
    case series = 3
    case postings = 4

    var name: String {
        switch self {
        case .frames: "frames"
        case .symbols: "symbols"
        case .series: "series"
        case .postings: "postings"
        }
    }
}

/// Where one index section lies and how to check and expand it.
struct MetricBlockSectionEntry: Sendable, Hashable {
    var kind: MetricBlockSectionKind
    var offset: UInt64
    var storedLength: Int
    var rawLength: Int
    var codec: MetricBlockCodec
    /// CRC-32C of the stored (possibly compressed) bytes.
    var crc: UInt32
}

/// The directory at the end of a block.
///
/// ```text
/// footer := minTime:svar maxTime:svar seriesCount:uvar chunkCount:uvar sampleCount:uvar
///           chunksLength:uvar sectionCount:uvar
///           (kind:u8 offset:uvar stored:uvar raw:uvar codec:u8 crc:u32)*
/// ```
struct MetricBlockFooter: Sendable {
    var minTime: Int64
    var maxTime: Int64
    var seriesCount: Int
    var chunkCount: Int
    var sampleCount: Int
    /// Bytes of the chunk section, which starts right after the header.
    var chunksLength: UInt64
    var sections: [MetricBlockSectionKind: MetricBlockSectionEntry]
    /// The file's format version (from its header; not part of the footer bytes).
    var formatVersion: UInt32 = MetricBlockFormat.version

    init(minTime: Int64, maxTime: Int64, seriesCount: Int, chunkCount: Int, sampleCount: Int,
         chunksLength: UInt64, sections: [MetricBlockSectionEntry]) {
        self.minTime = minTime
        self.maxTime = maxTime
        self.seriesCount = seriesCount
        self.chunkCount = chunkCount
        self.sampleCount = sampleCount
        self.chunksLength = chunksLength
        self.sections = Dictionary(uniqueKeysWithValues: sections.map { ($0.kind, $0) })
    }

    func encoded() -> [UInt8] {
        var w = WALWriter(reservingCapacity: 128)
        w.writeVarInt(minTime)
        w.writeVarInt(maxTime)
        w.writeCount(seriesCount)
        w.writeCount(chunkCount)
        w.writeCount(sampleCount)
        w.writeVarUInt(chunksLength)
        let ordered = MetricBlockSectionKind.allCases.compactMap { sections[$0] }
        w.writeCount(ordered.count)
        for s in ordered {
            w.writeByte(s.kind.rawValue)
            w.writeVarUInt(s.offset)
            w.writeCount(s.storedLength)
            w.writeCount(s.rawLength)
            w.writeByte(s.codec.rawValue)
            withUnsafeBytes(of: s.crc.littleEndian) { for b in $0 { w.writeByte(b) } }
        }
        return w.bytes
    }

    /// Parses and validates a footer: every index section must be present
    /// once, lie between the chunk section and `dataEnd`, and not overlap
    /// another, so later reads need no further bounds checks.
    init(decoding bytes: [UInt8], dataEnd: UInt64, path: String) throws(MetricBlockError) {
        func malformed(_ detail: String) -> MetricBlockError { .malformed(path: path, section: "footer", detail: detail) }
        var r = WALReader(bytes)
        do {
            minTime = try r.readVarInt()
            maxTime = try r.readVarInt()
            guard minTime <= maxTime else { throw malformed("minTime \(minTime) after maxTime \(maxTime)") }
            seriesCount = try r.readInt()
            chunkCount = try r.readInt()
            sampleCount = try r.readInt()
            chunksLength = try r.readVarUInt()
            let dataStart = UInt64(MetricBlockFormat.headerSize)
            guard chunksLength <= dataEnd - dataStart else { throw malformed("chunk section of \(chunksLength) bytes exceeds the file") }
            let sectionCount = try r.readCount(minimumElementSize: 9)
            sections = [:]
            var ranges: [(UInt64, UInt64)] = []
            for _ in 0..<sectionCount {
                let tag = try r.readByte()
                guard let kind = MetricBlockSectionKind(rawValue: tag) else { throw malformed("unknown section kind \(tag)") }
                let offset = try r.readVarUInt()
                let stored = try r.readInt()
                let raw = try r.readInt()
                let codecTag = try r.readByte()
                guard let codec = MetricBlockCodec(rawValue: codecTag) else { throw malformed("unknown codec \(codecTag)") }
                var crc: UInt32 = 0
                for shift in stride(from: 0, to: 32, by: 8) {
                    let byte = try r.readByte()
                    crc |= UInt32(byte) << UInt32(shift)
                }
                guard raw <= MetricBlockFormat.maxSectionSize, codec == .zstd || raw == stored else {
                    throw malformed("\(kind.name) claims \(raw) bytes")
                }
                guard offset >= dataStart + chunksLength, offset <= dataEnd, UInt64(stored) <= dataEnd - offset else {
                    throw malformed("\(kind.name) at byte \(offset) lies outside the index area")
                }
                guard sections[kind] == nil else { throw malformed("\(kind.name) appears twice") }
                sections[kind] = MetricBlockSectionEntry(kind: kind, offset: offset, storedLength: stored,
                                                         rawLength: raw, codec: codec, crc: crc)
                ranges.append((offset, offset + UInt64(stored)))
            }
            guard r.isAtEnd else { throw malformed("\(r.remaining) bytes after the section directory") }
            for kind in MetricBlockSectionKind.allCases where sections[kind] == nil {
                throw malformed("\(kind.name) section missing")
            }
            ranges.sort { $0.0 < $1.0 }
            for i in ranges.indices.dropFirst() where ranges[i].0 < ranges[i - 1].1 {
                throw malformed("sections overlap at byte \(ranges[i].0)")
            }
        } catch let error as MetricBlockError {
            throw error
        } catch {
            // Only WALDecodingError is left: a field ran past the footer or overflowed.
            throw malformed("\(error)")
        }
    }
}
