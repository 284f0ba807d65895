/// One native histogram sample of a time series.
public struct HistogramSample: Sendable, Hashable {
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64
    public var histogram: NativeHistogram

    public init(timestamp: Int64, histogram: NativeHistogram) {
        self.timestamp = timestamp
        self.histogram = histogram
    }
}
