import KansokuModel

/// `prometheus.Histogram` (types.proto): `count_int = 1 | count_float = 2`,
/// `sum = 3`, `schema = 4 (sint32)`, `zero_threshold = 5`,
/// `zero_count_int = 6 | zero_count_float = 7`, `negative_spans = 8`,
/// `negative_deltas = 9 (sint64)`, `negative_counts = 10`,
/// `positive_spans = 11`, `positive_deltas = 12`, `positive_counts = 13`,
/// `reset_hint = 14`, `timestamp = 15`, `custom_values = 16`;
/// `BucketSpan { offset = 1 (sint32); length = 2 (uint32) }`.
///
/// Wire problems fail the request like any other; whether the histogram makes
/// sense is ``RemoteWriteHistogram/sample()``'s business.
extension RemoteWriteDecodingState {
    func histogram(_ bytes: UnsafeRawBufferPointer) throws(ProtobufWireError) -> RemoteWriteHistogram {
        var reader = reader(bytes)
        var h = RemoteWriteHistogram()
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(type, .varint, field: "Histogram.count_int")
                h.count = .int(try reader.varint())
            case 2:
                try reader.expect(type, .fixed64, field: "Histogram.count_float")
                h.count = .float(Double(bitPattern: try reader.fixed64()))
            case 3:
                try reader.expect(type, .fixed64, field: "Histogram.sum")
                h.sum = Double(bitPattern: try reader.fixed64())
            case 4:
                try reader.expect(type, .varint, field: "Histogram.schema")
                h.schema = Self.zigZag32(try reader.varint())
            case 5:
                try reader.expect(type, .fixed64, field: "Histogram.zero_threshold")
                h.zeroThreshold = Double(bitPattern: try reader.fixed64())
            case 6:
                try reader.expect(type, .varint, field: "Histogram.zero_count_int")
                h.zeroCount = .int(try reader.varint())
            case 7:
                try reader.expect(type, .fixed64, field: "Histogram.zero_count_float")
                h.zeroCount = .float(Double(bitPattern: try reader.fixed64()))
            case 8:
                try reader.expect(type, .lengthDelimited, field: "Histogram.negative_spans")
                h.negativeSpans.append(try span(try reader.lengthDelimited()))
            case 9: try Self.signedVarints(&reader, type, field: "Histogram.negative_deltas", into: &h.negativeDeltas)
            case 10: try Self.doubles(&reader, type, field: "Histogram.negative_counts", into: &h.negativeCounts)
            case 11:
                try reader.expect(type, .lengthDelimited, field: "Histogram.positive_spans")
                h.positiveSpans.append(try span(try reader.lengthDelimited()))
            case 12: try Self.signedVarints(&reader, type, field: "Histogram.positive_deltas", into: &h.positiveDeltas)
            case 13: try Self.doubles(&reader, type, field: "Histogram.positive_counts", into: &h.positiveCounts)
            case 14:
                try reader.expect(type, .varint, field: "Histogram.reset_hint")
                h.resetHint = try reader.varint()
            case 15:
                try reader.expect(type, .varint, field: "Histogram.timestamp")
                h.timestamp = Int64(bitPattern: try reader.varint())
            case 16: try Self.doubles(&reader, type, field: "Histogram.custom_values", into: &h.customValues)
            default:
                try Self.skip(&reader, field: field, type: type)
            }
        }
        return h
    }

    func span(_ bytes: UnsafeRawBufferPointer) throws(ProtobufWireError) -> NativeHistogram.Span {
        var reader = reader(bytes)
        var span = NativeHistogram.Span(offset: 0, length: 0)
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(type, .varint, field: "BucketSpan.offset")
                span.offset = Self.zigZag32(try reader.varint())
            case 2:
                try reader.expect(type, .varint, field: "BucketSpan.length")
                // A uint32 sent as a wider varint keeps its low 32 bits, as Go's decoder does.
                span.length = UInt32(truncatingIfNeeded: try reader.varint())
            default:
                try Self.skip(&reader, field: field, type: type)
            }
        }
        return span
    }

    /// `sint32`: the low 32 bits, zigzag-decoded.
    static func zigZag32(_ raw: UInt64) -> Int32 {
        let bits = UInt32(truncatingIfNeeded: raw)
        return Int32(bitPattern: (bits >> 1) ^ (0 &- (bits & 1)))
    }

    static func zigZag64(_ raw: UInt64) -> Int64 {
        Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A repeated `sint64`, packed or not (a parser must accept both).
    static func signedVarints(_ reader: inout ProtobufReader, _ type: ProtobufReader.WireType, field: StaticString,
                              into values: inout [Int64]) throws(ProtobufWireError) {
        switch type {
        case .varint:
            values.append(zigZag64(try reader.varint()))
        case .lengthDelimited:
            var packed = try reader.message()
            while !packed.isAtEnd { values.append(zigZag64(try packed.varint())) }
        default:
            throw reader.error("field \(field) has wire type \(type.rawValue), want 0 or 2")
        }
    }

    /// A repeated `double`, packed or not.
    static func doubles(_ reader: inout ProtobufReader, _ type: ProtobufReader.WireType, field: StaticString,
                        into values: inout [Double]) throws(ProtobufWireError) {
        switch type {
        case .fixed64:
            values.append(Double(bitPattern: try reader.fixed64()))
        case .lengthDelimited:
            let bytes = try reader.lengthDelimited()
            guard bytes.count % 8 == 0 else {
                throw reader.error("field \(field) holds \(bytes.count) bytes, not a whole number of doubles")
            }
            values.reserveCapacity(values.count + bytes.count / 8)
            for offset in stride(from: 0, to: bytes.count, by: 8) {
                values.append(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
            }
        default:
            throw reader.error("field \(field) has wire type \(type.rawValue), want 1 or 2")
        }
    }
}
