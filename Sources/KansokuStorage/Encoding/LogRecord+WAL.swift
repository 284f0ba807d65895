import KansokuModel

// Log record layout (version 1):
//   time:fixed64 observedTime:fixed64 severityNumber:var severityText:str body:value
//   attrs droppedAttributes:uvar flags:uvar traceID:16 spanID:8 eventName:str

extension LogRecord: WALEncodable {
    public static var walItemTag: UInt8 { 2 }

    /// Timestamps and ids (40) plus one byte for each of the 7 other fields.
    public static var walMinimumEncodedSize: Int { 47 }

    public var walSizeHint: Int {
        48 + severityText.utf8.count + eventName.utf8.count + body.walSizeHint + attributes.walSizeHint
    }

    public func encode(to writer: inout WALWriter) {
        writer.writeFixed64(timeUnixNano)
        writer.writeFixed64(observedTimeUnixNano)
        writer.writeVarInt(severityNumber)
        writer.writeString(severityText)
        body.encode(to: &writer, depth: 0)
        writer.writeAttributes(attributes)
        writer.writeVarUInt(droppedAttributesCount)
        writer.writeVarUInt(flags)
        traceID.encode(to: &writer)
        spanID.encode(to: &writer)
        writer.writeString(eventName)
    }

    public init(from reader: inout WALReader) throws(WALDecodingError) {
        let time = try reader.readFixed64()
        let observedTime = try reader.readFixed64()
        let severityNumber = try reader.readVarInt32()
        let severityText = try reader.readString()
        let body = try AttributeValue(from: &reader, depth: 0)
        let attributes = try reader.readAttributes()
        let droppedAttributes = try reader.readVarUInt32()
        let flags = try reader.readVarUInt32()
        let traceID = try TraceID(from: &reader)
        let spanID = try SpanID(from: &reader)
        let eventName = try reader.readString()
        self.init(
            timeUnixNano: time, observedTimeUnixNano: observedTime, severityNumber: severityNumber,
            severityText: severityText, body: body, attributes: attributes,
            droppedAttributesCount: droppedAttributes, flags: flags,
            traceID: traceID, spanID: spanID, eventName: eventName)
    }
}
