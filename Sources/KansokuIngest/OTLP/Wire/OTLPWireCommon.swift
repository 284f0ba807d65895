import KansokuModel

/// Direct wire-format decoding of the OTLP messages all signals share
/// (field numbers from opentelemetry/proto/common and resource, v1).
///
/// A singular message field that appears twice replaces the first rather than
/// merging with it; no OTLP encoder writes that.
enum OTLPWireCommon {
    /// Attribute values nest (arrays, key/value lists); deeper than this is refused rather than risking the stack.
    static let maxNestingDepth = 64

    /// `AnyValue`.
    static func value(_ reader: inout ProtobufReader, depth: Int = 0) throws(ProtobufWireError) -> AttributeValue {
        guard depth < maxNestingDepth else { throw reader.error("attribute values nested deeper than \(maxNestingDepth)") }
        var value = AttributeValue.empty
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .lengthDelimited, field: "string_value"); value = .string(try reader.string())
            case 2: try reader.expect(type, .varint, field: "bool_value"); value = .bool(try reader.varint() != 0)
            case 3: try reader.expect(type, .varint, field: "int_value"); value = .int(Int64(bitPattern: try reader.varint()))
            case 4: try reader.expect(type, .fixed64, field: "double_value"); value = .double(Double(bitPattern: try reader.fixed64()))
            case 5:
                try reader.expect(type, .lengthDelimited, field: "array_value")
                var array = try reader.message()
                var values = [AttributeValue]()
                while let (inner, innerType) = try array.nextField() {
                    guard inner == 1 else { try array.skip(innerType); continue }
                    try array.expect(innerType, .lengthDelimited, field: "ArrayValue.values")
                    var element = try array.message()
                    values.append(try self.value(&element, depth: depth + 1))
                }
                value = .array(values)
            case 6:
                try reader.expect(type, .lengthDelimited, field: "kvlist_value")
                var list = try reader.message()
                var attributes = [Attribute]()
                while let (inner, innerType) = try list.nextField() {
                    guard inner == 1 else { try list.skip(innerType); continue }
                    try list.expect(innerType, .lengthDelimited, field: "KeyValueList.values")
                    var pair = try list.message()
                    attributes.append(try keyValue(&pair, depth: depth + 1))
                }
                value = .keyValueList(attributes)
            case 7: try reader.expect(type, .lengthDelimited, field: "bytes_value"); value = .bytes(try reader.bytes())
            case 8:
                // A reference into a profiles string table; other signals treat it as absent.
                try reader.expect(type, .varint, field: "string_value_strindex"); _ = try reader.varint(); value = .empty
            default: try reader.skip(type)
            }
        }
        return value
    }

    /// `KeyValue`.
    static func keyValue(_ reader: inout ProtobufReader, depth: Int = 0) throws(ProtobufWireError) -> Attribute {
        var attribute = Attribute(key: "", value: .empty)
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .lengthDelimited, field: "key"); attribute.key = try reader.string()
            case 2:
                try reader.expect(type, .lengthDelimited, field: "value")
                var inner = try reader.message()
                attribute.value = try value(&inner, depth: depth)
            default: try reader.skip(type)
            }
        }
        return attribute
    }

    /// Appends one `KeyValue` field occurrence to `attributes`.
    static func appendAttribute(_ reader: inout ProtobufReader, type: ProtobufReader.WireType,
                                to attributes: inout [Attribute]) throws(ProtobufWireError) {
        try reader.expect(type, .lengthDelimited, field: "attributes")
        var inner = try reader.message()
        attributes.append(try keyValue(&inner))
    }

    static func uint32(_ reader: inout ProtobufReader, type: ProtobufReader.WireType, field: StaticString) throws(ProtobufWireError) -> UInt32 {
        try reader.expect(type, .varint, field: field)
        return UInt32(truncatingIfNeeded: try reader.varint())
    }

    /// `Resource`.
    static func resource(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> Resource {
        var resource = Resource()
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try appendAttribute(&reader, type: type, to: &resource.attributes)
            case 2: resource.droppedAttributesCount = try uint32(&reader, type: type, field: "dropped_attributes_count")
            default: try reader.skip(type)
            }
        }
        return resource
    }

    /// `InstrumentationScope`.
    static func scope(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> InstrumentationScope {
        var scope = InstrumentationScope()
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .lengthDelimited, field: "name"); scope.name = try reader.string()
            case 2: try reader.expect(type, .lengthDelimited, field: "version"); scope.version = try reader.string()
            case 3: try appendAttribute(&reader, type: type, to: &scope.attributes)
            case 4: scope.droppedAttributesCount = try uint32(&reader, type: type, field: "dropped_attributes_count")
            default: try reader.skip(type)
            }
        }
        return scope
    }
}
