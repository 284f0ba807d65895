/// Kansoku's JSON body for per-operation rate, errors and duration.
public enum REDResponse {
    /// ```
    /// {"start":"<ns>","end":"<ns>",
    ///  "series":[{"service":…,"spanName":…,"spanKind":"SPAN_KIND_SERVER",
    ///             "requests":N,"errors":N,"ratePerSecond":…,"errorRate":…,
    ///             "p50Seconds":…,"p95Seconds":…,"p99Seconds":…},…]}
    /// ```
    ///
    /// Timestamps are strings (they exceed 2^53); `spanKind` is labelled as
    /// the spanmetrics connector labels it. Series keep the given order.
    public static func kansoku(_ metrics: REDMetrics) -> [UInt8] {
        var json = JSONWriter(reservingCapacity: 64 + metrics.series.count * 300)
        json.beginObject()
        json.key("start"); json.quotedNumber(metrics.startNanos)
        json.key("end"); json.quotedNumber(metrics.endNanos)
        json.key("series")
        json.beginArray()
        for row in metrics.series {
            json.beginObject()
            json.key("service"); json.string(row.service)
            json.key("spanName"); json.string(row.spanName)
            json.key("spanKind"); json.string(row.spanKindLabel)
            json.key("requests"); json.number(row.requests)
            json.key("errors"); json.number(row.errors)
            json.key("ratePerSecond"); json.number(row.ratePerSecond)
            json.key("errorRate"); json.number(row.errorRate)
            json.percentileMembers(of: row.latency)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
