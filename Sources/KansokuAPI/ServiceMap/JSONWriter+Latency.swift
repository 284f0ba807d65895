extension JSONWriter {
    /// A number, or `null` when there is none (a percentile of no durations).
    mutating func number(orNull value: Double?) {
        if let value { number(value) } else { null() }
    }

    /// The members `"p50Seconds"`, `"p95Seconds"` and `"p99Seconds"` of
    /// `histogram` (null when it is empty), inside an open object.
    mutating func percentileMembers(of histogram: LatencyHistogram) {
        key("p50Seconds"); number(orNull: histogram.p50Seconds)
        key("p95Seconds"); number(orNull: histogram.p95Seconds)
        key("p99Seconds"); number(orNull: histogram.p99Seconds)
    }

    /// The cumulative buckets of `histogram` as
    /// `[{"le":"0.002","count":N},…,{"le":"+Inf","count":total}]`.
    mutating func cumulativeBuckets(of histogram: LatencyHistogram) {
        beginArray()
        for (label, count) in zip(LatencyHistogram.labels, histogram.cumulativeCounts) {
            beginObject()
            key("le"); string(label)
            key("count"); number(count)
            endObject()
        }
        endArray()
    }
}
