import KansokuModel

extension DebugItemRenderer {
    /// Appends one "Metric item" object per data point of the metrics in
    /// `batch` whose resource matches `filter`'s service name, at most `limit`
    /// of them. Metrics are not tied to one trace, so `filter.traceID` is
    /// ignored.
    ///
    /// - Returns: How many data points were written.
    @discardableResult
    public static func appendMetricPoints(of batch: MetricBatch, matching filter: DebugFilter,
                                          to json: inout JSONWriter, limit: Int) -> Int {
        forEachItem(of: batch, matching: filter, limit: limit) { metric, context, remaining in
            json.metricPoints(metric, context: &context, limit: remaining)
        }
    }
}

extension JSONWriter {
    /// The points of `metric`, at most `limit`; returns how many were written.
    fileprivate mutating func metricPoints(_ metric: Metric, context: inout DebugItemRenderer.Context, limit: Int) -> Int {
        switch metric.data {
        case .gauge(let points):
            for point in points.prefix(limit) {
                beginPoint(metric, type: "gauge", temporality: nil, monotonic: nil, point.header, context: &context)
                key("value"); number(point.value)
                endPoint(point.header)
            }
            return min(points.count, limit)
        case .sum(let sum):
            for point in sum.points.prefix(limit) {
                beginPoint(metric, type: "sum", temporality: sum.temporality, monotonic: sum.isMonotonic, point.header, context: &context)
                key("value"); number(point.value)
                endPoint(point.header)
            }
            return min(sum.points.count, limit)
        case .histogram(let histogram):
            for point in histogram.points.prefix(limit) {
                beginPoint(metric, type: "histogram", temporality: histogram.temporality, monotonic: nil, point.header, context: &context)
                key("count"); number(point.count)
                key("sum"); number(point.sum)
                key("min"); number(point.min)
                key("max"); number(point.max)
                key("bucketCounts"); numbers(point.bucketCounts)
                key("explicitBounds")
                beginArray()
                for bound in point.explicitBounds { number(bound) }
                endArray()
                endPoint(point.header)
            }
            return min(histogram.points.count, limit)
        case .exponentialHistogram(let histogram):
            for point in histogram.points.prefix(limit) {
                beginPoint(metric, type: "exponential_histogram", temporality: histogram.temporality, monotonic: nil,
                           point.header, context: &context)
                key("count"); number(point.count)
                key("sum"); number(point.sum)
                key("min"); number(point.min)
                key("max"); number(point.max)
                key("scale"); number(Int64(point.scale))
                key("zeroCount"); number(point.zeroCount)
                key("positive"); buckets(point.positive)
                key("negative"); buckets(point.negative)
                endPoint(point.header)
            }
            return min(histogram.points.count, limit)
        case .summary(let points):
            for point in points.prefix(limit) {
                beginPoint(metric, type: "summary", temporality: nil, monotonic: nil, point.header, context: &context)
                key("count"); number(point.count)
                key("sum"); number(point.sum)
                key("quantiles")
                beginArray()
                for quantile in point.quantiles {
                    beginObject()
                    key("quantile"); number(quantile.quantile)
                    key("value"); number(quantile.value)
                    endObject()
                }
                endArray()
                endPoint(point.header)
            }
            return min(points.count, limit)
        }
    }

    /// Opens a point's object and writes the members every type shares.
    private mutating func beginPoint(
        _ metric: Metric, type: StaticString, temporality: AggregationTemporality?, monotonic: Bool?,
        _ header: DataPointHeader, context: inout DebugItemRenderer.Context
    ) {
        beginObject()
        key("name"); string(metric.name)
        key("description"); string(metric.description)
        key("unit"); string(metric.unit)
        key("type"); writeValue { $0.appendQuotedASCII(type) }
        if let temporality {
            key("temporality")
            switch temporality {
            case .unspecified: writeValue { $0.appendQuotedASCII("unspecified") }
            case .delta: writeValue { $0.appendQuotedASCII("delta") }
            case .cumulative: writeValue { $0.appendQuotedASCII("cumulative") }
            }
        }
        if let monotonic { key("monotonic"); bool(monotonic) }
        key("attributes"); attributes(header.attributes)
        context.write(to: &self)
        key("startTimeUnixNano"); quotedNumber(header.startTimeUnixNano)
        key("timeUnixNano"); quotedNumber(header.timeUnixNano)
    }

    /// Writes the exemplars and closes the point's object.
    private mutating func endPoint(_ header: DataPointHeader) {
        key("exemplars")
        beginArray()
        for exemplar in header.exemplars {
            beginObject()
            key("timeUnixNano"); quotedNumber(exemplar.timeUnixNano)
            key("value"); number(exemplar.value)
            key("traceId"); id(exemplar.traceID)
            key("spanId"); id(exemplar.spanID)
            key("attributes"); attributes(exemplar.filteredAttributes)
            endObject()
        }
        endArray()
        endObject()
    }

    private mutating func buckets(_ buckets: ExponentialHistogramDataPoint.Buckets) {
        beginObject()
        key("offset"); number(Int64(buckets.offset))
        key("bucketCounts"); numbers(buckets.bucketCounts)
        endObject()
    }

    private mutating func numbers(_ values: [UInt64]) {
        beginArray()
        for value in values { number(value) }
        endArray()
    }

    /// An integer sample as an integer, a float sample as a double.
    private mutating func number(_ value: NumberValue) {
        switch value {
        case .int(let i): number(i)
        case .double(let d): number(d)
        }
    }

    /// A double, or null when absent (a histogram without sum, min or max).
    private mutating func number(_ value: Double?) {
        if let value { number(value) } else { null() }
    }

    private mutating func appendQuotedASCII(_ text: StaticString) {
        appendByte(UInt8(ascii: "\""))
        appendASCII(text)
        appendByte(UInt8(ascii: "\""))
    }
}
