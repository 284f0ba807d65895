/// Samples in Prometheus's shape: what remote_write and scrapes deliver and
/// what OTLP metrics are translated to before the time-series store.
///
/// Stored flat: the float samples of all series follow each other in one
/// array (histograms and exemplars likewise), and each series records its
/// labels and where its values end. A remote-write request usually carries
/// thousands of series of one sample each; as ``SeriesSamples`` each would
/// cost an array of its own, allocated, counted and freed, which was a fifth
/// of ingest CPU.
///
/// A series is added whole (``append(_:)``) or assembled in place: values
/// go in with ``addSample(_:)``, ``addHistogram(_:)`` and ``addExemplar(_:)``
/// and become a series with ``closeSeries(labels:)``, or are dropped with
/// ``discardOpenValues()`` (a decoder that finds the series invalid).
/// Equality compares open values too.
public struct SampleBatch: Sendable, Hashable {
    /// One series: its labels and where its values end in the shared arrays.
    private struct Extent: Sendable, Hashable {
        var labels: SeriesLabels
        var sampleEnd: Int
        var histogramEnd: Int
        var exemplarEnd: Int
    }

    private var extents: [Extent] = []
    /// Float samples of every series, series after series (and then those of the open series).
    public private(set) var samples: [Sample] = []
    /// Native histogram samples of every series, series after series.
    public private(set) var histograms: [HistogramSample] = []
    /// Exemplars of every series, series after series.
    public private(set) var exemplars: [SeriesExemplar] = []
    public var metadata: [MetricFamilyMetadata]

    public init(series: [SeriesSamples] = [], metadata: [MetricFamilyMetadata] = []) {
        self.metadata = metadata
        append(contentsOf: series)
    }

    /// Sizes the storage once for what is expected.
    public mutating func reserveCapacity(series: Int, samples: Int) {
        extents.reserveCapacity(series)
        self.samples.reserveCapacity(samples)
    }

    // MARK: Reading

    /// Number of series.
    public var seriesCount: Int { extents.count }

    /// Number of samples carried by the series (floats and histograms).
    public var sampleCount: Int {
        guard let last = extents.last else { return 0 }
        return last.sampleEnd + last.histogramEnd
    }

    /// The labels of series `index`.
    public func labels(ofSeries index: Int) -> SeriesLabels { extents[index].labels }

    /// Where series `index`'s float samples are in ``samples``.
    public func sampleRange(ofSeries index: Int) -> Range<Int> {
        (index == 0 ? 0 : extents[index - 1].sampleEnd)..<extents[index].sampleEnd
    }

    /// Where series `index`'s histogram samples are in ``histograms``.
    public func histogramRange(ofSeries index: Int) -> Range<Int> {
        (index == 0 ? 0 : extents[index - 1].histogramEnd)..<extents[index].histogramEnd
    }

    /// Where series `index`'s exemplars are in ``exemplars``.
    public func exemplarRange(ofSeries index: Int) -> Range<Int> {
        (index == 0 ? 0 : extents[index - 1].exemplarEnd)..<extents[index].exemplarEnd
    }

    /// Series `index` on its own, its values copied into arrays of their own.
    public subscript(series index: Int) -> SeriesSamples {
        SeriesSamples(labels: extents[index].labels, samples: Array(samples[sampleRange(ofSeries: index)]),
                      histograms: Array(histograms[histogramRange(ofSeries: index)]),
                      exemplars: Array(exemplars[exemplarRange(ofSeries: index)]))
    }

    /// Every series on its own (copies; for code off the ingest path).
    public var series: [SeriesSamples] { (0..<extents.count).map { self[series: $0] } }

    // MARK: Adding whole series

    /// Adds a series (even one without values). No values may be open.
    public mutating func append(_ series: SeriesSamples) {
        precondition(openIsEmpty, "SampleBatch.append with open values")
        samples.append(contentsOf: series.samples)
        histograms.append(contentsOf: series.histograms)
        exemplars.append(contentsOf: series.exemplars)
        closeSeries(labels: series.labels)
    }

    /// Adds series in order. No values may be open.
    public mutating func append(contentsOf series: some Sequence<SeriesSamples>) {
        for one in series { append(one) }
    }

    // MARK: Assembling a series in place

    /// Adds a float sample to the open series.
    public mutating func addSample(_ sample: Sample) { samples.append(sample) }
    /// Adds a native histogram sample to the open series.
    public mutating func addHistogram(_ sample: HistogramSample) { histograms.append(sample) }
    /// Adds an exemplar to the open series.
    public mutating func addExemplar(_ exemplar: SeriesExemplar) { exemplars.append(exemplar) }

    /// Float samples added since the last series was closed.
    public var openSampleCount: Int { samples.count - (extents.last?.sampleEnd ?? 0) }
    /// Histogram samples added since the last series was closed.
    public var openHistogramCount: Int { histograms.count - (extents.last?.histogramEnd ?? 0) }
    /// Whether no value was added since the last series was closed.
    public var openIsEmpty: Bool {
        openSampleCount == 0 && openHistogramCount == 0 && exemplars.count == (extents.last?.exemplarEnd ?? 0)
    }

    /// Makes the values added since the last series a series with `labels`.
    public mutating func closeSeries(labels: SeriesLabels) {
        extents.append(Extent(labels: labels, sampleEnd: samples.count, histogramEnd: histograms.count,
                              exemplarEnd: exemplars.count))
    }

    /// Drops the values added since the last series was closed.
    public mutating func discardOpenValues() {
        let last = extents.last
        samples.removeSubrange((last?.sampleEnd ?? 0)...)
        histograms.removeSubrange((last?.histogramEnd ?? 0)...)
        exemplars.removeSubrange((last?.exemplarEnd ?? 0)...)
    }
}
