import KansokuModel

/// Running totals that turn delta-temporality points into cumulative ones,
/// which is what Prometheus counters and histograms are (the spec lets a
/// receiver accumulate deltas instead of dropping them).
///
/// State is kept per output series identity (its labels). A delta point is
/// added to the running total and the result is stamped with the point's end
/// time. Rules:
/// - a point ending at or before the last accumulated point is out of order and
///   rejected (adding it would double count or go back in time);
/// - a gap between the last end time and a point's start time (lost deltas) is
///   accepted: the total stays a valid, if lower, counter;
/// - a histogram whose bucket bounds change restarts from that point, which
///   Prometheus reads as a counter reset;
/// - a series not updated for `retention` of point time (one hour by default)
///   is forgotten; if it comes back it restarts from its next delta, again a
///   counter reset. This bounds memory to the series seen in the last hour.
struct OTLPDeltaAccumulator: Sendable {
    /// The accumulated state of a histogram series.
    struct HistogramTotals: Sendable, Equatable {
        var bounds: [Double]
        var bucketCounts: [UInt64]
        /// Nil once any point came without a sum: the total would be wrong.
        var sum: Double?
        var count: UInt64
        var lastEnd: UInt64
    }

    private enum Entry: Sendable {
        case sum(total: Double, lastEnd: UInt64)
        case histogram(HistogramTotals)
        case nativeHistogram(NativeHistogram, lastEnd: UInt64)

        var lastEnd: UInt64 {
            switch self {
            case .sum(_, let end): end
            case .histogram(let h): h.lastEnd
            case .nativeHistogram(_, let end): end
            }
        }
    }

    /// How long (in point time, nanoseconds) an idle series is remembered.
    let retention: UInt64
    private var entries: [SeriesLabels: Entry] = [:]
    private var newestPoint: UInt64 = 0
    private var lastSweep: UInt64 = 0

    init(retention: UInt64 = 3_600_000_000_000) {
        self.retention = retention
    }

    /// Series currently remembered.
    var seriesCount: Int { entries.count }

    /// Adds a delta to the series' total; nil when the point is out of order.
    mutating func addSum(_ delta: Double, series: SeriesLabels, end: UInt64) -> Double? {
        advance(to: end)
        var total = delta
        if case .sum(let previous, let lastEnd)? = entries[series] {
            guard end > lastEnd else { return nil }
            total += previous
        }
        entries[series] = .sum(total: total, lastEnd: end)
        return total
    }

    /// Adds a delta histogram point to the series' totals; nil when out of order.
    mutating func addHistogram(_ point: HistogramDataPoint, series: SeriesLabels) -> HistogramTotals? {
        let end = point.header.timeUnixNano
        advance(to: end)
        var totals = HistogramTotals(bounds: point.explicitBounds, bucketCounts: point.bucketCounts,
                                     sum: point.sum, count: point.count, lastEnd: end)
        if case .histogram(let previous)? = entries[series] {
            guard end > previous.lastEnd else { return nil }
            // Different buckets cannot be added up: start again from this point.
            if previous.bounds == point.explicitBounds && previous.bucketCounts.count == point.bucketCounts.count {
                for i in totals.bucketCounts.indices { totals.bucketCounts[i] &+= previous.bucketCounts[i] }
                totals.count &+= previous.count
                if let a = previous.sum, let b = point.sum { totals.sum = a + b } else { totals.sum = nil }
            }
        }
        entries[series] = .histogram(totals)
        return totals
    }

    /// Adds a delta native histogram (an exponential histogram point) to the
    /// series' total; nil when out of order. Totals and deltas of different
    /// scales or zero thresholds are merged as Prometheus adds histograms: the
    /// total takes the coarser scale and the wider zero bucket, as the
    /// collector's deltatocumulative processor does.
    mutating func addNativeHistogram(_ delta: NativeHistogram, series: SeriesLabels, end: UInt64) -> NativeHistogram? {
        advance(to: end)
        var total = delta
        if case .nativeHistogram(let previous, let lastEnd)? = entries[series] {
            guard end > lastEnd else { return nil }
            // Only custom and exponential buckets cannot be added; deltas are all exponential.
            if let sum = try? previous.adding(delta).result { total = sum }
        }
        entries[series] = .nativeHistogram(total, lastEnd: end)
        return total
    }

    /// Drops a series' state (it ended: a no-recorded-value point).
    mutating func forget(_ series: SeriesLabels) {
        entries[series] = nil
    }

    /// Tracks the newest point time and, at most once per minute of point
    /// time, forgets series idle for longer than `retention`; a sweep is a
    /// full scan, so it must not run per point.
    private mutating func advance(to time: UInt64) {
        guard time > newestPoint else { return }
        newestPoint = time
        guard newestPoint - lastSweep >= 60_000_000_000, newestPoint > retention else { return }
        lastSweep = newestPoint
        let horizon = newestPoint - retention
        entries = entries.filter { $0.value.lastEnd >= horizon }
    }
}
