import KansokuModel

/// The result of translating one OTLP metrics batch into Prometheus samples.
public struct OTLPTranslation: Sendable {
    /// Series, samples, exemplars and family metadata, ready for the time-series store.
    public var samples: SampleBatch
    /// Why data was left out, one entry per metric affected (for example
    /// unspecified temporality, out-of-order deltas, exponential histogram
    /// points with no native histogram form); an entry names the first
    /// reason and counts every point the metric lost.
    public var dropped: [String]

    public init(samples: SampleBatch = SampleBatch(), dropped: [String] = []) {
        self.samples = samples
        self.dropped = dropped
    }
}
