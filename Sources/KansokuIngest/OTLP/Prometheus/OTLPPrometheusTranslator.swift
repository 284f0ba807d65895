import KansokuModel
import Synchronization

/// Translates OTLP metrics into Prometheus samples the way the OpenTelemetry
/// "Prometheus and OpenMetrics compatibility" spec and Prometheus 3's OTLP
/// receiver do (default settings: underscore escaping with suffixes, scope
/// labels on).
///
/// Per point, labels are the point's attributes (sanitised; colliding names
/// joined with `;`), then `otel_scope_name`, `otel_scope_version`,
/// `otel_scope_schema_url` and `otel_scope_<attribute>`, then `job`/`instance`
/// from the resource; later layers replace earlier ones on a name clash, as in
/// Prometheus. Each resource also yields one `target_info` gauge (value 1) at
/// its newest point time.
///
/// | OTLP                                   | Prometheus                                        |
/// |----------------------------------------|---------------------------------------------------|
/// | gauge                                  | gauge                                             |
/// | monotonic sum, cumulative              | counter `…_total`, with exemplars                 |
/// | monotonic sum, delta                   | counter `…_total` of the running total (below)    |
/// | non-monotonic sum (either temporality) | gauge; a delta one carries the delta value as is  |
/// | histogram, cumulative or delta         | `_bucket{le}` (cumulative counts), `_sum`, `_count` |
/// | summary                                | `{quantile}` series, `_sum`, `_count`             |
/// | exponential histogram, cumulative      | native histogram, with exemplars                  |
/// | exponential histogram, delta           | native histogram of the running total (below)     |
///
/// An exponential histogram is one native histogram series per point label
/// set, named like a classic histogram's family (no `_bucket`/`_count`
/// suffix); see ``OTLPExponentialHistogramConversion`` for the mapping
/// (scales above 8 reduced to schema 8, below −4 refused). Points that cannot
/// be converted are dropped one by one and reported in
/// ``OTLPTranslation/dropped``; Prometheus stops at the first and drops the
/// rest of the metric. Sums and (exponential) histograms with unspecified
/// temporality are dropped (Prometheus does the same).
///
/// Deltas: Prometheus 3 refuses delta temporality by default; with
/// `otlp-deltatocumulative` it accumulates deltas into cumulative series, and
/// with `otlp-native-delta-ingestion` it stores them as they are (delta
/// exponential histograms as gauge histograms). This translator always
/// accumulates, for every kind, so `rate` and `increase` work on the result.
///
/// A point flagged "no recorded value" becomes a staleness marker on every
/// series it would have written (a float one on a native histogram series).
/// Timestamps go from nanoseconds to milliseconds by floor division.
///
/// Delta points are accumulated per series (``OTLPDeltaAccumulator``), which is
/// the only state this type keeps; it sits behind a mutex so one translator can
/// serve concurrent requests.
public final class OTLPPrometheusTranslator: Sendable {
    private let deltas: Mutex<OTLPDeltaAccumulator>

    /// - Parameter deltaRetention: how long, in point time (nanoseconds), the
    ///   running total of a delta series that stopped reporting is remembered.
    public init(deltaRetention: UInt64 = 3_600_000_000_000) {
        deltas = Mutex(OTLPDeltaAccumulator(retention: deltaRetention))
    }

    /// Delta series currently remembered (for metrics and tests).
    public var deltaSeriesCount: Int { deltas.withLock { $0.seriesCount } }

    public func translate(_ batch: MetricBatch) -> OTLPTranslation {
        var collector = PrometheusSeriesCollector(expectedSeries: batch.dataPointCount)
        var dropped: [String] = []
        // Equal resources listed twice still get one target_info, at the newest time.
        var targets: [SeriesLabels: UInt64] = [:]
        var targetOrder: [SeriesLabels] = []

        for resourceItems in batch.resources {
            let resource = OTLPResourceLabels(resourceItems.resource)
            var newest: UInt64 = 0
            for scoped in resourceItems.scopes {
                let fixed = PrometheusLabelList.merge(Self.scopeLabels(scoped), resource.identity)
                for metric in scoped.items {
                    newest = max(newest, Self.newestTimestamp(metric))
                    translate(metric, fixed: fixed, into: &collector, dropped: &dropped)
                }
            }
            if newest > 0, let target = resource.targetInfo {
                if let seen = targets[target] {
                    targets[target] = max(seen, newest)
                } else {
                    targets[target] = newest
                    targetOrder.append(target)
                }
            }
        }
        if !targetOrder.isEmpty {
            collector.addMetadata(MetricFamilyMetadata(family: OTLPResourceLabels.targetInfoName, kind: .gauge, help: "Target metadata"))
            for target in targetOrder {
                collector.append(target, Sample(timestamp: Self.milliseconds(targets[target] ?? 0), value: 1))
            }
        }
        return OTLPTranslation(samples: collector.batch, dropped: dropped)
    }

    // MARK: - Per metric

    private func translate(_ metric: Metric, fixed: [SeriesLabel], into collector: inout PrometheusSeriesCollector, dropped: inout [String]) {
        let count = metric.dataPointCount
        guard count > 0 else { return }
        func drop(_ reason: String) {
            dropped.append("metric \"\(metric.name)\": \(reason) (\(count) point\(count == 1 ? "" : "s") dropped)")
        }

        let kind: PrometheusMetricName.Kind
        let family: MetricFamilyMetadata.Kind
        switch metric.data {
        case .gauge: (kind, family) = (.gauge, .gauge)
        case .sum(let sum):
            guard sum.temporality != .unspecified else { return drop("aggregation temporality is unspecified") }
            (kind, family) = sum.isMonotonic ? (.monotonicCounter, .counter) : (.nonMonotonicCounter, .gauge)
        case .histogram(let histogram):
            guard histogram.temporality != .unspecified else { return drop("aggregation temporality is unspecified") }
            (kind, family) = (.histogram, .histogram)
        case .exponentialHistogram(let histogram):
            guard histogram.temporality != .unspecified else { return drop("aggregation temporality is unspecified") }
            (kind, family) = (.exponentialHistogram, .histogram)
        case .summary: (kind, family) = (.summary, .summary)
        }
        guard let name = PrometheusMetricName.build(name: metric.name, unit: metric.unit, kind: kind) else {
            return drop("the name has no valid Prometheus form")
        }
        collector.addMetadata(MetricFamilyMetadata(family: name, kind: family, help: metric.description,
                                                   unit: PrometheusMetricName.unit(metric.unit)))

        switch metric.data {
        case .gauge(let points):
            // Exemplars on gauges are dropped, as the spec says.
            for point in points {
                collector.append(Self.identity(point.header, fixed, name), Self.sample(point.header, point.value.doubleValue))
            }
        case .sum(let sum) where !sum.isMonotonic:
            // Gauges: a delta non-monotonic sum has no meaningful total, so its delta passes through.
            for point in sum.points {
                collector.append(Self.identity(point.header, fixed, name), Self.sample(point.header, point.value.doubleValue))
            }
        case .sum(let sum) where sum.temporality == .cumulative:
            for point in sum.points {
                let position = collector.append(Self.identity(point.header, fixed, name), Self.sample(point.header, point.value.doubleValue))
                for exemplar in point.header.exemplars { collector.attach(OTLPExemplarConversion.convert(exemplar), to: position) }
            }
        case .sum(let sum):
            let rejected = appendDeltaSum(sum.points, name: name, fixed: fixed, into: &collector)
            if rejected > 0 { dropped.append(Self.outOfOrder(metric.name, rejected)) }
        case .histogram(let histogram) where histogram.temporality == .cumulative:
            for point in histogram.points {
                let base = Self.baseLabels(point.header, fixed)
                Self.appendHistogram(family: name, base: base, header: point.header, count: point.count, sum: point.sum,
                                     bounds: point.explicitBounds, bucketCounts: point.bucketCounts, into: &collector)
            }
        case .histogram(let histogram):
            let rejected = appendDeltaHistogram(histogram.points, name: name, fixed: fixed, into: &collector)
            if rejected > 0 { dropped.append(Self.outOfOrder(metric.name, rejected)) }
        case .summary(let points):
            for point in points { Self.appendSummary(point, family: name, fixed: fixed, into: &collector) }
        case .exponentialHistogram(let histogram):
            let problems = appendExponentialHistogram(histogram, name: name, fixed: fixed, into: &collector)
            if let first = problems.first {
                let count = problems.count
                dropped.append("metric \"\(metric.name)\": \(first) (\(count) point\(count == 1 ? "" : "s") dropped)")
            }
        }
    }

    /// Delta monotonic sums as counters of their running totals; returns how
    /// many points were out of order.
    private func appendDeltaSum(_ points: [NumberDataPoint], name: String, fixed: [SeriesLabel],
                                into collector: inout PrometheusSeriesCollector) -> Int {
        // Labels are built outside the lock; only the additions hold it.
        let identities = points.map { Self.identity($0.header, fixed, name) }
        let totals: [Double?] = deltas.withLock { accumulator in
            points.indices.map { i in
                if Self.isStale(points[i].header) {
                    accumulator.forget(identities[i])
                    return .nan
                }
                return accumulator.addSum(points[i].value.doubleValue, series: identities[i], end: points[i].header.timeUnixNano)
            }
        }
        var rejected = 0
        for i in points.indices {
            guard let total = totals[i] else { rejected += 1; continue }
            let position = collector.append(identities[i], Self.sample(points[i].header, total))
            for exemplar in points[i].header.exemplars { collector.attach(OTLPExemplarConversion.convert(exemplar), to: position) }
        }
        return rejected
    }

    /// Delta histograms as cumulative ones; returns how many points were out of order.
    private func appendDeltaHistogram(_ points: [HistogramDataPoint], name: String, fixed: [SeriesLabel],
                                      into collector: inout PrometheusSeriesCollector) -> Int {
        let bases = points.map { Self.baseLabels($0.header, fixed) }
        // The family-named identity keys the state: one entry for all of _bucket/_sum/_count.
        let identities = bases.map { PrometheusLabelList.series($0, name: name) }
        let totals: [OTLPDeltaAccumulator.HistogramTotals?] = deltas.withLock { accumulator in
            points.indices.map { i in
                if Self.isStale(points[i].header) {
                    accumulator.forget(identities[i])
                    let p = points[i]
                    return .init(bounds: p.explicitBounds, bucketCounts: p.bucketCounts, sum: p.sum, count: p.count, lastEnd: 0)
                }
                return accumulator.addHistogram(points[i], series: identities[i])
            }
        }
        var rejected = 0
        for i in points.indices {
            guard let total = totals[i] else { rejected += 1; continue }
            Self.appendHistogram(family: name, base: bases[i], header: points[i].header, count: total.count, sum: total.sum,
                                 bounds: total.bounds, bucketCounts: total.bucketCounts, into: &collector)
        }
        return rejected
    }

    /// Exponential histogram points as native histogram samples; a delta
    /// point is added to its series' running total. Returns why points were
    /// left out (conversion problems, out-of-order deltas), one per point.
    private func appendExponentialHistogram(_ data: ExponentialHistogramData, name: String, fixed: [SeriesLabel],
                                            into collector: inout PrometheusSeriesCollector) -> [String] {
        let points = data.points
        let identities = points.map { Self.identity($0.header, fixed, name) }
        var problems: [String] = []
        // nil for stale points (written as staleness markers below) and for points left out.
        var histograms: [NativeHistogram?] = points.map { point -> NativeHistogram? in
            guard !Self.isStale(point.header) else { return nil }
            do throws(OTLPExponentialHistogramProblem) {
                return try OTLPExponentialHistogramConversion.nativeHistogram(point)
            } catch {
                problems.append(error.description)
                return nil
            }
        }
        if data.temporality == .delta {
            deltas.withLock { accumulator in
                for i in points.indices {
                    if Self.isStale(points[i].header) {
                        accumulator.forget(identities[i])
                    } else if let delta = histograms[i] {
                        histograms[i] = accumulator.addNativeHistogram(delta, series: identities[i], end: points[i].header.timeUnixNano)
                        if histograms[i] == nil { problems.append("delta point at or before the last accumulated point") }
                    }
                }
            }
        }
        for i in points.indices {
            let header = points[i].header
            let position: Int
            if Self.isStale(header) {
                position = collector.append(identities[i], Self.sample(header, .nan))
            } else if let histogram = histograms[i] {
                position = collector.append(identities[i], HistogramSample(timestamp: Self.milliseconds(header.timeUnixNano), histogram: histogram))
            } else {
                continue
            }
            for exemplar in header.exemplars { collector.attach(OTLPExemplarConversion.convert(exemplar), to: position) }
        }
        return problems
    }

    // MARK: - Helpers

    /// Nanoseconds since the epoch → milliseconds, rounding down.
    @inline(__always)
    static func milliseconds(_ nanoseconds: UInt64) -> Int64 {
        Int64(nanoseconds / 1_000_000)
    }

    static let staleMarker = Double(bitPattern: Sample.staleMarkerBits)

    @inline(__always)
    static func isStale(_ header: DataPointHeader) -> Bool { header.flags & 1 != 0 }

    /// The point's sample, or a staleness marker at its time when it has no recorded value.
    @inline(__always)
    static func sample(_ header: DataPointHeader, _ value: Double) -> Sample {
        Sample(timestamp: milliseconds(header.timeUnixNano), value: isStale(header) ? staleMarker : value)
    }

    /// Point attributes under the scope and resource labels, without a metric name.
    @inline(__always)
    static func baseLabels(_ header: DataPointHeader, _ fixed: [SeriesLabel]) -> [SeriesLabel] {
        PrometheusLabelList.merge(PrometheusLabelList.fromAttributes(header.attributes), fixed)
    }

    @inline(__always)
    static func identity(_ header: DataPointHeader, _ fixed: [SeriesLabel], _ name: String) -> SeriesLabels {
        PrometheusLabelList.series(baseLabels(header, fixed), name: name)
    }

    /// `otel_scope_*` labels, sorted. Scope attributes that would take the
    /// name, version or schema URL label are dropped, as the spec requires.
    static func scopeLabels(_ scoped: ScopedItems<Metric>) -> [SeriesLabel] {
        let reserved: Set<String> = ["otel_scope_name", "otel_scope_version", "otel_scope_schema_url"]
        let attributes = PrometheusLabelList.fromAttributes(scoped.scope.attributes, prefix: "otel_scope_")
            .filter { !reserved.contains($0.name) }
        return PrometheusLabelList.merge(attributes, [
            SeriesLabel(name: "otel_scope_name", value: scoped.scope.name),
            SeriesLabel(name: "otel_scope_schema_url", value: scoped.schemaURL),
            SeriesLabel(name: "otel_scope_version", value: scoped.scope.version),
        ])
    }

    /// The newest point time of a metric, whatever its kind (target_info's time).
    static func newestTimestamp(_ metric: Metric) -> UInt64 {
        switch metric.data {
        case .gauge(let points): points.reduce(0) { max($0, $1.header.timeUnixNano) }
        case .sum(let sum): sum.points.reduce(0) { max($0, $1.header.timeUnixNano) }
        case .histogram(let h): h.points.reduce(0) { max($0, $1.header.timeUnixNano) }
        case .exponentialHistogram(let h): h.points.reduce(0) { max($0, $1.header.timeUnixNano) }
        case .summary(let points): points.reduce(0) { max($0, $1.header.timeUnixNano) }
        }
    }

    private static func outOfOrder(_ metric: String, _ count: Int) -> String {
        "metric \"\(metric)\": delta point\(count == 1 ? "" : "s") at or before the last accumulated point (\(count) point\(count == 1 ? "" : "s") dropped)"
    }
}
