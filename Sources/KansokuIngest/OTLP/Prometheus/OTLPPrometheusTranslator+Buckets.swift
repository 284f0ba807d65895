import KansokuModel

/// Classic histograms and summaries: the multi-series metric kinds.
extension OTLPPrometheusTranslator {
    /// One histogram point as `_sum` (when the point has one), `_count` and a
    /// `_bucket` series per explicit bound plus `le="+Inf"`, with bucket counts
    /// made cumulative. Exemplars go to the lowest bucket whose bound covers
    /// their value. `le` is written as Go's `FormatFloat(…, 'f', -1)` (`0.005`, `1`).
    static func appendHistogram(family: String, base: [SeriesLabel], header: DataPointHeader, count: UInt64, sum: Double?,
                                bounds: [Double], bucketCounts: [UInt64], into collector: inout PrometheusSeriesCollector) {
        let timestamp = milliseconds(header.timeUnixNano)
        let stale = isStale(header)
        func sample(_ value: Double) -> Sample { Sample(timestamp: timestamp, value: stale ? staleMarker : value) }

        if let sum {
            collector.append(PrometheusLabelList.series(base, name: family + "_sum"), sample(sum))
        }
        collector.append(PrometheusLabelList.series(base, name: family + "_count"), sample(Double(count)))

        let bucketName = family + "_bucket"
        var buckets: [(bound: Double, position: Int)] = []
        buckets.reserveCapacity(bounds.count + 1)
        var cumulative: UInt64 = 0
        // OTLP has one more count than bounds; a malformed point is read as far as both go.
        for i in 0..<min(bounds.count, bucketCounts.count) {
            cumulative &+= bucketCounts[i]
            let le = SeriesLabel(name: "le", value: GoFloatFormat.fixed(bounds[i]))
            let position = collector.append(PrometheusLabelList.series(base, name: bucketName, extra: le), sample(Double(cumulative)))
            buckets.append((bounds[i], position))
        }
        // +Inf holds the total count, whatever the buckets add up to.
        let infinity = SeriesLabel(name: "le", value: "+Inf")
        let position = collector.append(PrometheusLabelList.series(base, name: bucketName, extra: infinity), sample(Double(count)))
        buckets.append((.infinity, position))

        guard !header.exemplars.isEmpty else { return }
        buckets.sort { $0.bound < $1.bound }
        for exemplar in header.exemplars {
            let value = exemplar.value.doubleValue
            // A NaN value fits no bucket and is dropped, as Prometheus does.
            guard let bucket = buckets.first(where: { value <= $0.bound }) else { continue }
            collector.attach(OTLPExemplarConversion.convert(exemplar), to: bucket.position)
        }
    }

    /// One summary point as `_sum`, `_count` and a series per quantile
    /// (`quantile` written like `le`). Exemplars are dropped, as the spec says.
    static func appendSummary(_ point: SummaryDataPoint, family: String, fixed: [SeriesLabel],
                              into collector: inout PrometheusSeriesCollector) {
        let base = baseLabels(point.header, fixed)
        collector.append(PrometheusLabelList.series(base, name: family + "_sum"), sample(point.header, point.sum))
        collector.append(PrometheusLabelList.series(base, name: family + "_count"), sample(point.header, Double(point.count)))
        for quantile in point.quantiles {
            let label = SeriesLabel(name: "quantile", value: GoFloatFormat.fixed(quantile.quantile))
            collector.append(PrometheusLabelList.series(base, name: family, extra: label), sample(point.header, quantile.value))
        }
    }
}
