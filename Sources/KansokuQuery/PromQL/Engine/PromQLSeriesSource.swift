/// Where the evaluator reads series from: the seam between PromQL and storage.
///
/// Implementations return every series whose labels satisfy all `matchers`
/// with the samples in `[start, end]` (milliseconds, inclusive). Staleness
/// markers must be returned as stored, because the evaluator needs them to
/// end a series' lookback early.
///
/// Native histogram samples travel in ``PromQLSeries/histograms``, apart
/// from the float samples.
public protocol PromQLSeriesSource: Sendable {
    /// Series matching all `matchers`, each with its samples in `[start, end]`.
    func select(matchers: [PromQLLabelMatcher], start: Int64, end: Int64) throws -> [PromQLSeries]
}
