import KansokuModel

/// One span as the writer holds it: the span plus the ids of its resource
/// and scope in the block's tables.
struct TraceBlockInputRow: Sendable {
    var resourceID: Int
    var scopeID: Int
    var span: Span
}

/// The per-row encodings of the column sections of one row group.
///
/// Each column is a plain concatenation of one value per row, written with
/// the WAL primitives and then compressed on its own, so a filter on start
/// time or resource decompresses two small columns and never touches the
/// attributes. Trace ids are not a column: rows are sorted by trace, so the
/// trace index's (id, first row) entries already say which trace every row
/// belongs to.
///
/// ```text
/// span ids                   fixed64 per row
/// parent span ids            uvar: 0 = no parent; 1 = fixed64 id follows (parent
///                            not in this trace's rows); n ≥ 2 = the span at row
///                            n − 2 of the same trace. Parents are almost always
///                            in the trace, so this saves ~3.5 B of a random id.
/// start times                zig-zag varint: start − previous row's start
///                            (the first row is relative to the group's minimum)
/// durations                  uvar: end − start (wrapping, so end < start survives)
/// name ids, resource ids,
/// scope ids                  uvar index into the names / resources / scopes section
/// kinds, status codes        u8 (OTLP numbering)
/// status messages,
/// trace states               str
/// flags                      uvar
/// dropped counts             uvar attributes, uvar events, uvar links
/// attributes                 attrs (WAL layout)
/// events                     count (time:fixed64 name:str attrs dropped:uvar)*
/// links                      count (traceID:16 spanID:8 traceState:str flags:uvar attrs dropped:uvar)*
/// ```
enum TraceBlockColumns {
    /// Encodes `rows` (one row group, sorted) into one buffer per column kind,
    /// in `TraceBlockSectionKind.columns` order.
    static func encode(_ rows: ArraySlice<TraceBlockInputRow>, nameIDs: [String: Int], minStart: UInt64) -> [[UInt8]] {
        let n = rows.count
        var spanIDs = WALWriter(reservingCapacity: n * 8), parents = WALWriter(reservingCapacity: n * 8)
        var starts = WALWriter(reservingCapacity: n * 4), durations = WALWriter(reservingCapacity: n * 4)
        var names = WALWriter(reservingCapacity: n * 2), kinds = WALWriter(reservingCapacity: n)
        var codes = WALWriter(reservingCapacity: n), messages = WALWriter(reservingCapacity: n)
        var resources = WALWriter(reservingCapacity: n), scopes = WALWriter(reservingCapacity: n)
        var states = WALWriter(reservingCapacity: n), flags = WALWriter(reservingCapacity: n)
        var dropped = WALWriter(reservingCapacity: n * 3), attributes = WALWriter(reservingCapacity: n * 128)
        var events = WALWriter(reservingCapacity: n), links = WALWriter(reservingCapacity: n)
        var previousStart = minStart
        // Row (within the current trace) of each span id, first occurrence wins.
        var rowOfSpan: [UInt64: Int] = [:]
        for position in rows.indices {
            let span = rows[position].span
            if position == rows.startIndex || span.traceID != rows[position - 1].span.traceID {
                // A new trace: index all of it first, since a parent may start after its child.
                rowOfSpan.removeAll(keepingCapacity: true)
                var end = position
                while end < rows.endIndex && rows[end].span.traceID == span.traceID {
                    let id = rows[end].span.spanID.value
                    if rowOfSpan[id] == nil { rowOfSpan[id] = end - position }
                    end += 1
                }
            }
            let row = rows[position]
            spanIDs.writeFixed64(span.spanID.value)
            if span.parentSpanID.isZero {
                parents.writeVarUInt(ParentReference.zeroTag)
            } else if let parentRow = rowOfSpan[span.parentSpanID.value] {
                parents.writeCount(parentRow + ParentReference.firstRowTag)
            } else {
                parents.writeVarUInt(ParentReference.explicitTag)
                parents.writeFixed64(span.parentSpanID.value)
            }
            starts.writeVarInt(Int64(bitPattern: span.startTimeUnixNano &- previousStart))
            previousStart = span.startTimeUnixNano
            durations.writeVarUInt(span.endTimeUnixNano &- span.startTimeUnixNano)
            names.writeCount(nameIDs[span.name]!)
            // Every case's raw value is 0...5 (kind) or 0...2 (status).
            kinds.writeByte(UInt8(truncatingIfNeeded: span.kind.rawValue))
            codes.writeByte(UInt8(truncatingIfNeeded: span.status.code.rawValue))
            messages.writeString(span.status.message)
            resources.writeCount(row.resourceID)
            scopes.writeCount(row.scopeID)
            states.writeString(span.traceState)
            flags.writeVarUInt(span.flags)
            dropped.writeVarUInt(span.droppedAttributesCount)
            dropped.writeVarUInt(span.droppedEventsCount)
            dropped.writeVarUInt(span.droppedLinksCount)
            attributes.writeAttributes(span.attributes)
            events.writeArray(span.events) { event, w in event.encode(to: &w) }
            links.writeArray(span.links) { link, w in link.encode(to: &w) }
        }
        return [spanIDs, parents, starts, durations, names, kinds, codes, messages, resources, scopes,
                states, flags, dropped, attributes, events, links].map(\.bytes)
    }

    /// Decodes the first `count` values of a column. When `count` is the
    /// group's row count the column must end exactly there; a lookup that
    /// stops early cannot check that, and need not.
    static func decode<T>(
        _ bytes: [UInt8], count: Int, isWholeColumn: Bool, path: String, section: String,
        _ element: (inout WALReader) throws(WALDecodingError) -> T
    ) throws(TraceBlockError) -> [T] {
        var reader = WALReader(bytes)
        var values = [T]()
        values.reserveCapacity(count)
        do throws(WALDecodingError) {
            for _ in 0..<count { values.append(try element(&reader)) }
            if isWholeColumn && !reader.isAtEnd { throw reader.failure(.trailingBytes(count: reader.remaining)) }
        } catch {
            throw .malformed(path: path, section: section, detail: error.description)
        }
        return values
    }

    /// A parent span id as stored: absent, given outright, or the span at a
    /// row of the same trace (resolved once the span ids are decoded).
    enum ParentReference: Sendable {
        case zero
        case explicit(UInt64)
        case row(Int)

        static let zeroTag: UInt64 = 0
        static let explicitTag: UInt64 = 1
        static let firstRowTag = 2
    }

    static func parent(_ r: inout WALReader) throws(WALDecodingError) -> ParentReference {
        let start = r.offset
        let tag = try r.readVarUInt()
        switch tag {
        case ParentReference.zeroTag: return .zero
        case ParentReference.explicitTag: return .explicit(try r.readFixed64())
        case let n where n <= UInt64(Int32.max): return .row(Int(n) - ParentReference.firstRowTag)
        default: throw r.failure(.valueOutOfRange(value: tag, maximum: UInt64(Int32.max)), at: start)
        }
    }

    /// Start times, undoing the delta encoding.
    static func startTimes(minStart: UInt64) -> (inout WALReader) throws(WALDecodingError) -> UInt64 {
        var previous = minStart
        return { r throws(WALDecodingError) in
            previous = previous &+ UInt64(bitPattern: try r.readVarInt())
            return previous
        }
    }

    /// An index that must be below `limit` (a table size).
    static func reference(below limit: Int) -> (inout WALReader) throws(WALDecodingError) -> Int {
        { r throws(WALDecodingError) in
            let start = r.offset
            let value = try r.readVarUInt()
            guard value < UInt64(limit) else { throw r.failure(.valueOutOfRange(value: value, maximum: UInt64(limit)), at: start) }
            return Int(value)
        }
    }

    static func fixed64(_ r: inout WALReader) throws(WALDecodingError) -> UInt64 { try r.readFixed64() }
    static func varUInt(_ r: inout WALReader) throws(WALDecodingError) -> UInt64 { try r.readVarUInt() }
    static func varUInt32(_ r: inout WALReader) throws(WALDecodingError) -> UInt32 { try r.readVarUInt32() }
    static func string(_ r: inout WALReader) throws(WALDecodingError) -> String { try r.readString() }
    static func kind(_ r: inout WALReader) throws(WALDecodingError) -> SpanKind { try r.readEnum(SpanKind.self, field: "span kind") }
    static func statusCode(_ r: inout WALReader) throws(WALDecodingError) -> SpanStatus.Code {
        try r.readEnum(SpanStatus.Code.self, field: "status code")
    }
    static func droppedCounts(_ r: inout WALReader) throws(WALDecodingError) -> (UInt32, UInt32, UInt32) {
        (try r.readVarUInt32(), try r.readVarUInt32(), try r.readVarUInt32())
    }
    static func attributes(_ r: inout WALReader) throws(WALDecodingError) -> [Attribute] { try r.readAttributes() }
    static func events(_ r: inout WALReader) throws(WALDecodingError) -> [SpanEvent] {
        // Minimum sizes as in the WAL span decoder.
        try r.readArray(minimumElementSize: 11) { r throws(WALDecodingError) in try SpanEvent(from: &r) }
    }
    static func links(_ r: inout WALReader) throws(WALDecodingError) -> [SpanLink] {
        try r.readArray(minimumElementSize: 28) { r throws(WALDecodingError) in try SpanLink(from: &r) }
    }
}
