import KansokuModel
import KansokuQuery
import KansokuStorage

/// Lets the PromQL engine read a ``MetricSeriesStore``: converts matchers and
/// label sets between the two modules, and enforces the query's sample
/// budget (`--query.max-samples`) and deadline as series are loaded.
struct StorePromQLSource: PromQLSeriesSource {
    let store: any MetricSeriesStore
    let limits: QueryLimits
    let deadline: ContinuousClock.Instant
    private let loaded = SampleCounter()

    init(store: any MetricSeriesStore, limits: QueryLimits) {
        self.store = store
        self.limits = limits
        deadline = .now + limits.timeout
    }

    func select(matchers: [PromQLLabelMatcher], start: Int64, end: Int64) throws -> [PromQLSeries] {
        guard ContinuousClock.now < deadline else { throw PromQLEvaluationError(.timeout, "query timed out in expression evaluation") }
        let converted: [SeriesMatcher]
        do throws(SeriesMatcherError) {
            converted = try SeriesMatcher.converting(matchers)
        } catch {
            throw PromQLEvaluationError(.execution, error.description)
        }
        let series = try store.select(converted, start: start, end: end)
        let total = loaded.add(series.reduce(0) { $0 + $1.samples.count + $1.histograms.count })
        if limits.maxSamples > 0, total > limits.maxSamples {
            throw PromQLEvaluationError(.execution, "query processing would load too many samples into memory in query execution")
        }
        return series.map { s in
            PromQLSeries(labels: PromQLLabels(sorted: s.labels.labels.map { PromQLLabel(name: $0.name, value: $0.value) }),
                         samples: s.samples,
                         histograms: s.histograms)
        }
    }
}

/// Bounds on one query, Prometheus's `--query.timeout` and `--query.max-samples`.
public struct QueryLimits: Sendable, Hashable {
    public var timeout: Duration
    /// Most samples one query may load; 0 for no limit.
    public var maxSamples: Int

    public init(timeout: Duration = .seconds(120), maxSamples: Int = 50_000_000) {
        self.timeout = timeout
        self.maxSamples = maxSamples
    }
}

/// Samples loaded so far by one query (the source is shared by value, the count must not be).
private final class SampleCounter: @unchecked Sendable {  // one query evaluates on one thread
    private var total = 0
    func add(_ count: Int) -> Int {
        total += count
        return total
    }
}
