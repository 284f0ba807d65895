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
        withUnsafePointer(to: self) { Self.encode(UnsafeBufferPointer(start: $0, count: 1), to: &writer) }
    }

    /// The records in turn, each read where it lies: the fields are loaded
    /// one by one, so only a string body is retained, where calling
    /// ``encode(to:)`` would copy (retain and release) every record.
    ///
    /// The usual record (a string body and no severity text, as every Loki
    /// push line is) takes three appends: the fixed fields up to the body's
    /// length, the body, the rest; any other goes field by field.
    public static func encode(_ records: UnsafeBufferPointer<LogRecord>, to writer: inout WALWriter) {
        for index in records.indices {
            guard case .string(let line) = records[index].body, records[index].severityText.isEmpty else {
                records[index].encodeFieldByField(to: &writer)
                continue
            }
            writer.writeRaw(maxCount: 8 + 8 + 10 + 1 + 1 + 10) { head in
                head.writeFixed64(records[index].timeUnixNano)
                head.writeFixed64(records[index].observedTimeUnixNano)
                head.writeVarInt(Int64(records[index].severityNumber))
                head.writeVarUInt(0)  // severityText, empty
                head.writeByte(WALTag.Value.string)
                head.writeVarUInt(UInt64(line.utf8.count))
            }
            writer.appendUTF8(line)
            let hasAttributes = !records[index].attributes.isEmpty
            if hasAttributes { writer.writeAttributes(records[index].attributes) }
            writer.writeRaw(maxCount: 1 + 10 + 10 + 16 + 8 + 10) { tail in
                if !hasAttributes { tail.writeVarUInt(0) }
                tail.writeVarUInt(UInt64(records[index].droppedAttributesCount))
                tail.writeVarUInt(UInt64(records[index].flags))
                tail.writeFixed64(records[index].traceID.high)
                tail.writeFixed64(records[index].traceID.low)
                tail.writeFixed64(records[index].spanID.value)
                tail.writeVarUInt(UInt64(records[index].eventName.utf8.count))
            }
            if !records[index].eventName.isEmpty { writer.appendUTF8(records[index].eventName) }
        }
    }

    /// Every field with its own append; any record.
    @inline(never)
    func encodeFieldByField(to writer: inout WALWriter) {
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
