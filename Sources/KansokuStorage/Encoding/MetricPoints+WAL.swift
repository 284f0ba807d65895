import KansokuModel

// Data point layouts (version 1):
//   header       := attrs start:fixed64 time:fixed64 flags:uvar count exemplar*
//   exemplar     := attrs time:fixed64 number traceID:16 spanID:8
//   number       := 0 value:var | 1 value:fixed64 (double bits)
//   numberPoint  := header number
//   histogram    := header count:uvar presence:u8 [sum:f64] [min:f64] [max:f64]
//                   count bucket:uvar* count bound:f64*
//   expHistogram := header count:uvar presence:u8 [sum] [min] [max] scale:var
//                   zeroCount:uvar zeroThreshold:f64 buckets(positive) buckets(negative)
//   buckets      := offset:var count bucket:uvar*
//   summary      := header count:uvar sum:f64 count (quantile:f64 value:f64)*
// `presence` has a bit per optional double (`WALTag.Presence`), so nil and 0 differ.

extension DataPointHeader {
    /// attrs, two timestamps, flags and the exemplar count.
    static let walMinimumEncodedSize = 19

    func encode(to writer: inout WALWriter) {
        writer.writeAttributes(attributes)
        writer.writeFixed64(startTimeUnixNano)
        writer.writeFixed64(timeUnixNano)
        writer.writeVarUInt(flags)
        writer.writeArray(exemplars) { exemplar, w in exemplar.encode(to: &w) }
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let attributes = try reader.readAttributes()
        let start = try reader.readFixed64()
        let time = try reader.readFixed64()
        let flags = try reader.readVarUInt32()
        let exemplars = try reader.readArray(minimumElementSize: Exemplar.walMinimumEncodedSize) {
            r throws(WALDecodingError) in try Exemplar(from: &r)
        }
        self.init(attributes: attributes, startTimeUnixNano: start, timeUnixNano: time, flags: flags, exemplars: exemplars)
    }
}

extension Exemplar {
    static let walMinimumEncodedSize = 35

    func encode(to writer: inout WALWriter) {
        writer.writeAttributes(filteredAttributes)
        writer.writeFixed64(timeUnixNano)
        value.encode(to: &writer)
        traceID.encode(to: &writer)
        spanID.encode(to: &writer)
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let attributes = try reader.readAttributes()
        let time = try reader.readFixed64()
        let value = try NumberValue(from: &reader)
        let traceID = try TraceID(from: &reader)
        self.init(filteredAttributes: attributes, timeUnixNano: time, value: value,
                  traceID: traceID, spanID: try SpanID(from: &reader))
    }
}

extension NumberValue {
    func encode(to writer: inout WALWriter) {
        switch self {
        case .int(let value):
            writer.writeByte(WALTag.Number.int)
            writer.writeVarInt(value)
        case .double(let value):
            writer.writeByte(WALTag.Number.double)
            writer.writeDouble(value)
        }
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let start = reader.offset
        switch try reader.readByte() {
        case WALTag.Number.int: self = .int(try reader.readVarInt())
        case WALTag.Number.double: self = .double(try reader.readDouble())
        case let other: throw reader.failure(.invalidTag(field: "number value tag", value: UInt64(other)), at: start)
        }
    }
}

extension NumberDataPoint {
    static let walMinimumEncodedSize = DataPointHeader.walMinimumEncodedSize + 2

    func encode(to writer: inout WALWriter) {
        header.encode(to: &writer)
        value.encode(to: &writer)
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let header = try DataPointHeader(from: &reader)
        self.init(header: header, value: try NumberValue(from: &reader))
    }
}

extension HistogramDataPoint {
    /// Header, count, presence byte and the two array counts.
    static let walMinimumEncodedSize = DataPointHeader.walMinimumEncodedSize + 4

    func encode(to writer: inout WALWriter) {
        header.encode(to: &writer)
        writer.writeVarUInt(count)
        writer.writeOptionalDoubles(sum: sum, min: min, max: max)
        writer.writeArray(bucketCounts) { count, w in w.writeVarUInt(count) }
        writer.writeArray(explicitBounds) { bound, w in w.writeDouble(bound) }
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let header = try DataPointHeader(from: &reader)
        let count = try reader.readVarUInt()
        let (sum, min, max) = try reader.readOptionalDoubles()
        let bucketCounts = try reader.readArray(minimumElementSize: 1) { r throws(WALDecodingError) in try r.readVarUInt() }
        let bounds = try reader.readArray(minimumElementSize: 8) { r throws(WALDecodingError) in try r.readDouble() }
        self.init(header: header, count: count, sum: sum, bucketCounts: bucketCounts, explicitBounds: bounds, min: min, max: max)
    }
}

extension ExponentialHistogramDataPoint {
    /// Header, count, presence, scale, zero count, zero threshold and two bucket runs.
    static let walMinimumEncodedSize = DataPointHeader.walMinimumEncodedSize + 16

    func encode(to writer: inout WALWriter) {
        header.encode(to: &writer)
        writer.writeVarUInt(count)
        writer.writeOptionalDoubles(sum: sum, min: min, max: max)
        writer.writeVarInt(scale)
        writer.writeVarUInt(zeroCount)
        writer.writeDouble(zeroThreshold)
        positive.encode(to: &writer)
        negative.encode(to: &writer)
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let header = try DataPointHeader(from: &reader)
        let count = try reader.readVarUInt()
        let (sum, min, max) = try reader.readOptionalDoubles()
        let scale = try reader.readVarInt32()
        let zeroCount = try reader.readVarUInt()
        let zeroThreshold = try reader.readDouble()
        let positive = try Buckets(from: &reader)
        let negative = try Buckets(from: &reader)
        self.init(header: header, count: count, sum: sum, scale: scale, zeroCount: zeroCount, zeroThreshold: zeroThreshold,
                  positive: positive, negative: negative, min: min, max: max)
    }
}

extension ExponentialHistogramDataPoint.Buckets {
    func encode(to writer: inout WALWriter) {
        writer.writeVarInt(offset)
        writer.writeArray(bucketCounts) { count, w in w.writeVarUInt(count) }
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let offset = try reader.readVarInt32()
        let counts = try reader.readArray(minimumElementSize: 1) { r throws(WALDecodingError) in try r.readVarUInt() }
        self.init(offset: offset, bucketCounts: counts)
    }
}

extension SummaryDataPoint {
    /// Header, count, sum and the quantile count.
    static let walMinimumEncodedSize = DataPointHeader.walMinimumEncodedSize + 10

    func encode(to writer: inout WALWriter) {
        header.encode(to: &writer)
        writer.writeVarUInt(count)
        writer.writeDouble(sum)
        writer.writeArray(quantiles) { quantile, w in
            w.writeDouble(quantile.quantile)
            w.writeDouble(quantile.value)
        }
    }

    init(from reader: inout WALReader) throws(WALDecodingError) {
        let header = try DataPointHeader(from: &reader)
        let count = try reader.readVarUInt()
        let sum = try reader.readDouble()
        let quantiles = try reader.readArray(minimumElementSize: 16) { r throws(WALDecodingError) in
            let quantile = try r.readDouble()
            return Quantile(quantile: quantile, value: try r.readDouble())
        }
        self.init(header: header, count: count, sum: sum, quantiles: quantiles)
    }
}

extension WALWriter {
    /// The presence byte, then each present value.
    mutating func writeOptionalDoubles(sum: Double?, min: Double?, max: Double?) {
        var presence: UInt8 = 0
        if sum != nil { presence |= WALTag.Presence.sum }
        if min != nil { presence |= WALTag.Presence.min }
        if max != nil { presence |= WALTag.Presence.max }
        writeByte(presence)
        if let sum { writeDouble(sum) }
        if let min { writeDouble(min) }
        if let max { writeDouble(max) }
    }
}

extension WALReader {
    mutating func readOptionalDoubles() throws(WALDecodingError) -> (sum: Double?, min: Double?, max: Double?) {
        let start = offset
        let presence = try readByte()
        guard presence & ~WALTag.Presence.all == 0 else {
            throw failure(.invalidTag(field: "optional value bits", value: UInt64(presence)), at: start)
        }
        let sum = presence & WALTag.Presence.sum != 0 ? try readDouble() : nil
        let min = presence & WALTag.Presence.min != 0 ? try readDouble() : nil
        let max = presence & WALTag.Presence.max != 0 ? try readDouble() : nil
        return (sum, min, max)
    }
}
