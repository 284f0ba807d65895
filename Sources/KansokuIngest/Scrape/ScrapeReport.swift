import KansokuModel

/// The outcome of one scrape, as the `up` and `scrape_*` series record it.
public struct ScrapeReport: Sendable {
    /// Milliseconds since the Unix epoch; the timestamp of the samples.
    public var timestamp: Int64
    public var up: Bool
    public var durationSeconds: Double
    /// Samples in the exposition (before metric relabeling).
    public var samplesScraped: Int
    /// Samples left after metric relabeling.
    public var samplesPostMetricRelabeling: Int
    /// Series not present in the previous scrape.
    public var seriesAdded: Int
    /// Staleness markers written for series that disappeared.
    public var staleMarkers: Int
    /// Why the scrape failed, when `up` is false.
    public var error: String?
    /// What the sink did with the batch, when it was reached.
    public var writeResult: SampleWriteResult?

    /// The report series Prometheus writes with every scrape, labelled with `targetLabels`.
    static func series(
        targetLabels: SeriesLabels, timestamp: Int64, values: [(String, Double)]
    ) -> [SeriesSamples] {
        values.map { name, value in
            var pairs = targetLabels.labels.map { ($0.name, $0.value) }
            pairs.append((SeriesLabels.metricName, name))
            return SeriesSamples(labels: SeriesLabels(pairs), samples: [Sample(timestamp: timestamp, value: value)])
        }
    }

    /// Names of the report series, in the order they are written.
    static let seriesNames = [
        "up", "scrape_duration_seconds", "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling", "scrape_series_added",
    ]

    var values: [(String, Double)] {
        zip(Self.seriesNames, [up ? 1 : 0, durationSeconds, Double(samplesScraped),
                               Double(samplesPostMetricRelabeling), Double(seriesAdded)]).map { ($0, $1) }
    }
}
