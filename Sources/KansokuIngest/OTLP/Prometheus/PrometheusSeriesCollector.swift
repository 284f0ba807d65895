import KansokuModel

/// Gathers translated samples into one ``SampleBatch``: samples of the same
/// series (several points with equal labels) share one ``SeriesSamples``
/// (float and native histogram samples alike), in
/// order of first appearance; metadata is kept once per family (the first
/// description wins, as the spec allows for conflicting HELP/UNIT).
struct PrometheusSeriesCollector {
    private(set) var series: [SeriesSamples] = []
    private var index: [SeriesLabels: Int] = [:]
    private(set) var metadata: [MetricFamilyMetadata] = []
    private var families: Set<String> = []

    init(expectedSeries: Int = 0) {
        series.reserveCapacity(expectedSeries)
        index.reserveCapacity(expectedSeries)
    }

    /// Adds a sample; returns the series' position for attaching exemplars.
    @discardableResult
    mutating func append(_ labels: SeriesLabels, _ sample: Sample) -> Int {
        let position = position(of: labels)
        series[position].samples.append(sample)
        return position
    }

    /// Adds a native histogram sample; returns the series' position for attaching exemplars.
    @discardableResult
    mutating func append(_ labels: SeriesLabels, _ histogram: HistogramSample) -> Int {
        let position = position(of: labels)
        series[position].histograms.append(histogram)
        return position
    }

    /// The series' position, adding an empty series when it is new.
    private mutating func position(of labels: SeriesLabels) -> Int {
        // One hash for the common case, a new series; a repeat restores its position.
        let position = series.count
        if let existing = index.updateValue(position, forKey: labels) {
            index[labels] = existing
            return existing
        }
        series.append(SeriesSamples(labels: labels, samples: []))
        return position
    }

    mutating func attach(_ exemplar: SeriesExemplar, to position: Int) {
        series[position].exemplars.append(exemplar)
    }

    mutating func addMetadata(_ entry: MetricFamilyMetadata) {
        guard families.insert(entry.family).inserted else { return }
        metadata.append(entry)
    }

    var batch: SampleBatch { SampleBatch(series: series, metadata: metadata) }
}
