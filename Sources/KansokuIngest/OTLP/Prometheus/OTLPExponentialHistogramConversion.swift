import KansokuModel

/// Why an OTLP exponential histogram point cannot become a native histogram.
/// The point is dropped (and reported); the metric's other points are kept.
enum OTLPExponentialHistogramProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// Scales below −4 have no native histogram schema (Prometheus refuses them too).
    case scaleTooSmall(Int32)
    /// Bucket indices past what a native histogram can address (`Int32`).
    case bucketIndexOutOfRange(offset: Int32, buckets: Int)
    /// The buckets (zero bucket included) do not add up to the point's count
    /// (with a NaN sum the count may be larger: NaN observations fall in no
    /// bucket). Prometheus's histogram validation refuses such a sample.
    case countMismatch(inBuckets: UInt64, count: UInt64)

    var description: String {
        switch self {
        case .scaleTooSmall(let scale):
            "scale \(scale) is below -4, the coarsest native histogram schema"
        case .bucketIndexOutOfRange(let offset, let buckets):
            "\(buckets) buckets from offset \(offset) go past the largest bucket index"
        case .countMismatch(let inBuckets, let count):
            "\(inBuckets) observations found in buckets, but the count is \(count)"
        }
    }
}

/// OTLP exponential histogram points → Prometheus native histograms, as
/// Prometheus 3's OTLP receiver maps them (`exponentialToNativeHistogram`):
///
/// - the scale is the schema; scales above 8 are brought down to schema 8 by
///   merging each 2^(scale − 8) neighbouring buckets; scales below −4 are refused;
/// - OTLP bucket `k` covers (base^k, base^(k+1)], native bucket `k + 1`
///   covers the same range, so indices shift by one;
/// - empty buckets are dropped except runs of at most two between populated
///   ones, which stay as explicit zeros (the layout Prometheus and
///   client_golang produce);
/// - count and zero count as sent; a missing sum is 0, as in Prometheus;
/// - the zero threshold is Prometheus's default 1e-128, or the point's own
///   `zero_threshold` when that is wider. Prometheus ignores the field (a
///   TODO there); honouring it keeps observations the producer rounded to
///   zero out of the wrong bounds;
/// - the counter-reset hint is unknown (PromQL detects resets itself), which
///   is what Prometheus sets for cumulative points.
///
/// Min and max have no place in a native histogram and are dropped, as in
/// Prometheus. The "no recorded value" flag is the caller's business (it
/// becomes a staleness marker).
enum OTLPExponentialHistogramConversion {
    /// Prometheus's zero threshold for converted points.
    static let defaultZeroThreshold = 1e-128

    static func nativeHistogram(_ point: ExponentialHistogramDataPoint) throws(OTLPExponentialHistogramProblem)
        -> NativeHistogram {
        guard point.scale >= NativeHistogram.standardSchemas.lowerBound else { throw .scaleTooSmall(point.scale) }
        let positive = try buckets(point.positive)
        let negative = try buckets(point.negative)

        // Wrapping, as Prometheus's uint64 arithmetic: absurd totals still fail the comparison.
        let inBuckets = point.zeroCount &+ positive.total &+ negative.total
        let sum = point.sum ?? 0
        if sum.isNaN ? inBuckets > point.count : inBuckets != point.count {
            throw .countMismatch(inBuckets: inBuckets, count: point.count)
        }

        // `max` would pass a NaN threshold through on one side only: treat NaN as unset.
        let threshold = point.zeroThreshold > defaultZeroThreshold ? point.zeroThreshold : defaultZeroThreshold
        let histogram = NativeHistogram(
            counterResetHint: .unknown, schema: point.scale, zeroThreshold: threshold,
            zeroCount: Double(point.zeroCount), count: Double(point.count), sum: sum,
            positiveSpans: positive.spans, negativeSpans: negative.spans,
            positiveBuckets: positive.counts, negativeBuckets: negative.counts)
        // Resolution first, then compaction: merged neighbours may fill a gap.
        let schema = min(point.scale, NativeHistogram.standardSchemas.upperBound)
        return histogram.reducedResolution(to: schema).compacted(maxEmptyBuckets: 2)
    }

    /// One dense span holding every OTLP bucket at its native index (OTLP
    /// index + 1), and the buckets' total. Empty buckets are dropped later,
    /// by compaction.
    static func buckets(_ buckets: ExponentialHistogramDataPoint.Buckets) throws(OTLPExponentialHistogramProblem)
        -> (spans: [NativeHistogram.Span], counts: [Double], total: UInt64) {
        let counts = buckets.bucketCounts
        guard !counts.isEmpty else { return ([], [], 0) }
        // The last native index is offset + count; it must fit an Int32 (so must the count, a span length).
        guard Int64(buckets.offset) + Int64(counts.count) <= Int64(Int32.max) else {
            throw .bucketIndexOutOfRange(offset: buckets.offset, buckets: counts.count)
        }
        var total: UInt64 = 0
        for count in counts { total &+= count }
        let span = NativeHistogram.Span(offset: buckets.offset + 1, length: UInt32(counts.count))
        return ([span], counts.map { Double($0) }, total)
    }
}
