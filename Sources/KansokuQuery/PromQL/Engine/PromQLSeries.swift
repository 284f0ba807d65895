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

/// A series: a sorted label set and its float samples in timestamp order.
public struct PromQLSeries: Sendable, Hashable {
    /// The series' labels (including `__name__` when it has one).
    public var labels: PromQLLabels
    /// Samples in ascending timestamp order.
    public var samples: [PromQLSample]

    /// Creates a series.
    public init(labels: PromQLLabels, samples: [PromQLSample]) {
        self.labels = labels
        self.samples = samples
    }
}
