import KansokuModel

/// One float sample: a millisecond timestamp and a value; a staleness
/// marker is ``PromQLStaleness/marker``. The model's ``Sample``, so series
/// read from a store reach the engine without copying their samples.
public typealias PromQLSample = Sample

/// One native histogram sample: the model's ``HistogramSample``.
public typealias PromQLHistogramSample = HistogramSample

/// A series: a sorted label set and its samples in timestamp order.
///
/// Float samples and native histogram samples are kept apart (as
/// Prometheus's `promql.Series` does), so float-only series, the common case,
/// cost nothing extra. A timestamp holds one or the other, never both; a
/// staleness marker is always a float sample.
public struct PromQLSeries: Sendable, Hashable {
    /// The series' labels (including `__name__` when it has one).
    public var labels: PromQLLabels
    /// Float samples in ascending timestamp order.
    public var samples: [PromQLSample]
    /// Native histogram samples in ascending timestamp order.
    public var histograms: [PromQLHistogramSample]

    /// Creates a series.
    public init(labels: PromQLLabels, samples: [PromQLSample], histograms: [PromQLHistogramSample] = []) {
        self.labels = labels
        self.samples = samples
        self.histograms = histograms
    }
}
