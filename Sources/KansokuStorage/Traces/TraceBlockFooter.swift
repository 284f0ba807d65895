import KansokuModel

/// Where one section lies in the file and how to check and expand it.
struct TraceBlockSectionEntry: Sendable, Hashable {
    var kind: TraceBlockSectionKind
    /// Row group of a column section; 0 for block-wide sections.
    var group: Int
    var offset: UInt64
    var storedLength: Int
    var rawLength: Int
    var codec: TraceBlockCodec
    /// CRC-32C of the stored (possibly compressed) bytes, so damage is
    /// caught before zstd ever sees them.
    var crc: UInt32
}

/// The directory at the end of a block: its row groups and every section.
///
/// ```text
/// footer := rowCount:uvar traceCount:uvar
///           groupCount:uvar (firstRow firstTrace rowCount traceCount minStart maxStart : uvar)*
///           sectionCount:uvar (kind:u8 group:uvar offset:uvar stored:uvar raw:uvar codec:u8 crc:uvar)*
/// ```
struct TraceBlockFooter: Sendable {
    struct Key: Hashable, Sendable {
        var kind: TraceBlockSectionKind
        var group: Int
    }

    var rowCount: Int
    var traceCount: Int
    var groups: [TraceBlockRowGroup]
    var sections: [Key: TraceBlockSectionEntry]

    func encoded(order: [TraceBlockSectionEntry]) -> [UInt8] {
        var w = WALWriter(reservingCapacity: 64 + groups.count * 24 + order.count * 20)
        w.writeCount(rowCount)
        w.writeCount(traceCount)
        w.writeCount(groups.count)
        for g in groups {
            w.writeCount(g.firstRow)
            w.writeCount(g.firstTrace)
            w.writeCount(g.rowCount)
            w.writeCount(g.traceCount)
            w.writeVarUInt(g.minStartTimeUnixNano)
            w.writeVarUInt(g.maxStartTimeUnixNano)
        }
        w.writeCount(order.count)
        for s in order {
            w.writeByte(s.kind.rawValue)
            w.writeCount(s.group)
            w.writeVarUInt(s.offset)
            w.writeCount(s.storedLength)
            w.writeCount(s.rawLength)
            w.writeByte(s.codec.rawValue)
            w.writeVarUInt(s.crc)
        }
        return w.bytes
    }

    /// Parses and validates a footer: groups must tile the rows and traces in
    /// order, and every section must lie between the header and `dataEnd`
    /// without overlapping another, so later reads need no further checks.
    init(decoding bytes: [UInt8], dataEnd: UInt64, path: String) throws(TraceBlockError) {
        func malformed(_ detail: String) -> TraceBlockError { .malformed(path: path, section: "footer", detail: detail) }
        var r = WALReader(bytes)
        do {
            rowCount = try r.readInt()
            traceCount = try r.readInt()
            guard traceCount <= rowCount, rowCount <= Int(UInt32.max) else { throw malformed("\(traceCount) traces in \(rowCount) rows") }
            let groupCount = try r.readCount(minimumElementSize: 6)
            groups = []
            var nextRow = 0, nextTrace = 0
            for _ in 0..<groupCount {
                let firstRow = try r.readInt(), firstTrace = try r.readInt()
                let group = TraceBlockRowGroup(
                    firstRow: firstRow, rowCount: try r.readInt(), firstTrace: firstTrace, traceCount: try r.readInt(),
                    minStartTimeUnixNano: try r.readVarUInt(), maxStartTimeUnixNano: try r.readVarUInt())
                guard group.firstRow == nextRow, group.firstTrace == nextTrace,
                      group.traceCount >= 1, group.rowCount >= group.traceCount,
                      group.minStartTimeUnixNano <= group.maxStartTimeUnixNano else {
                    throw malformed("row group \(groups.count) does not follow its predecessor")
                }
                nextRow += group.rowCount
                nextTrace += group.traceCount
                guard nextRow <= rowCount, nextTrace <= traceCount else { throw malformed("row groups exceed the block") }
                groups.append(group)
            }
            guard nextRow == rowCount, nextTrace == traceCount else { throw malformed("row groups do not cover the block") }
            let sectionCount = try r.readCount(minimumElementSize: 7)
            sections = [:]
            var ranges: [(UInt64, UInt64)] = []
            for _ in 0..<sectionCount {
                let tag = try r.readByte()
                guard let kind = TraceBlockSectionKind(rawValue: tag) else { throw malformed("unknown section kind \(tag)") }
                let group = try r.readInt()
                let offset = try r.readVarUInt()
                let stored = try r.readInt()
                let raw = try r.readInt()
                let codecTag = try r.readByte()
                guard let codec = TraceBlockCodec(rawValue: codecTag) else { throw malformed("unknown codec \(codecTag)") }
                let crc = try r.readVarUInt32()
                guard kind.isColumn ? group < groups.count : group == 0 else { throw malformed("\(kind.name) names row group \(group)") }
                guard raw <= TraceBlockFormat.maxSectionSize, codec == .zstd || raw == stored else {
                    throw malformed("\(kind.label(group: group)) claims \(raw) bytes")
                }
                guard offset >= UInt64(TraceBlockFormat.headerSize), offset <= dataEnd,
                      UInt64(stored) <= dataEnd - offset else {
                    throw malformed("\(kind.label(group: group)) lies outside the data area")
                }
                let key = Key(kind: kind, group: group)
                guard sections[key] == nil else { throw malformed("\(kind.label(group: group)) appears twice") }
                sections[key] = TraceBlockSectionEntry(kind: kind, group: group, offset: offset, storedLength: stored,
                                                       rawLength: raw, codec: codec, crc: crc)
                ranges.append((offset, offset + UInt64(stored)))
            }
            guard r.isAtEnd else { throw malformed("\(r.remaining) bytes after the section directory") }
            ranges.sort { $0.0 < $1.0 }
            for i in ranges.indices.dropFirst() where ranges[i].0 < ranges[i - 1].1 {
                throw malformed("sections overlap at byte \(ranges[i].0)")
            }
        } catch let error as TraceBlockError {
            throw error
        } catch {
            // Only WALDecodingError is left: a field ran past the footer or overflowed.
            throw malformed("\(error)")
        }
    }

    init(rowCount: Int, traceCount: Int, groups: [TraceBlockRowGroup], sections: [TraceBlockSectionEntry]) {
        self.rowCount = rowCount
        self.traceCount = traceCount
        self.groups = groups
        self.sections = Dictionary(uniqueKeysWithValues: sections.map { (Key(kind: $0.kind, group: $0.group), $0) })
    }
}
