/// Samples (and exemplars) of one series, in the order they were sent.
/// Float samples and native histogram samples are kept apart; a series
/// normally has one kind only.
public struct SeriesSamples: Sendable, Hashable {
    public var labels: SeriesLabels
    public var samples: [Sample]
    public var histograms: [HistogramSample]
    public var exemplars: [SeriesExemplar]

    public init(labels: SeriesLabels, samples: [Sample], histograms: [HistogramSample] = [], exemplars: [SeriesExemplar] = []) {
        self.labels = labels
        self.samples = samples
        self.histograms = histograms
        self.exemplars = exemplars
    }
}
