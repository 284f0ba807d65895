/// A ``PromQLSeriesSource`` kept entirely in memory: the test-script runner's
/// store, and a convenient fixture for unit tests.
///
/// It is a value type so a loaded store can be handed to an engine (which
/// needs a `Sendable` source) without locking.
public struct InMemoryPromQLSeriesSource: PromQLSeriesSource {
    /// Samples by label set, each kind kept in timestamp order.
    private var series: [PromQLLabels: (floats: [PromQLSample], histograms: [PromQLHistogramSample])] = [:]

    /// Creates an empty store.
    public init() {}

    /// Creates a store holding `series`.
    public init(_ series: [PromQLSeries]) {
        for s in series {
            for sample in s.samples { add(s.labels, sample) }
            for sample in s.histograms { add(s.labels, sample) }
        }
    }

    /// Number of stored series.
    public var seriesCount: Int { series.count }

    /// Adds one float sample; a sample at an existing timestamp replaces it.
    public mutating func add(_ labels: PromQLLabels, _ sample: PromQLSample) {
        var stored = series[labels, default: ([], [])]
        stored.histograms.removeAll { $0.timestamp == sample.timestamp }
        Self.insert(sample, into: &stored.floats)
        series[labels] = stored
    }

    /// Adds one native histogram sample; a sample at an existing timestamp replaces it.
    public mutating func add(_ labels: PromQLLabels, _ sample: PromQLHistogramSample) {
        var stored = series[labels, default: ([], [])]
        stored.floats.removeAll { $0.timestamp == sample.timestamp }
        Self.insert(sample, into: &stored.histograms)
        series[labels] = stored
    }

    private static func insert<Sample>(_ sample: Sample, into samples: inout [Sample]) where Sample: PromQLTimestamped {
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
    }

    /// Removes every series (`clear` in the test scripts).
    public mutating func removeAll() { series.removeAll() }

    public func select(matchers: [PromQLLabelMatcher], start: Int64, end: Int64) throws -> [PromQLSeries] {
        let compiled = try matchers.map(PromQLCompiledMatcher.init)
        var result: [PromQLSeries] = []
        for (labels, stored) in series where PromQLCompiledMatcher.matchAll(compiled, labels) {
            let floats = Self.slice(stored.floats, start, end)
            let histograms = Self.slice(stored.histograms, start, end)
            guard !floats.isEmpty || !histograms.isEmpty else { continue }
            result.append(PromQLSeries(labels: labels, samples: floats, histograms: histograms))
        }
        result.sort { $0.labels < $1.labels }
        return result
    }

    private static func slice<Sample: PromQLTimestamped>(_ samples: [Sample], _ start: Int64, _ end: Int64) -> [Sample] {
        let lower = samples.partitionIndex { $0.timestamp >= start }
        let upper = samples.partitionIndex { $0.timestamp > end }
        return lower < upper ? Array(samples[lower..<upper]) : []
    }
}

/// A sample of either kind, for code shared between them.
protocol PromQLTimestamped {
    var timestamp: Int64 { get }
}

extension PromQLSample: PromQLTimestamped {}
extension PromQLHistogramSample: PromQLTimestamped {}

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
