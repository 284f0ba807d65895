/// Where the evaluator reads series from: the seam between PromQL and storage.
///
/// Implementations return every series whose labels satisfy all `matchers`
/// with the samples in `[start, end]` (milliseconds, inclusive). Staleness
/// markers must be returned as stored, because the evaluator needs them to
/// end a series' lookback early.
///
/// Only float samples exist at this seam. A source that stores native
/// histograms must not convert them to floats: it should throw
/// ``PromQLEvaluationError`` with kind `.unsupported` when a selection would
/// include one, until the evaluator supports them.
public protocol PromQLSeriesSource: Sendable {
    /// Series matching all `matchers`, each with its samples in `[start, end]`.
    func select(matchers: [PromQLLabelMatcher], start: Int64, end: Int64) throws -> [PromQLSeries]
}
