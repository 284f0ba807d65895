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

    /// Reads every batch of `store` and counts the spans whose start lies in
    /// `[startNanos, endNanos]`, only those of `service` when it is given.
    /// Reads from disk and blocks: call it off the event loops.
    public static func compute(in store: some TraceSignalStore, startNanos: UInt64, endNanos: UInt64,
                               service: String? = nil) throws -> REDMetrics {
        var builder = REDMetricsBuilder(startNanos: startNanos, endNanos: endNanos, service: service)
        // The builder keeps only spans starting in the window (and of `service`): blocks without any are skipped.
        let window = startNanos <= endNanos ? startNanos...endNanos : nil
        let services: Set<String>? = service.flatMap { $0 == JaegerProcessTable.noServiceName ? nil : [$0] }
        try store.forEachBatch(startingIn: window, services: services) { batch in
            builder.add(batch)
            return true
        }
        return builder.build()
    }
}
