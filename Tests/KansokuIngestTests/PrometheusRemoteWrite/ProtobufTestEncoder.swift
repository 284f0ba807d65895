/// A tiny protobuf encoder for the decoder tests, independent of the
/// decoders under test.
struct ProtobufTestEncoder {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func tag(_ field: Int, _ wireType: UInt8) { varint(UInt64(field) << 3 | UInt64(wireType)) }

    mutating func varintField(_ field: Int, _ value: UInt64) { tag(field, 0); varint(value) }
    mutating func int64Field(_ field: Int, _ value: Int64) { varintField(field, UInt64(bitPattern: value)) }

    mutating func fixed64Field(_ field: Int, _ value: UInt64) {
        tag(field, 1)
        fixed64(value)
    }

    /// 8 little-endian bytes, no tag (packed repeated doubles).
    mutating func fixed64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func fixed32Field(_ field: Int, _ value: UInt32) {
        tag(field, 5)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func doubleField(_ field: Int, _ value: Double) { fixed64Field(field, value.bitPattern) }

    mutating func bytesField(_ field: Int, _ value: [UInt8]) {
        tag(field, 2)
        varint(UInt64(value.count))
        bytes += value
    }

    mutating func stringField(_ field: Int, _ value: String) { bytesField(field, Array(value.utf8)) }

    mutating func messageField(_ field: Int, _ build: (inout ProtobufTestEncoder) -> Void) {
        var inner = ProtobufTestEncoder()
        build(&inner)
        bytesField(field, inner.bytes)
    }

    mutating func group(_ field: Int, _ build: (inout ProtobufTestEncoder) -> Void) {
        tag(field, 3)
        build(&self)
        tag(field, 4)
    }

    mutating func sint32Field(_ field: Int, _ value: Int32) { varintField(field, Self.zigZag(Int64(value))) }

    static func zigZag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
}
