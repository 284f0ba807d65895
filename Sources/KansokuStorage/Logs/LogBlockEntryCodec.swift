import KansokuModel

/// Encoding of entries inside a chunk:
///
/// ```text
/// chunk := metaLength:uvar meta body*
/// meta  := (timeDelta:uvar origin:uvar flags:u8 [observedDelta:svar] severityNumber:svar
///           severityText:str attrs dropped:uvar recordFlags:uvar [traceID:16] [spanID:8] eventName:str)*
/// body  := value (the record body, WAL value encoding)
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
        var ids = Set(attributeTraceIDs(of: record))
        if !record.traceID.isZero { ids.insert(record.traceID) }
        LogTokenizer.forEachHexTraceID(line) { ids.insert($0) }
        return ids
    }

    /// The 32-hex values of a record's attributes named like a trace id.
    static func attributeTraceIDs(of record: LogRecord) -> [TraceID] {
        record.attributes.compactMap { attribute in
            switch attribute.key {
            case "trace_id", "traceid", "traceId", "traceID", "trace.id", "trace_id_hex":
                if let text = attribute.value.stringValue, let id = TraceID(hex: text), !id.isZero { return id }
                return nil
            default: return nil
            }
        }
    }

    /// Writes the fields of `record`'s meta after its time delta and origin
    /// (which depend on the entry's place in its chunk), from `flags` on.
    static func encodeMetaTail(_ record: LogRecord, to meta: inout WALWriter) {
        var flags: UInt8 = 0
        if record.timeUnixNano == 0 { flags |= 1 }
        else if record.observedTimeUnixNano == 0 { flags |= 2 }
        else if record.observedTimeUnixNano == record.timeUnixNano { flags |= 4 }
        if !record.traceID.isZero { flags |= 8 }
        if !record.spanID.isZero { flags |= 16 }
        meta.writeByte(flags)
        if flags & 7 == 0 { meta.writeVarInt(Int64(bitPattern: record.observedTimeUnixNano &- record.timeUnixNano)) }
        meta.writeVarInt(record.severityNumber)
        meta.writeString(record.severityText)
        meta.writeAttributes(record.attributes)
        meta.writeVarUInt(record.droppedAttributesCount)
        meta.writeVarUInt(record.flags)
        if flags & 8 != 0 { record.traceID.encode(to: &meta) }
        if flags & 16 != 0 { record.spanID.encode(to: &meta) }
        meta.writeString(record.eventName)
    }

    static func decode(_ raw: [UInt8], info: LogBlockChunkInfo, originCount: Int, path: String, section: String) throws(LogBlockError) -> [LogBlockRow] {
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
                record.body = try AttributeValue(from: &bodies, depth: 0)
                rows.append(LogBlockRow(origin: origin, time: time, record: record))
            }
            guard time == info.maxTimeUnixNano else { throw meta.failure(.valueOutOfRange(value: time, maximum: info.maxTimeUnixNano)) }
            guard meta.isAtEnd else { throw meta.failure(.trailingBytes(count: meta.remaining)) }
            guard bodies.isAtEnd else { throw bodies.failure(.trailingBytes(count: bodies.remaining)) }
        } catch {
            throw .malformed(path: path, section: section, detail: error.description)
        }
        return rows
    }
}
