import KansokuModel

// Attributes, their values, resources and scopes: the parts every signal shares.

extension AttributeValue {
    /// Writes the value; containers deeper than `WALFormat.maxNestingDepth`
    /// become `.empty` so the payload always decodes (see `WALFormat`).
    func encode(to writer: inout WALWriter, depth: Int) {
        switch self {
        case .empty:
            writer.writeByte(WALTag.Value.empty)
        case .string(let value):
            writer.writeByte(WALTag.Value.string)
            writer.writeString(value)
        case .bool(let value):
            writer.writeByte(WALTag.Value.bool)
            writer.writeBool(value)
        case .int(let value):
            writer.writeByte(WALTag.Value.int)
            writer.writeVarInt(value)
        case .double(let value):
            writer.writeByte(WALTag.Value.double)
            writer.writeDouble(value)
        case .bytes(let value):
            writer.writeByte(WALTag.Value.bytes)
            writer.writeBytes(value)
        case .array(let values):
            guard depth < WALFormat.maxNestingDepth else { return writer.writeByte(WALTag.Value.empty) }
            writer.writeByte(WALTag.Value.array)
            writer.writeArray(values) { value, w in value.encode(to: &w, depth: depth + 1) }
        case .keyValueList(let attributes):
            guard depth < WALFormat.maxNestingDepth else { return writer.writeByte(WALTag.Value.empty) }
            writer.writeByte(WALTag.Value.keyValueList)
            writer.writeAttributes(attributes, depth: depth + 1)
        }
    }

    init(from reader: inout WALReader, depth: Int) throws(WALDecodingError) {
        let start = reader.offset
        let tag = try reader.readByte()
        switch tag {
        case WALTag.Value.empty:
            self = .empty
        case WALTag.Value.string:
            self = .string(try reader.readString())
        case WALTag.Value.bool:
            self = .bool(try reader.readBool())
        case WALTag.Value.int:
            self = .int(try reader.readVarInt())
        case WALTag.Value.double:
            self = .double(try reader.readDouble())
        case WALTag.Value.bytes:
            self = .bytes(try reader.readBytes())
        case WALTag.Value.array:
            guard depth < WALFormat.maxNestingDepth else {
                throw reader.failure(.nestingTooDeep(limit: WALFormat.maxNestingDepth), at: start)
            }
            self = .array(try reader.readArray(minimumElementSize: 1) { r throws(WALDecodingError) in
                try AttributeValue(from: &r, depth: depth + 1)
            })
        case WALTag.Value.keyValueList:
            guard depth < WALFormat.maxNestingDepth else {
                throw reader.failure(.nestingTooDeep(limit: WALFormat.maxNestingDepth), at: start)
            }
            self = .keyValueList(try reader.readAttributes(depth: depth + 1))
        default:
            throw reader.failure(.invalidTag(field: "attribute value tag", value: UInt64(tag)), at: start)
        }
    }

    /// Rough encoded size; strings and bytes counted exactly, containers guessed.
    var walSizeHint: Int {
        switch self {
        case .empty, .bool: 2
        case .int, .double: 9
        case .string(let s): 3 + s.utf8.count
        case .bytes(let b): 3 + b.count
        case .array(let values): 3 + values.count * 10
        case .keyValueList(let attributes): 3 + attributes.count * 20
        }
    }
}

extension WALWriter {
    /// A count followed by key/value pairs, values at nesting `depth`.
    mutating func writeAttributes(_ attributes: [Attribute], depth: Int = 0) {
        writeCount(attributes.count)
        for attribute in attributes {
            writeString(attribute.key)
            attribute.value.encode(to: &self, depth: depth)
        }
    }
}

extension WALReader {
    mutating func readAttributes(depth: Int = 0) throws(WALDecodingError) -> [Attribute] {
        // A key length byte and a value tag at the least.
        try readArray(minimumElementSize: 2) { r throws(WALDecodingError) in
            let key = try r.readString()
            return Attribute(key: key, value: try AttributeValue(from: &r, depth: depth))
        }
    }
}

extension Array where Element == Attribute {
    var walSizeHint: Int {
        var total = 1
        for attribute in self {
            total += 1 + attribute.key.utf8.count + attribute.value.walSizeHint
        }
        return total
    }
}

extension Resource {
    func encode(to writer: inout WALWriter) {
        writer.writeAttributes(attributes)
        writer.writeVarUInt(droppedAttributesCount)
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let attributes = try reader.readAttributes()
        self.init(attributes: attributes, droppedAttributesCount: try reader.readVarUInt32())
    }
}

extension InstrumentationScope {
    func encode(to writer: inout WALWriter) {
        writer.writeString(name)
        writer.writeString(version)
        writer.writeAttributes(attributes)
        writer.writeVarUInt(droppedAttributesCount)
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let name = try reader.readString()
        let version = try reader.readString()
        let attributes = try reader.readAttributes()
        self.init(name: name, version: version, attributes: attributes,
                  droppedAttributesCount: try reader.readVarUInt32())
    }
}

extension TraceID {
    func encode(to writer: inout WALWriter) {
        writer.writeFixed64(high)
        writer.writeFixed64(low)
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let high = try reader.readFixed64()
        self.init(high: high, low: try reader.readFixed64())
    }
}

extension SpanID {
    func encode(to writer: inout WALWriter) {
        writer.writeFixed64(value)
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        self.init(try reader.readFixed64())
    }
}

extension WALReader {
    /// The resource and schema URL of a WAL payload's resource header, which
    /// ``TelemetryBatch/walk(walPayload:resource:scope:)`` found at `encoded`.
    static func resourceHeader(in payload: [UInt8], at encoded: Range<Int>) throws(WALDecodingError) -> (Resource, String) {
        var reader = WALReader(payload, at: encoded.lowerBound)
        let header = (try Resource(from: &reader), try reader.readString())
        assert(reader.offset == encoded.upperBound, "a resource header decoded to \(reader.offset), not \(encoded)")
        return header
    }

    /// The scope and schema URL of a WAL payload's scope header, which
    /// ``TelemetryBatch/walk(walPayload:resource:scope:)`` found at `encoded`.
    static func scopeHeader(in payload: [UInt8], at encoded: Range<Int>) throws(WALDecodingError) -> (InstrumentationScope, String) {
        var reader = WALReader(payload, at: encoded.lowerBound)
        let header = (try InstrumentationScope(from: &reader), try reader.readString())
        assert(reader.offset == encoded.upperBound, "a scope header decoded to \(reader.offset), not \(encoded)")
        return header
    }
}
