import Logging

/// What every receiver needs: where batches go, the shared in-flight budget,
/// the body limit, and a logger. One value, handed to each receiver.
public struct IngestContext: Sendable {
    public let sink: any TelemetrySink
    public let budget: InflightBudget
    /// Largest request body accepted, measured after decompression.
    public let maxRequestBytes: Int
    public let logger: Logger
    /// OTLP metrics become Prometheus samples here; it keeps the running
    /// totals that turn delta points cumulative, so every receiver shares one.
    public let metricTranslator: OTLPPrometheusTranslator

    public init(sink: any TelemetrySink, budget: InflightBudget, maxRequestBytes: Int, logger: Logger) {
        self.sink = sink
        self.budget = budget
        self.maxRequestBytes = maxRequestBytes
        self.logger = logger
        self.metricTranslator = OTLPPrometheusTranslator()
    }
}
