import KansokuModel

/// The binary form of a ``NativeHistogram`` in the metrics WAL and in
/// histogram chunks:
///
/// ```text
/// histogram := hint:u8 schema:svar zeroThreshold:f64 zeroCount:f64 count:f64 sum:f64
///              spans(positive) buckets(positive) spans(negative) buckets(negative) customValues
/// spans     := count (offset:svar length:uvar)*
/// buckets   := count f64*            (absolute counts)
/// customValues := count f64*
/// ```
///
/// Counts stay floats, so integer and float histograms alike round-trip
/// exactly; chunks are zstd-compressed in blocks, which takes care of the
/// repetition between neighbouring samples.
extension NativeHistogram {
    func write(to writer: inout WALWriter) {
        writer.writeByte(counterResetHint.rawValue)
        writer.writeVarInt(schema)
        writer.writeDouble(zeroThreshold)
        writer.writeDouble(zeroCount)
        writer.writeDouble(count)
        writer.writeDouble(sum)
        Self.write(positiveSpans, positiveBuckets, to: &writer)
        Self.write(negativeSpans, negativeBuckets, to: &writer)
        writer.writeCount(customValues.count)
        for value in customValues { writer.writeDouble(value) }
    }

    private static func write(_ spans: [Span], _ buckets: [Double], to writer: inout WALWriter) {
        writer.writeCount(spans.count)
        for span in spans {
            writer.writeVarInt(span.offset)
            writer.writeVarUInt(span.length)
        }
        writer.writeCount(buckets.count)
        for bucket in buckets { writer.writeDouble(bucket) }
    }

    /// Reads what `write(to:)` wrote, checking that the spans describe as
    /// many buckets as there are and that the schema is one Prometheus knows.
    init(from reader: inout WALReader) throws(WALDecodingError) {
        let hint = try reader.readByte()
        guard let counterResetHint = CounterResetHint(rawValue: hint) else {
            throw reader.failure(.invalidTag(field: "histogram counter reset hint", value: UInt64(hint)))
        }
        let schema = try reader.readVarInt32()
        guard schema == Self.customBucketsSchema || Self.standardSchemas.contains(schema) else {
            throw reader.failure(.invalidTag(field: "histogram schema", value: UInt64(bitPattern: Int64(schema))))
        }
        self.init(counterResetHint: counterResetHint, schema: schema, zeroThreshold: try reader.readDouble(),
                  zeroCount: try reader.readDouble(), count: try reader.readDouble(), sum: try reader.readDouble())
        (positiveSpans, positiveBuckets) = try Self.readBuckets(&reader)
        (negativeSpans, negativeBuckets) = try Self.readBuckets(&reader)
        let customCount = try reader.readCount(minimumElementSize: 8)
        customValues.reserveCapacity(customCount)
        for _ in 0..<customCount { customValues.append(try reader.readDouble()) }
    }

    private static func readBuckets(_ reader: inout WALReader) throws(WALDecodingError) -> ([Span], [Double]) {
        let spans = try reader.readArray(minimumElementSize: 2) { r throws(WALDecodingError) in
            Span(offset: try r.readVarInt32(), length: try r.readVarUInt32())
        }
        let described = spans.reduce(0) { $0 + Int($1.length) }
        let count = try reader.readCount(minimumElementSize: 8)
        guard count == described else {
            throw reader.failure(.valueOutOfRange(value: UInt64(count), maximum: UInt64(described)))
        }
        var buckets: [Double] = []
        buckets.reserveCapacity(count)
        for _ in 0..<count { buckets.append(try reader.readDouble()) }
        return (spans, buckets)
    }
}
