/// One float sample of a time series.
public struct Sample: Sendable, Hashable {
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64
    public var value: Double

    public init(timestamp: Int64, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

    /// Prometheus's staleness marker: a NaN with this exact bit pattern says
    /// "the series ended here" (ordinary NaNs are plain values).
    public static let staleMarkerBits: UInt64 = 0x7ff0_0000_0000_0002

    /// Whether the value is the staleness marker.
    public var isStaleMarker: Bool { value.bitPattern == Sample.staleMarkerBits }

    // Bitwise, so NaNs (and the staleness marker) equal themselves.
    public static func == (a: Sample, b: Sample) -> Bool {
        a.timestamp == b.timestamp && a.value.bitPattern == b.value.bitPattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(timestamp)
        hasher.combine(value.bitPattern)
    }
}

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

/// What a metric family is, as Prometheus's metadata API reports it.
public struct MetricFamilyMetadata: Sendable, Hashable {
    /// Prometheus metric types, spelled as the exposition format spells them.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown
    }

    /// The family name (for a histogram, without `_bucket`/`_sum`/`_count`).
    public var family: String
    public var kind: Kind
    public var help: String
    public var unit: String

    public init(family: String, kind: Kind, help: String = "", unit: String = "") {
        self.family = family
        self.kind = kind
        self.help = help
        self.unit = unit
    }
}

/// Samples in Prometheus's shape: what remote_write and scrapes deliver and
/// what OTLP metrics are translated to before the time-series store.
public struct SampleBatch: Sendable, Hashable {
    public var series: [SeriesSamples]
    public var metadata: [MetricFamilyMetadata]

    public init(series: [SeriesSamples] = [], metadata: [MetricFamilyMetadata] = []) {
        self.series = series
        self.metadata = metadata
    }

    /// Number of samples carried (floats and histograms).
    public var sampleCount: Int { series.reduce(0) { $0 + $1.samples.count + $1.histograms.count } }
}
