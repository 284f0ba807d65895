/// A cursor over protobuf wire-format bytes: the primitives the direct OTLP
/// decoders are built from. It never reads outside its buffer; every length
/// is checked against what is left.
struct ProtobufReader {
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5
    }

    private let buffer: UnsafeRawBufferPointer
    private(set) var offset = 0
    /// Where `buffer` starts within the whole request, for error messages.
    private let base: Int

    init(_ buffer: UnsafeRawBufferPointer, base: Int = 0) {
        self.buffer = buffer
        self.base = base
    }

    var isAtEnd: Bool { offset >= buffer.count }

    /// The next field's number and wire type, or nil at the end of the buffer.
    mutating func nextField() throws(ProtobufWireError) -> (number: UInt64, type: WireType)? {
        guard !isAtEnd else { return nil }
        let key = try varint()
        guard let type = WireType(rawValue: UInt8(key & 7)), key >> 3 != 0 else {
            throw error("invalid field key \(key)")
        }
        return (key >> 3, type)
    }

    mutating func varint() throws(ProtobufWireError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < buffer.count {
            let byte = buffer[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw error("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        throw error("truncated varint")
    }

    mutating func fixed64() throws(ProtobufWireError) -> UInt64 {
        guard buffer.count - offset >= 8 else { throw error("truncated fixed64") }
        defer { offset += 8 }
        return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func fixed32() throws(ProtobufWireError) -> UInt32 {
        guard buffer.count - offset >= 4 else { throw error("truncated fixed32") }
        defer { offset += 4 }
        return UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// The bytes of a length-delimited field, without copying.
    mutating func lengthDelimited() throws(ProtobufWireError) -> UnsafeRawBufferPointer {
        let length = try varint()
        guard length <= UInt64(buffer.count - offset) else {
            throw error("length \(length) runs past the end of the message")
        }
        let start = offset
        offset += Int(length)
        return UnsafeRawBufferPointer(rebasing: buffer[start..<offset])
    }

    /// A reader over an embedded message, reporting offsets within the whole request.
    mutating func message() throws(ProtobufWireError) -> ProtobufReader {
        let bytes = try lengthDelimited()
        return ProtobufReader(bytes, base: base + offset - bytes.count)
    }

    /// A string field; invalid UTF-8 is repaired with U+FFFD rather than losing the item.
    mutating func string() throws(ProtobufWireError) -> String {
        String(decoding: try lengthDelimited(), as: UTF8.self)
    }

    mutating func bytes() throws(ProtobufWireError) -> [UInt8] {
        Array(try lengthDelimited())
    }

    /// Checks `type` is what the schema says for a field, so a mismatched encoder is reported, not misread.
    func expect(_ type: WireType, _ expected: WireType, field: StaticString) throws(ProtobufWireError) {
        guard type == expected else { throw error("field \(field) has wire type \(type.rawValue), want \(expected.rawValue)") }
    }

    /// Skips a field this decoder does not use, as protobuf requires of unknown fields.
    mutating func skip(_ type: WireType) throws(ProtobufWireError) {
        switch type {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .fixed32: _ = try fixed32()
        case .lengthDelimited: _ = try lengthDelimited()
        case .startGroup, .endGroup: throw error("groups are not used by OTLP")
        }
    }

    func error(_ reason: String) -> ProtobufWireError {
        ProtobufWireError(offset: base + offset, reason: reason)
    }
}

/// Bytes that are not valid protobuf, with where the problem was found.
struct ProtobufWireError: Error, CustomStringConvertible {
    var offset: Int
    var reason: String

    var description: String { "\(reason) at byte \(offset)" }
}
