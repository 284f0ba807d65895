import KansokuModel

// Metric layout (version 1):
//   name:str description:str unit:str metadata:attrs kind:u8, then by kind
//     gauge:                 count numberPoint*
//     sum:                   temporality:u8 monotonic:bool count numberPoint*
//     histogram:             temporality:u8 count histogramPoint*
//     exponential histogram: temporality:u8 count exponentialHistogramPoint*
//     summary:               count summaryPoint*
// Point layouts are in `MetricPoints+WAL.swift`.

extension Metric: WALEncodable {
    public static var walItemTag: UInt8 { 3 }

    /// Three strings, the metadata count, the kind and the point count.
    public static var walMinimumEncodedSize: Int { 6 }

    public var walSizeHint: Int {
        let perPoint: Int
        switch data {
        case .gauge, .sum: perPoint = 32
        case .histogram(let h): perPoint = 64 + 16 * (h.points.first?.bucketCounts.count ?? 0)
        case .exponentialHistogram(let h): perPoint = 80 + 4 * (h.points.first.map { $0.positive.bucketCounts.count + $0.negative.bucketCounts.count } ?? 0)
        case .summary(let points): perPoint = 48 + 16 * (points.first?.quantiles.count ?? 0)
        }
        return 16 + name.utf8.count + description.utf8.count + unit.utf8.count + metadata.walSizeHint
            + dataPointCount * perPoint
    }

    public func encode(to writer: inout WALWriter) {
        writer.writeString(name)
        writer.writeString(description)
        writer.writeString(unit)
        writer.writeAttributes(metadata)
        switch data {
        case .gauge(let points):
            writer.writeByte(WALTag.MetricKind.gauge)
            writer.writeArray(points) { point, w in point.encode(to: &w) }
        case .sum(let sum):
            writer.writeByte(WALTag.MetricKind.sum)
            writer.writeTemporality(sum.temporality)
            writer.writeBool(sum.isMonotonic)
            writer.writeArray(sum.points) { point, w in point.encode(to: &w) }
        case .histogram(let histogram):
            writer.writeByte(WALTag.MetricKind.histogram)
            writer.writeTemporality(histogram.temporality)
            writer.writeArray(histogram.points) { point, w in point.encode(to: &w) }
        case .exponentialHistogram(let histogram):
            writer.writeByte(WALTag.MetricKind.exponentialHistogram)
            writer.writeTemporality(histogram.temporality)
            writer.writeArray(histogram.points) { point, w in point.encode(to: &w) }
        case .summary(let points):
            writer.writeByte(WALTag.MetricKind.summary)
            writer.writeArray(points) { point, w in point.encode(to: &w) }
        }
    }

    public init(from reader: inout WALReader) throws(WALDecodingError) {
        let name = try reader.readString()
        let description = try reader.readString()
        let unit = try reader.readString()
        let metadata = try reader.readAttributes()
        let kindOffset = reader.offset
        let data: MetricData
        switch try reader.readByte() {
        case WALTag.MetricKind.gauge:
            data = .gauge(try reader.readArray(minimumElementSize: NumberDataPoint.walMinimumEncodedSize) {
                r throws(WALDecodingError) in try NumberDataPoint(from: &r)
            })
        case WALTag.MetricKind.sum:
            let temporality = try reader.readEnum(AggregationTemporality.self, field: "aggregation temporality")
            let isMonotonic = try reader.readBool()
            let points = try reader.readArray(minimumElementSize: NumberDataPoint.walMinimumEncodedSize) {
                r throws(WALDecodingError) in try NumberDataPoint(from: &r)
            }
            data = .sum(SumData(points: points, temporality: temporality, isMonotonic: isMonotonic))
        case WALTag.MetricKind.histogram:
            let temporality = try reader.readEnum(AggregationTemporality.self, field: "aggregation temporality")
            let points = try reader.readArray(minimumElementSize: HistogramDataPoint.walMinimumEncodedSize) {
                r throws(WALDecodingError) in try HistogramDataPoint(from: &r)
            }
            data = .histogram(HistogramData(points: points, temporality: temporality))
        case WALTag.MetricKind.exponentialHistogram:
            let temporality = try reader.readEnum(AggregationTemporality.self, field: "aggregation temporality")
            let points = try reader.readArray(minimumElementSize: ExponentialHistogramDataPoint.walMinimumEncodedSize) {
                r throws(WALDecodingError) in try ExponentialHistogramDataPoint(from: &r)
            }
            data = .exponentialHistogram(ExponentialHistogramData(points: points, temporality: temporality))
        case WALTag.MetricKind.summary:
            data = .summary(try reader.readArray(minimumElementSize: SummaryDataPoint.walMinimumEncodedSize) {
                r throws(WALDecodingError) in try SummaryDataPoint(from: &r)
            })
        case let other:
            throw reader.failure(.invalidTag(field: "metric kind", value: UInt64(other)), at: kindOffset)
        }
        self.init(name: name, description: description, unit: unit, metadata: metadata, data: data)
    }
}

extension WALWriter {
    /// Every case's raw value is 0...2, so one byte holds it.
    mutating func writeTemporality(_ temporality: AggregationTemporality) {
        writeByte(UInt8(truncatingIfNeeded: temporality.rawValue))
    }
}
