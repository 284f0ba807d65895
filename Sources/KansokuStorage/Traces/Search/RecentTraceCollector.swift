import KansokuModel

/// Gathers the traces of a search: each trace's latest matching span start,
/// and the `limit` traces whose latest match started last.
///
/// A trace's key only grows as more of its spans match, so once `limit`
/// traces are known, data whose spans all start before the `limit`-th key
/// (``threshold``) cannot change the answer: a store that visits its blocks
/// newest first stops there. That is why a search ranks traces by their
/// *latest* matching span, as Jaeger's Elasticsearch store does (a terms
/// aggregation on the trace id ordered by the maximum start time).
public struct RecentTraceCollector: Sendable {
    public let limit: Int
    private var latest: [TraceID: UInt64] = [:]
    /// The `limit`-th largest key, recomputed lazily after changes.
    private var cachedThreshold: UInt64?
    private var isThresholdStale = true

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Records a matching span of `traceID` that started at `start`.
    public mutating func add(_ traceID: TraceID, start: UInt64) {
        if let known = latest[traceID], known >= start { return }
        latest[traceID] = start
        isThresholdStale = true
    }

    /// How many distinct traces matched so far.
    public var count: Int { latest.count }

    /// The `limit`-th most recent key once at least `limit` traces matched; nil before.
    public mutating func threshold() -> UInt64? {
        guard latest.count >= limit else { return nil }
        if isThresholdStale {
            var keys = Array(latest.values)
            // A partial selection: only the `limit`-th largest is needed.
            let k = limit - 1
            keys.withUnsafeMutableBufferPointer { Self.select(&$0, k) }
            cachedThreshold = keys[k]
            isThresholdStale = false
        }
        return cachedThreshold
    }

    /// Whether data whose spans start no later than `maxStart` may still change the answer.
    public mutating func mayChange(byStartsUpTo maxStart: UInt64) -> Bool {
        guard let threshold = threshold() else { return true }
        return maxStart >= threshold
    }

    /// The answer: at most `limit` traces, most recent first.
    public func hits() -> [TraceSearchHit] {
        latest.map { TraceSearchHit(traceID: $0.key, latestMatchStart: $0.value) }
            .sorted(by: TraceSearchHit.isMoreRecent)
            .prefix(limit).map { $0 }
    }

    /// Moves the `k`-th largest value (0-based) to index `k` (quickselect, descending).
    private static func select(_ a: inout UnsafeMutableBufferPointer<UInt64>, _ k: Int) {
        var low = 0, high = a.count - 1
        while low < high {
            let pivot = a[(low + high) / 2]
            var i = low, j = high
            while i <= j {
                while a[i] > pivot { i += 1 }
                while a[j] < pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { return }
        }
    }
}
