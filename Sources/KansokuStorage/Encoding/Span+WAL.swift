import KansokuModel

// Span layout (version 1):
//   traceID:16 spanID:8 parentSpanID:8 traceState:str flags:uvar name:str kind:u8
//   start:fixed64 end:fixed64 attrs droppedAttributes:uvar
//   count event*  droppedEvents:uvar   event := time:fixed64 name:str attrs dropped:uvar
//   count link*   droppedLinks:uvar    link  := traceID:16 spanID:8 traceState:str flags:uvar attrs dropped:uvar
//   statusCode:u8 statusMessage:str

extension Span: WALEncodable {
    public static var walItemTag: UInt8 { 1 }

    /// Ids and timestamps (48) plus one byte for each of the 12 other fields.
    public static var walMinimumEncodedSize: Int { 60 }

    public var walSizeHint: Int {
        var total = 64 + traceState.utf8.count + name.utf8.count + status.message.utf8.count + attributes.walSizeHint
        for event in events { total += 12 + event.name.utf8.count + event.attributes.walSizeHint }
        for link in links { total += 36 + link.traceState.utf8.count + link.attributes.walSizeHint }
        return total
    }

    public func encode(to writer: inout WALWriter) {
        traceID.encode(to: &writer)
        spanID.encode(to: &writer)
        parentSpanID.encode(to: &writer)
        writer.writeString(traceState)
        writer.writeVarUInt(flags)
        writer.writeString(name)
        // Every case's raw value is 0...5, so one byte holds it.
        writer.writeByte(UInt8(truncatingIfNeeded: kind.rawValue))
        writer.writeFixed64(startTimeUnixNano)
        writer.writeFixed64(endTimeUnixNano)
        writer.writeAttributes(attributes)
        writer.writeVarUInt(droppedAttributesCount)
        writer.writeArray(events) { event, w in event.encode(to: &w) }
        writer.writeVarUInt(droppedEventsCount)
        writer.writeArray(links) { link, w in link.encode(to: &w) }
        writer.writeVarUInt(droppedLinksCount)
        writer.writeByte(UInt8(truncatingIfNeeded: status.code.rawValue))
        writer.writeString(status.message)
    }

    public init(from reader: inout WALReader) throws(WALDecodingError) {
        let traceID = try TraceID(from: &reader)
        let spanID = try SpanID(from: &reader)
        let parentSpanID = try SpanID(from: &reader)
        let traceState = try reader.readString()
        let flags = try reader.readVarUInt32()
        let name = try reader.readString()
        let kind = try reader.readEnum(SpanKind.self, field: "span kind")
        let start = try reader.readFixed64()
        let end = try reader.readFixed64()
        let attributes = try reader.readAttributes()
        let droppedAttributes = try reader.readVarUInt32()
        let events = try reader.readArray(minimumElementSize: 11) { r throws(WALDecodingError) in try SpanEvent(from: &r) }
        let droppedEvents = try reader.readVarUInt32()
        let links = try reader.readArray(minimumElementSize: 28) { r throws(WALDecodingError) in try SpanLink(from: &r) }
        let droppedLinks = try reader.readVarUInt32()
        let statusCode = try reader.readEnum(SpanStatus.Code.self, field: "status code")
        let statusMessage = try reader.readString()
        self.init(
            traceID: traceID, spanID: spanID, parentSpanID: parentSpanID, traceState: traceState, flags: flags,
            name: name, kind: kind, startTimeUnixNano: start, endTimeUnixNano: end,
            attributes: attributes, droppedAttributesCount: droppedAttributes,
            events: events, droppedEventsCount: droppedEvents,
            links: links, droppedLinksCount: droppedLinks,
            status: SpanStatus(code: statusCode, message: statusMessage))
    }
}

extension SpanEvent {
    func encode(to writer: inout WALWriter) {
        writer.writeFixed64(timeUnixNano)
        writer.writeString(name)
        writer.writeAttributes(attributes)
        writer.writeVarUInt(droppedAttributesCount)
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let time = try reader.readFixed64()
        let name = try reader.readString()
        let attributes = try reader.readAttributes()
        self.init(timeUnixNano: time, name: name, attributes: attributes,
                  droppedAttributesCount: try reader.readVarUInt32())
    }
}

extension SpanLink {
    func encode(to writer: inout WALWriter) {
        traceID.encode(to: &writer)
        spanID.encode(to: &writer)
        writer.writeString(traceState)
        writer.writeVarUInt(flags)
        writer.writeAttributes(attributes)
        writer.writeVarUInt(droppedAttributesCount)
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let traceID = try TraceID(from: &reader)
        let spanID = try SpanID(from: &reader)
        let traceState = try reader.readString()
        let flags = try reader.readVarUInt32()
        let attributes = try reader.readAttributes()
        self.init(traceID: traceID, spanID: spanID, traceState: traceState, flags: flags,
                  attributes: attributes, droppedAttributesCount: try reader.readVarUInt32())
    }
}
