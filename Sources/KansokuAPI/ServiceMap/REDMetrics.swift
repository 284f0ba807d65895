import KansokuModel
import KansokuStorage

/// Request rate, errors and duration per operation over a time window, as
/// the spanmetrics connector would report them, computed from stored spans.
public struct REDMetrics: Sendable, Hashable {
    /// The window's first nanosecond (Unix time), inclusive.
    public var startNanos: UInt64
    /// The window's last nanosecond (Unix time), inclusive.
    public var endNanos: UInt64
    /// One row per (service, span name, span kind), sorted by those.
    public var series: [REDSeries]

    public init(startNanos: UInt64, endNanos: UInt64, series: [REDSeries] = []) {
        self.startNanos = startNanos
        self.endNanos = endNanos
        self.series = series
    }

    /// Counts the stored spans whose start lies in `[startNanos, endNanos]`,
    /// only those of `service` when it is given, from the store's span
    /// overviews (no attributes or events are read).
    /// Reads from disk and blocks: call it off the event loops.
    public static func compute(in store: some TraceSignalStore, startNanos: UInt64, endNanos: UInt64,
                               service: String? = nil) throws -> REDMetrics {
        var builder = REDMetricsBuilder(startNanos: startNanos, endNanos: endNanos, service: service)
        guard startNanos <= endNanos else { return builder.build() }
        // Jaeger's name for a resource without a service name is stored as "" (or an empty service.name).
        let services: Set<String>? = service.map { $0 == JaegerProcessTable.noServiceName ? ["", $0] : [$0] }
        try store.forEachSpanOverview(matching: SpanSearchFilter(services: services, startTimes: startNanos...endNanos),
                                      attributeKeys: []) { span in
            builder.add(span)
        }
        return builder.build()
    }
}
