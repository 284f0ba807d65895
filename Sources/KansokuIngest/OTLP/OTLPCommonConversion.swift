import Foundation
import KansokuModel
import KansokuWire

/// Conversions of the OTLP types every signal shares. Conversion of values
/// never fails: everything OTLP can express has a place in the model.
enum OTLPCommon {
    typealias WireAnyValue = Opentelemetry_Proto_Common_V1_AnyValue
    typealias WireKeyValue = Opentelemetry_Proto_Common_V1_KeyValue

    static func value(_ wire: WireAnyValue) -> AttributeValue {
        switch wire.value {
        case .none: .empty
        case .stringValue(let s)?: .string(s)
        case .boolValue(let b)?: .bool(b)
        case .intValue(let i)?: .int(i)
        case .doubleValue(let d)?: .double(d)
        case .bytesValue(let data)?: .bytes([UInt8](data))
        case .arrayValue(let array)?: .array(array.values.map(value))
        case .kvlistValue(let list)?: .keyValueList(attributes(list.values))
        // A reference into a profiles string table; OTLP says other signals treat it as absent.
        case .stringValueStrindex?: .empty
        }
    }

    static func attributes(_ wire: [WireKeyValue]) -> [Attribute] {
        var result = [Attribute]()
        result.reserveCapacity(wire.count)
        for kv in wire {
            result.append(Attribute(key: kv.key, value: kv.hasValue ? value(kv.value) : .empty))
        }
        return result
    }

    static func resource(_ wire: Opentelemetry_Proto_Resource_V1_Resource) -> Resource {
        Resource(attributes: attributes(wire.attributes), droppedAttributesCount: wire.droppedAttributesCount)
    }

    static func scope(_ wire: Opentelemetry_Proto_Common_V1_InstrumentationScope) -> InstrumentationScope {
        InstrumentationScope(name: wire.name, version: wire.version,
                             attributes: attributes(wire.attributes),
                             droppedAttributesCount: wire.droppedAttributesCount)
    }

    /// A required trace id: exactly 16 bytes and not all zero.
    static func requiredTraceID(_ bytes: UnsafeRawBufferPointer, field: String) -> Result<TraceID, IDError> {
        guard let id = TraceID(bytes: bytes), !id.isZero else { return .failure(IDError(field: field, bytes: bytes, expected: 16)) }
        return .success(id)
    }

    /// A required span id: exactly 8 bytes and not all zero.
    static func requiredSpanID(_ bytes: UnsafeRawBufferPointer, field: String) -> Result<SpanID, IDError> {
        guard let id = SpanID(bytes: bytes), !id.isZero else { return .failure(IDError(field: field, bytes: bytes, expected: 8)) }
        return .success(id)
    }

    /// An optional trace id: empty means none, otherwise exactly 16 bytes.
    static func optionalTraceID(_ data: Data, field: String) -> Result<TraceID, IDError> {
        data.withUnsafeBytes { optionalTraceID($0, field: field) }
    }

    /// An optional span id: empty means none, otherwise exactly 8 bytes.
    static func optionalSpanID(_ data: Data, field: String) -> Result<SpanID, IDError> {
        data.withUnsafeBytes { optionalSpanID($0, field: field) }
    }

    /// An optional trace id: empty means none, otherwise exactly 16 bytes.
    static func optionalTraceID(_ bytes: UnsafeRawBufferPointer, field: String) -> Result<TraceID, IDError> {
        if bytes.isEmpty { return .success(.zero) }
        guard let id = TraceID(bytes: bytes) else { return .failure(IDError(field: field, bytes: bytes, expected: 16)) }
        return .success(id)
    }

    /// An optional span id: empty means none, otherwise exactly 8 bytes.
    static func optionalSpanID(_ bytes: UnsafeRawBufferPointer, field: String) -> Result<SpanID, IDError> {
        if bytes.isEmpty { return .success(.zero) }
        guard let id = SpanID(bytes: bytes) else { return .failure(IDError(field: field, bytes: bytes, expected: 8)) }
        return .success(id)
    }
}

/// An id of the wrong length (or all zero where an id is required).
struct IDError: Error, CustomStringConvertible {
    var field: String
    var bytes: [UInt8]
    var expected: Int

    init(field: String, bytes: UnsafeRawBufferPointer, expected: Int) {
        self.field = field
        self.bytes = Array(bytes.prefix(32))
        self.expected = expected
    }

    var description: String {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        if bytes.count == expected { return "\(field) \(hex) is all zero" }
        return "\(field) has \(bytes.count) bytes (\"\(hex)\"), want \(expected)"
    }
}
