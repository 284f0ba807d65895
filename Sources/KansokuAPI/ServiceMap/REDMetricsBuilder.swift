import KansokuModel
import KansokuStorage

/// Builds `REDMetrics` from span batches fed one at a time: per (service,
/// span name, span kind), what the spanmetrics connector would have counted
/// for the spans whose start lies in `[startNanos, endNanos]`.
///
/// A span stored more than once (same trace and span id) counts once; to
/// know that, the builder remembers the ids of the spans it counted.
public struct REDMetricsBuilder: Sendable {
    /// The window's first nanosecond, inclusive.
    public let startNanos: UInt64
    /// The window's last nanosecond, inclusive.
    public let endNanos: UInt64
    /// Only spans of this service count; nil for every service.
    public let service: String?

    private var series: [SeriesKey: REDSeries] = [:]
    private var seen = Set<SpanKey>()

    public init(startNanos: UInt64, endNanos: UInt64, service: String? = nil) {
        self.startNanos = startNanos
        self.endNanos = endNanos
        self.service = service
    }

    /// Counts the spans of `batch` that started in the window.
    public mutating func add(_ batch: SpanBatch) {
        for group in batch.resources {
            let service = group.resource.serviceName ?? ""
            for scoped in group.scopes {
                for span in scoped.items { add(SpanOverview(span, service: service)) }
            }
        }
    }

    /// Counts `span` if it started in the window (and is of `service`, when given).
    public mutating func add(_ span: SpanOverview) {
        guard span.startTimeUnixNano >= startNanos && span.startTimeUnixNano <= endNanos else { return }
        // Jaeger's name for a resource without a service name.
        let name = span.service.isEmpty ? JaegerProcessTable.noServiceName : span.service
        if let service, service != name { return }
        guard seen.insert(SpanKey(traceID: span.traceID, spanID: span.spanID)).inserted else { return }
        let key = SeriesKey(service: name, spanName: span.name, spanKind: span.kind)
        if series[key] == nil {
            series[key] = REDSeries(service: name, spanName: span.name, spanKind: span.kind)
        }
        series[key]!.requests += 1
        if span.statusCode == .error { series[key]!.errors += 1 }
        series[key]!.latency.record(nanos: span.durationNanos)
    }

    /// The series of everything added so far, sorted by service, span name,
    /// then kind (in OTLP's numbering).
    public func build() -> REDMetrics {
        let seconds = endNanos > startNanos ? Double(endNanos - startNanos) / 1e9 : 0
        let rows = series.values.map { row in
            var row = row
            row.ratePerSecond = seconds > 0 ? Double(row.requests) / seconds : 0
            return row
        }.sorted { ($0.service, $0.spanName, $0.spanKind.rawValue) < ($1.service, $1.spanName, $1.spanKind.rawValue) }
        return REDMetrics(startNanos: startNanos, endNanos: endNanos, series: rows)
    }
}

/// One series' identity while building.
private struct SeriesKey: Hashable {
    var service: String
    var spanName: String
    var spanKind: SpanKind
}

/// One span's identity, to count a span stored twice once.
private struct SpanKey: Hashable {
    var traceID: TraceID
    var spanID: SpanID
}
