import KansokuModel

/// Where metric samples are kept and read back: the seam between ingest and
/// query for metrics. The embedded time-series engine implements it; a
/// ClickHouse-backed store is meant to slot in behind the same protocol.
///
/// Times are milliseconds since the Unix epoch; ranges are inclusive.
public protocol MetricSeriesStore: Sendable {
    /// Stores what of `batch` is valid and returns once that is durable. Invalid
    /// samples (out of order, duplicate timestamp, over a limit) are left out
    /// and listed in the report; they never fail the rest of the batch.
    func append(_ batch: SampleBatch) async throws -> MetricAppendReport

    /// Series matching all `matchers` that have samples in `[start, end]`,
    /// each with those samples in time order, sorted by label set.
    func select(_ matchers: [SeriesMatcher], start: Int64, end: Int64) throws -> [SeriesSamples]

    /// Label sets of series matching any of `selectors` (each a conjunction of
    /// matchers; an empty list means every series) with data in `[start, end]`.
    func series(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) throws -> [SeriesLabels]

    /// Label names used by the series `series(_:start:end:)` would return, sorted.
    func labelNames(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) throws -> [String]

    /// Values of label `name` among those series, sorted.
    func labelValues(_ name: String, _ selectors: [[SeriesMatcher]], start: Int64, end: Int64) throws -> [String]

    /// The newest metadata reported for each metric family.
    func metadata() -> [MetricFamilyMetadata]

    /// Exemplars in `[start, end]` of series matching any of `selectors`.
    func exemplars(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) throws -> [SeriesExemplars]

    /// Makes everything appended durable and releases files.
    func close() async
}

/// The exemplars of one series.
public struct SeriesExemplars: Sendable, Hashable {
    public var labels: SeriesLabels
    public var exemplars: [SeriesExemplar]

    public init(labels: SeriesLabels, exemplars: [SeriesExemplar]) {
        self.labels = labels
        self.exemplars = exemplars
    }
}
