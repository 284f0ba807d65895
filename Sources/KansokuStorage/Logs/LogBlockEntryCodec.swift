import KansokuModel

/// Encoding of entries inside a chunk:
///
/// ```text
/// chunk := metaLength:uvar meta body*
/// meta  := (timeDelta:uvar origin:uvar flags:u8 [observedDelta:svar] severityNumber:svar
///           severityText:str attrs dropped:uvar recordFlags:uvar [traceID:16] [spanID:8] eventName:str)*
/// body  := value (the record body, WAL value encoding)
///        | packed string (version 3 on: a string body with hex ids in the id column, ``LogChunkIDColumn``,
///          and from version 4 the entry's time left out, ``LogEntryTimeToken``)
/// flags := 1 time unset (timestamp is the observed time) | 2 observed unset | 4 observed = time
///          | 8 trace id present | 16 span id present
/// ```
enum LogBlockEntryCodec {
    /// The timestamp an entry is sorted and queried by.
    static func timestamp(of record: LogRecord) -> UInt64 {
        record.timeUnixNano != 0 ? record.timeUnixNano : record.observedTimeUnixNano
    }

    /// Trace ids an entry refers to: its trace id, a 32-hex structured
    /// metadata value named like a trace id, and 32-hex tokens of its line.
    static func traceIDs(of record: LogRecord, line: String) -> Set<TraceID> {
        var ids = Set(attributeTraceIDs(of: record.attributes))
        if !record.traceID.isZero { ids.insert(record.traceID) }
        LogTokenizer.forEachHexTraceID(line) { ids.insert($0) }
        return ids
    }

    /// The 32-hex values of a record's attributes named like a trace id.
    static func attributeTraceIDs(of attributes: [Attribute]) -> [TraceID] {
        attributes.compactMap { attribute in
            switch attribute.key {
            case "trace_id", "traceid", "traceId", "traceID", "trace.id", "trace_id_hex":
                if let text = attribute.value.stringValue, let id = TraceID(hex: text), !id.isZero { return id }
                return nil
            default: return nil
            }
        }
    }

    /// What the block writer needs of a WAL log record besides its meta.
    struct WALRecordParts {
        /// The sort key (``timestamp(of:)``).
        var time: UInt64
        /// How a record's line is found.
        enum Line {
            /// A string body: its UTF-8 in the payload.
            case utf8(Range<Int>)
            /// Any other body, decoded: its line is its rendering.
            case rendered(AttributeValue)
        }
        /// The body's value encoding, where it lies in the payload.
        var body: Range<Int>
        var line: Line
        /// Decoded only when the record has some.
        var attributes: [Attribute]
        var traceID: TraceID
    }

    /// Reads one log record where it lies in a WAL payload (layout in
    /// `LogRecord+WAL.swift`) and writes its chunk meta from `flags` on: all
    /// but the time delta and origin, which depend on its place in its chunk.
    ///
    /// Fields the two layouts share are copied as bytes: the severity number
    /// and text, the attributes with dropped count and flags, and the event
    /// name are written by the same `WALWriter` calls in both. No string is
    /// made of a line; only a record's attributes, when it has any, and a
    /// body that is not a string are decoded.
    static func readWALRecord(_ reader: inout WALReader,
                              writingMetaTailTo meta: inout WALWriter) throws(WALDecodingError) -> WALRecordParts {
        let time = try reader.readFixed64()
        let observedTime = try reader.readFixed64()
        let severityStart = reader.offset
        _ = try reader.readVarInt32()
        _ = try reader.readStringRange()
        let bodyStart = reader.offset
        let line: WALRecordParts.Line
        if try reader.peekByte() == WALTag.Value.string {
            _ = try reader.readByte()
            line = .utf8(try reader.readStringRange())
        } else {
            line = .rendered(try AttributeValue(from: &reader, depth: 0))
        }
        let attributesStart = reader.offset
        let attributes: [Attribute]
        if try reader.peekByte() == 0 {  // no attributes: nothing to decode
            _ = try reader.readCount()
            attributes = []
        } else {
            attributes = try reader.readAttributes()
        }
        _ = try reader.readVarUInt32()
        _ = try reader.readVarUInt32()
        let attributesEnd = reader.offset
        let traceID = try TraceID(from: &reader)
        let spanID = try SpanID(from: &reader)
        let eventName = reader.offset
        _ = try reader.readStringRange()

        var flags: UInt8 = 0
        if time == 0 { flags |= 1 }
        else if observedTime == 0 { flags |= 2 }
        else if observedTime == time { flags |= 4 }
        if !traceID.isZero { flags |= 8 }
        if !spanID.isZero { flags |= 16 }
        meta.writeByte(flags)
        if flags & 7 == 0 { meta.writeVarInt(Int64(bitPattern: observedTime &- time)) }
        let end = reader.offset
        reader.withUnsafePayload { payload in
            meta.appendRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: payload[severityStart..<bodyStart])))
            meta.appendRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: payload[attributesStart..<attributesEnd])))
        }
        if flags & 8 != 0 { traceID.encode(to: &meta) }
        if flags & 16 != 0 { spanID.encode(to: &meta) }
        reader.withUnsafePayload { payload in
            meta.appendRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: payload[eventName..<end])))
        }
        return WALRecordParts(time: time != 0 ? time : observedTime, body: bodyStart..<attributesStart, line: line,
                              attributes: attributes, traceID: traceID)
    }

    /// The rows of a chunk whose decompressed text is `raw`; `ids` is its id
    /// column (version 3 and later; nil before, when packed bodies are invalid).
    static func decode(_ raw: [UInt8], ids: LogChunkIDColumn.Reader?, info: LogBlockChunkInfo, originCount: Int,
                       path: String, section: String) throws(LogBlockError) -> [LogBlockRow] {
        var ids = ids
        var header = WALReader(raw)
        var rows: [LogBlockRow] = []
        rows.reserveCapacity(info.entryCount)
        do throws(WALDecodingError) {
            let metaLength = try header.readInt()
            guard metaLength <= header.remaining else { throw header.failure(.truncated(needed: metaLength, available: header.remaining)) }
            let start = header.offset
            var meta = WALReader(Array(raw[start..<(start + metaLength)]))
            var bodies = WALReader(Array(raw[(start + metaLength)...]))
            var time = info.minTimeUnixNano
            for i in 0..<info.entryCount {
                let delta = try meta.readVarUInt()
                guard delta <= info.maxTimeUnixNano - time, i > 0 || delta == 0 else {
                    throw meta.failure(.valueOutOfRange(value: delta, maximum: info.maxTimeUnixNano - time))
                }
                time += delta
                let origin = try meta.readInt()
                guard origin < originCount else { throw meta.failure(.valueOutOfRange(value: UInt64(origin), maximum: UInt64(originCount))) }
                let flags = try meta.readByte()
                guard flags < 32, (flags & 7).nonzeroBitCount <= 1 else { throw meta.failure(.invalidTag(field: "entry flags", value: UInt64(flags))) }
                var record = LogRecord()
                if flags & 1 != 0 {
                    record.timeUnixNano = 0
                    record.observedTimeUnixNano = time
                } else {
                    record.timeUnixNano = time
                    if flags & 2 != 0 { record.observedTimeUnixNano = 0 }
                    else if flags & 4 != 0 { record.observedTimeUnixNano = time }
                    else { record.observedTimeUnixNano = time &+ UInt64(bitPattern: try meta.readVarInt()) }
                }
                record.severityNumber = try meta.readVarInt32()
                record.severityText = try meta.readString()
                record.attributes = try meta.readAttributes()
                record.droppedAttributesCount = try meta.readVarUInt32()
                record.flags = try meta.readVarUInt32()
                if flags & 8 != 0 { record.traceID = try TraceID(from: &meta) }
                if flags & 16 != 0 { record.spanID = try SpanID(from: &meta) }
                record.eventName = try meta.readString()
                if ids != nil, try bodies.peekByte() == LogChunkIDColumn.packedStringTag {
                    _ = try bodies.readByte()
                    let length = try bodies.readCount()
                    let start = bodies.offset
                    try bodies.skip(length)
                    let text = try bodies.withUnsafePayload { payload throws(WALDecodingError) in
                        try ids!.string(UnsafeBufferPointer(rebasing: payload[start..<start + length]), at: start, time: time)
                    }
                    record.body = .string(text)
                } else {
                    record.body = try AttributeValue(from: &bodies, depth: 0)
                }
                rows.append(LogBlockRow(origin: origin, time: time, record: record))
            }
            guard time == info.maxTimeUnixNano else { throw meta.failure(.valueOutOfRange(value: time, maximum: info.maxTimeUnixNano)) }
            guard meta.isAtEnd else { throw meta.failure(.trailingBytes(count: meta.remaining)) }
            guard bodies.isAtEnd else { throw bodies.failure(.trailingBytes(count: bodies.remaining)) }
        } catch {
            throw .malformed(path: path, section: section, detail: error.description)
        }
        if let ids, ids.remaining > 0 {
            throw .malformed(path: path, section: section, detail: "\(ids.remaining) bytes of the id column are not referred to")
        }
        return rows
    }
}
