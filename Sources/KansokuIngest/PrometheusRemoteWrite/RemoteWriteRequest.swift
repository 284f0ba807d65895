import KansokuModel

/// A decoded Prometheus remote-write 1.0 `WriteRequest`: what can be stored,
/// plus what was left out and why.
struct RemoteWriteRequest: Sendable {
    /// The accepted series (labels sorted, empty values dropped, samples in
    /// wire order) and the metric metadata sent with them.
    var batch: SampleBatch
    /// Series refused on their own (bad labels); the rest of the request stands.
    var rejected: [RemoteWriteRejection]
    /// Accepted series that carried native histograms, which are not supported
    /// yet; their histograms were skipped (their float samples, if any, kept).
    var histogramSeriesCount: Int
    /// Native histogram samples skipped across those series.
    var histogramCount: Int

    init(batch: SampleBatch = SampleBatch(), rejected: [RemoteWriteRejection] = [],
         histogramSeriesCount: Int = 0, histogramCount: Int = 0) {
        self.batch = batch
        self.rejected = rejected
        self.histogramSeriesCount = histogramSeriesCount
        self.histogramCount = histogramCount
    }
}

/// One series of a remote-write request refused because its labels are not a
/// valid series identity, as Prometheus's remote-write handler refuses it
/// ("Invalid metric names or labels" / "Invalid labels for series").
struct RemoteWriteRejection: Sendable, Hashable, CustomStringConvertible {
    enum Reason: Sendable, Hashable {
        /// The series has no labels at all.
        case noLabels
        /// No `__name__` label, or an empty one.
        case missingMetricName
        /// A label with an empty name.
        case emptyLabelName
        /// The same label name twice.
        case duplicateLabelName(String)
    }

    /// The series as Prometheus prints it (`SeriesLabels.description`), every label as sent.
    var series: String
    var reason: Reason
    /// Float samples dropped with the series.
    var sampleCount: Int

    init(series: String, reason: Reason, sampleCount: Int) {
        self.series = series
        self.reason = reason
        self.sampleCount = sampleCount
    }

    /// The reason in Prometheus's wording.
    var message: String {
        switch reason {
        case .noLabels: "Invalid metric names or labels: series has no labels"
        case .missingMetricName: "Invalid metric names or labels: missing or empty __name__ label"
        case .emptyLabelName: "Invalid metric names or labels: empty label name"
        case .duplicateLabelName(let name): "Invalid labels for series: duplicate label name \"\(name)\""
        }
    }

    var description: String { "\(message) (series \(series))" }
}
