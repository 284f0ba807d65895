/// A fixed-bucket distribution of span durations, with the bucket bounds the
/// OpenTelemetry Collector's servicegraph and spanmetrics connectors use by
/// default (seconds): 0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4,
/// 0.8, 1, 1.4, 2, 5, 10, 15 and +Inf.
///
/// A duration falls in the first bucket whose bound is ≥ it (Prometheus `le`
/// semantics); bounds are compared in whole nanoseconds, so a span of exactly
/// 2 ms counts in the `0.002` bucket.
public struct LatencyHistogram: Sendable, Hashable {
    /// The finite upper bounds in nanoseconds; the last bucket (+Inf) has none.
    public static let boundsNanos: [UInt64] = [
        2_000_000, 4_000_000, 6_000_000, 8_000_000, 10_000_000, 50_000_000, 100_000_000,
        200_000_000, 400_000_000, 800_000_000, 1_000_000_000, 1_400_000_000, 2_000_000_000,
        5_000_000_000, 10_000_000_000, 15_000_000_000,
    ]

    /// The finite upper bounds in seconds, index for index with `boundsNanos`.
    public static let boundsSeconds: [Double] = boundsNanos.map { Double($0) / 1e9 }

    /// The bucket labels as Prometheus writes `le`: `"0.002"` … `"15"`, `"+Inf"`.
    public static let labels: [String] = [
        "0.002", "0.004", "0.006", "0.008", "0.01", "0.05", "0.1", "0.2", "0.4",
        "0.8", "1", "1.4", "2", "5", "10", "15", "+Inf",
    ]

    /// How many durations fell in each bucket (not cumulative), one entry per
    /// label; the last is the +Inf bucket.
    public private(set) var counts: [UInt64]

    /// An empty histogram.
    public init() {
        counts = Array(repeating: 0, count: Self.labels.count)
    }

    /// How many durations were recorded.
    public var count: UInt64 { counts.reduce(0, +) }

    /// The running totals, as Prometheus `_bucket{le=…}` series report them:
    /// entry `i` counts the durations ≤ bound `i`; the last equals `count`.
    public var cumulativeCounts: [UInt64] {
        var total: UInt64 = 0
        return counts.map { total += $0; return total }
    }

    /// Adds one duration.
    public mutating func record(nanos: UInt64) {
        var low = 0
        var high = Self.boundsNanos.count
        // First bound ≥ nanos; `boundsNanos.count` (the +Inf bucket) if none.
        while low < high {
            let mid = (low + high) / 2
            if Self.boundsNanos[mid] >= nanos { high = mid } else { low = mid + 1 }
        }
        counts[low] += 1
    }

    /// Adds every duration of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        for i in counts.indices { counts[i] += other.counts[i] }
    }

    /// The `q`-quantile (0…1) in seconds, estimated as Prometheus's
    /// `histogram_quantile` does: find the bucket holding rank `q × count`
    /// and interpolate linearly between its bounds (the first bucket starts
    /// at 0). A rank in the +Inf bucket answers the highest finite bound
    /// (15 s). Nil when the histogram is empty.
    public func quantile(_ q: Double) -> Double? {
        let total = count
        guard total > 0 else { return nil }
        let rank = min(max(q, 0), 1) * Double(total)
        var cumulative: UInt64 = 0
        for (index, bucketCount) in counts.enumerated() {
            let previous = cumulative
            cumulative += bucketCount
            guard Double(cumulative) >= rank, bucketCount > 0 else { continue }
            guard index < Self.boundsSeconds.count else { return Self.boundsSeconds.last }
            let lower = index == 0 ? 0 : Self.boundsSeconds[index - 1]
            let upper = Self.boundsSeconds[index]
            return lower + (upper - lower) * (rank - Double(previous)) / Double(bucketCount)
        }
        return Self.boundsSeconds.last
    }

    /// The median estimate in seconds.
    public var p50Seconds: Double? { quantile(0.5) }
    /// The 95th percentile estimate in seconds.
    public var p95Seconds: Double? { quantile(0.95) }
    /// The 99th percentile estimate in seconds.
    public var p99Seconds: Double? { quantile(0.99) }
}
