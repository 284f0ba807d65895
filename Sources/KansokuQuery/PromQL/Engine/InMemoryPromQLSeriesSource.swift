/// A ``PromQLSeriesSource`` kept entirely in memory: the test-script runner's
/// store, and a convenient fixture for unit tests.
///
/// It is a value type so a loaded store can be handed to an engine (which
/// needs a `Sendable` source) without locking.
public struct InMemoryPromQLSeriesSource: PromQLSeriesSource {
    /// Series by label set, samples kept in timestamp order.
    private var series: [PromQLLabels: [PromQLSample]] = [:]

    /// Creates an empty store.
    public init() {}

    /// Creates a store holding `series`.
    public init(_ series: [PromQLSeries]) {
        for s in series { for sample in s.samples { add(s.labels, sample) } }
    }

    /// Number of stored series.
    public var seriesCount: Int { series.count }

    /// Adds one sample; a sample at an existing timestamp replaces it.
    public mutating func add(_ labels: PromQLLabels, _ sample: PromQLSample) {
        var samples = series[labels, default: []]
        if let last = samples.last, last.timestamp >= sample.timestamp {
            // Out-of-order loads are rare (scripts append in time order), so
            // a linear insertion keeps the common path an append.
            let index = samples.firstIndex { $0.timestamp >= sample.timestamp }!
            if samples[index].timestamp == sample.timestamp {
                samples[index] = sample
            } else {
                samples.insert(sample, at: index)
            }
        } else {
            samples.append(sample)
        }
        series[labels] = samples
    }

    /// Removes every series (`clear` in the test scripts).
    public mutating func removeAll() { series.removeAll() }

    public func select(matchers: [PromQLLabelMatcher], start: Int64, end: Int64) throws -> [PromQLSeries] {
        let compiled = try matchers.map(PromQLCompiledMatcher.init)
        var result: [PromQLSeries] = []
        for (labels, samples) in series where PromQLCompiledMatcher.matchAll(compiled, labels) {
            let lower = samples.partitionIndex { $0.timestamp >= start }
            let upper = samples.partitionIndex { $0.timestamp > end }
            guard lower < upper else { continue }
            result.append(PromQLSeries(labels: labels, samples: Array(samples[lower..<upper])))
        }
        result.sort { $0.labels < $1.labels }
        return result
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate
    /// that is false then true along the array (binary search).
    func partitionIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
