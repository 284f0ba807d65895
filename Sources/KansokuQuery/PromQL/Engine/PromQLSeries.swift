import KansokuModel

/// One float sample: a millisecond timestamp and a value.
public struct PromQLSample: Sendable, Hashable {
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64
    /// The value; a staleness marker is ``PromQLStaleness/marker``.
    public var value: Double

    /// Creates a sample.
    public init(timestamp: Int64, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

    // Bitwise equality so NaNs (and the staleness marker) compare equal to themselves.
    public static func == (a: PromQLSample, b: PromQLSample) -> Bool {
        a.timestamp == b.timestamp && a.value.bitPattern == b.value.bitPattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(timestamp)
        hasher.combine(value.bitPattern)
    }
}

/// One native histogram sample: a millisecond timestamp and a histogram.
public struct PromQLHistogramSample: Sendable, Hashable {
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64
    public var histogram: NativeHistogram

    /// Creates a sample.
    public init(timestamp: Int64, histogram: NativeHistogram) {
        self.timestamp = timestamp
        self.histogram = histogram
    }
}

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
