/// Bounds the metric store enforces on what it accepts. Zero means "no limit".
public struct MetricLimits: Sendable, Hashable {
    /// How far (ms) behind a series' newest sample a sample may still be
    /// accepted. Prometheus's `out_of_order_time_window`; 0 rejects every
    /// sample older than the newest.
    public var outOfOrderWindow: Int64
    /// Most labels (including `__name__`) one series may have.
    public var maxLabelsPerSeries: Int
    /// Most series the store holds in memory at once: the cardinality limit.
    public var maxSeries: Int
    /// Most series one write request may carry.
    public var maxSeriesPerRequest: Int

    public init(outOfOrderWindow: Int64 = 0, maxLabelsPerSeries: Int = 0, maxSeries: Int = 0, maxSeriesPerRequest: Int = 0) {
        self.outOfOrderWindow = outOfOrderWindow
        self.maxLabelsPerSeries = maxLabelsPerSeries
        self.maxSeries = maxSeries
        self.maxSeriesPerRequest = maxSeriesPerRequest
    }
}
