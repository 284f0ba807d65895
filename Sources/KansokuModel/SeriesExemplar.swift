/// A sample that links to a trace: what a histogram bucket or counter
/// increment looked like for one request.
public struct SeriesExemplar: Sendable, Hashable {
    /// The exemplar's own labels (`trace_id`, `span_id`, …).
    public var labels: SeriesLabels
    public var value: Double
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64

    public init(labels: SeriesLabels, value: Double, timestamp: Int64) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}
