import KansokuModel
import KansokuWire

/// OTLP `ExportMetricsServiceRequest` → ``MetricBatch``. Rejections are
/// counted in data points, as OTLP's `rejected_data_points` is.
enum OTLPMetricConversion {
    typealias WireMetric = Opentelemetry_Proto_Metrics_V1_Metric

    static func convert(_ request: Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceRequest) -> ConversionOutcome<Metric> {
        var outcome = ConversionOutcome<Metric>()
        for r in request.resourceMetrics.indices {
            let resourceMetrics = request.resourceMetrics[r]
            var scopes = [ScopedItems<Metric>]()
            for s in resourceMetrics.scopeMetrics.indices {
                let scopeMetrics = resourceMetrics.scopeMetrics[s]
                var metrics = [Metric]()
                metrics.reserveCapacity(scopeMetrics.metrics.count)
                for i in scopeMetrics.metrics.indices {
                    let wire = scopeMetrics.metrics[i]
                    let path = "resource_metrics[\(r)].scope_metrics[\(s)].metrics[\(i)] (\"\(wire.name)\")"
                    if let metric = metric(wire, path: path, outcome: &outcome) { metrics.append(metric) }
                }
                guard !metrics.isEmpty else { continue }
                scopes.append(ScopedItems(scope: OTLPCommon.scope(scopeMetrics.scope), schemaURL: scopeMetrics.schemaURL, items: metrics))
            }
            guard !scopes.isEmpty else { continue }
            outcome.batch.resources.append(
                ResourceItems(resource: OTLPCommon.resource(resourceMetrics.resource), schemaURL: resourceMetrics.schemaURL, scopes: scopes))
        }
        return outcome
    }

    /// The metric with its valid points, or nil when none is left; rejections go to `outcome`.
    static func metric(_ wire: WireMetric, path: String, outcome: inout ConversionOutcome<Metric>) -> Metric? {
        let data: MetricData
        switch wire.data {
        case .none:
            outcome.reject(0, "\(path): metric has no data (gauge, sum, histogram, exponential_histogram or summary)")
            return nil
        case .gauge(let gauge)?:
            data = .gauge(keepValid(gauge.dataPoints, path: path, outcome: &outcome, convert: numberPoint))
        case .sum(let sum)?:
            data = .sum(SumData(points: keepValid(sum.dataPoints, path: path, outcome: &outcome, convert: numberPoint),
                                temporality: temporality(sum.aggregationTemporality.rawValue), isMonotonic: sum.isMonotonic))
        case .histogram(let histogram)?:
            data = .histogram(HistogramData(points: keepValid(histogram.dataPoints, path: path, outcome: &outcome, convert: histogramPoint),
                                            temporality: temporality(histogram.aggregationTemporality.rawValue)))
        case .exponentialHistogram(let histogram)?:
            data = .exponentialHistogram(ExponentialHistogramData(
                points: keepValid(histogram.dataPoints, path: path, outcome: &outcome, convert: exponentialPoint),
                temporality: temporality(histogram.aggregationTemporality.rawValue)))
        case .summary(let summary)?:
            data = .summary(keepValid(summary.dataPoints, path: path, outcome: &outcome, convert: summaryPoint))
        }
        guard !wire.name.isEmpty else {
            let metric = Metric(name: "", data: data)
            outcome.reject(metric.dataPointCount, "\(path): metric name is empty")
            return nil
        }
        let metric = Metric(name: wire.name, description: wire.description_p, unit: wire.unit,
                            metadata: OTLPCommon.attributes(wire.metadata), data: data)
        return metric.dataPointCount > 0 ? metric : nil
    }

    private static func keepValid<Wire, Point>(
        _ points: [Wire], path: String, outcome: inout ConversionOutcome<Metric>,
        convert: (Wire) -> Result<Point, PointError>
    ) -> [Point] {
        var kept = [Point]()
        kept.reserveCapacity(points.count)
        for index in points.indices {
            let wire = points[index]
            switch convert(wire) {
            case .success(let point): kept.append(point)
            case .failure(let error): outcome.reject(1, "\(path).data_points[\(index)]: \(error)")
            }
        }
        return kept
    }

    private static func temporality(_ raw: Int) -> AggregationTemporality {
        AggregationTemporality(rawValue: Int32(truncatingIfNeeded: raw)) ?? .unspecified
    }

    private static func number(_ value: Opentelemetry_Proto_Metrics_V1_NumberDataPoint.OneOf_Value?) -> NumberValue {
        switch value {
        case .asInt(let i)?: .int(i)
        case .asDouble(let d)?: .double(d)
        case .none: .double(0)
        }
    }

    private static func header(
        attributes: [OTLPCommon.WireKeyValue], start: UInt64, time: UInt64, flags: UInt32,
        exemplars: [Opentelemetry_Proto_Metrics_V1_Exemplar]
    ) -> Result<DataPointHeader, PointError> {
        var converted = [Exemplar]()
        converted.reserveCapacity(exemplars.count)
        for index in exemplars.indices {
            let wire = exemplars[index]
            let traceID: TraceID, spanID: SpanID
            switch (OTLPCommon.optionalTraceID(wire.traceID, field: "exemplars[\(index)].trace_id"),
                    OTLPCommon.optionalSpanID(wire.spanID, field: "exemplars[\(index)].span_id")) {
            case (.success(let t), .success(let s)): (traceID, spanID) = (t, s)
            case (.failure(let e), _), (_, .failure(let e)): return .failure(.invalidID(e))
            }
            let value: NumberValue = switch wire.value {
            case .asInt(let i)?: .int(i)
            case .asDouble(let d)?: .double(d)
            case .none: .double(0)
            }
            converted.append(Exemplar(filteredAttributes: OTLPCommon.attributes(wire.filteredAttributes),
                                      timeUnixNano: wire.timeUnixNano, value: value, traceID: traceID, spanID: spanID))
        }
        return .success(DataPointHeader(attributes: OTLPCommon.attributes(attributes), startTimeUnixNano: start,
                                        timeUnixNano: time, flags: flags, exemplars: converted))
    }

    static func numberPoint(_ wire: Opentelemetry_Proto_Metrics_V1_NumberDataPoint) -> Result<NumberDataPoint, PointError> {
        header(attributes: wire.attributes, start: wire.startTimeUnixNano, time: wire.timeUnixNano,
               flags: wire.flags, exemplars: wire.exemplars)
            .map { NumberDataPoint(header: $0, value: number(wire.value)) }
    }

    static func histogramPoint(_ wire: Opentelemetry_Proto_Metrics_V1_HistogramDataPoint) -> Result<HistogramDataPoint, PointError> {
        if !wire.bucketCounts.isEmpty && wire.bucketCounts.count != wire.explicitBounds.count + 1 {
            return .failure(.bucketMismatch(buckets: wire.bucketCounts.count, bounds: wire.explicitBounds.count))
        }
        return header(attributes: wire.attributes, start: wire.startTimeUnixNano, time: wire.timeUnixNano,
                      flags: wire.flags, exemplars: wire.exemplars).map {
            HistogramDataPoint(header: $0, count: wire.count, sum: wire.hasSum ? wire.sum : nil,
                               bucketCounts: wire.bucketCounts, explicitBounds: wire.explicitBounds,
                               min: wire.hasMin ? wire.min : nil, max: wire.hasMax ? wire.max : nil)
        }
    }

    static func exponentialPoint(
        _ wire: Opentelemetry_Proto_Metrics_V1_ExponentialHistogramDataPoint
    ) -> Result<ExponentialHistogramDataPoint, PointError> {
        header(attributes: wire.attributes, start: wire.startTimeUnixNano, time: wire.timeUnixNano,
               flags: wire.flags, exemplars: wire.exemplars).map {
            ExponentialHistogramDataPoint(
                header: $0, count: wire.count, sum: wire.hasSum ? wire.sum : nil, scale: wire.scale,
                zeroCount: wire.zeroCount, zeroThreshold: wire.zeroThreshold,
                positive: .init(offset: wire.positive.offset, bucketCounts: wire.positive.bucketCounts),
                negative: .init(offset: wire.negative.offset, bucketCounts: wire.negative.bucketCounts),
                min: wire.hasMin ? wire.min : nil, max: wire.hasMax ? wire.max : nil)
        }
    }

    static func summaryPoint(_ wire: Opentelemetry_Proto_Metrics_V1_SummaryDataPoint) -> Result<SummaryDataPoint, PointError> {
        header(attributes: wire.attributes, start: wire.startTimeUnixNano, time: wire.timeUnixNano,
               flags: wire.flags, exemplars: []).map {
            SummaryDataPoint(header: $0, count: wire.count, sum: wire.sum,
                             quantiles: wire.quantileValues.map { .init(quantile: $0.quantile, value: $0.value) })
        }
    }

    /// Why one data point was rejected.
    enum PointError: Error, CustomStringConvertible {
        case invalidID(IDError)
        case bucketMismatch(buckets: Int, bounds: Int)

        var description: String {
            switch self {
            case .invalidID(let error): error.description
            case .bucketMismatch(let buckets, let bounds):
                "histogram has \(buckets) bucket_counts for \(bounds) explicit_bounds, want \(bounds + 1)"
            }
        }
    }
}
