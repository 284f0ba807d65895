import KansokuModel

/// A decoded Prometheus remote-write 1.0 `WriteRequest`: what can be stored,
/// plus what was left out and why.
struct RemoteWriteRequest: Sendable {
    /// The accepted series (labels sorted, empty values dropped, float and
    /// native histogram samples in wire order) and the metric metadata sent
    /// with them.
    var batch: SampleBatch
    /// Series refused on their own (bad labels, an invalid native histogram);
    /// the rest of the request stands.
    var rejected: [RemoteWriteRejection]

    init(batch: SampleBatch = SampleBatch(), rejected: [RemoteWriteRejection] = []) {
        self.batch = batch
        self.rejected = rejected
    }
}

/// One series of a remote-write request refused on its own: its labels are
/// not a valid series identity, as Prometheus's remote-write handler refuses
/// it ("Invalid metric names or labels" / "Invalid labels for series"), or one
/// of its native histograms fails Prometheus's histogram validation.
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
        /// A native histogram sample (at `timestamp`, ms) is not valid; the
        /// first such sample of the series is reported.
        case invalidHistogram(timestamp: Int64, problem: RemoteWriteHistogramProblem)
    }

    /// The series as Prometheus prints it (`SeriesLabels.description`), every label as sent.
    var series: String
    var reason: Reason
    /// Samples dropped with the series, float and native histogram ones.
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
        case .invalidHistogram(let timestamp, let problem): "Invalid histogram at timestamp \(timestamp): \(problem)"
        }
    }

    var description: String { "\(message) (series \(series))" }
}
