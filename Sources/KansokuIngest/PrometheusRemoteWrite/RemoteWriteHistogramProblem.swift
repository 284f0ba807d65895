import KansokuModel

/// Why a remote-write native histogram is not valid: Prometheus's histogram
/// validation errors (model/histogram), each with the offending values.
/// The series carrying it is refused; the rest of the request is kept.
enum RemoteWriteHistogramProblem: Error, Sendable, Hashable, CustomStringConvertible {
    enum Side: String, Sendable, Hashable {
        case positive, negative
    }

    /// Neither a standard exponential schema (−4…8) nor custom buckets (−53).
    case invalidSchema(Int32)
    /// The spans describe a different number of buckets than were sent.
    case spansBucketsMismatch(side: Side, spanBuckets: Int, buckets: Int)
    /// A span (1-based) that goes backwards: only the first span of a
    /// standard schema may have a negative offset.
    case negativeSpanOffset(side: Side, span: Int, offset: Int32)
    /// A bucket (1-based) whose absolute count is negative (for an integer
    /// histogram, after adding up the deltas).
    case negativeBucketCount(side: Side, bucket: Int, count: Double)
    /// A float histogram's zero bucket count is negative.
    case negativeZeroCount(Double)
    /// A float histogram's count is negative.
    case negativeCount(Double)
    /// An integer histogram whose buckets (zero bucket included) do not add
    /// up to its count.
    case countMismatch(inBuckets: UInt64, count: UInt64)
    /// An integer histogram with a NaN sum whose buckets hold more than its count.
    case countNotBigEnough(inBuckets: UInt64, count: UInt64)
    /// Custom bound at `index` (0-based) is NaN.
    case customBoundNaN(index: Int)
    /// Custom bound at `index` (0-based) is not above the one before it.
    case customBoundsNotAscending(index: Int, previous: Double, bound: Double)
    /// The last custom bound is +∞, which is implied and must not be sent.
    case customBoundInfinite
    /// The spans reach further than the custom bounds (plus the +∞ bucket) go.
    case tooFewCustomBounds(bounds: Int, spanLength: Int)
    /// Custom buckets with a non-zero zero-bucket count.
    case customBucketsWithZeroCount
    /// Custom buckets with a non-zero zero threshold.
    case customBucketsWithZeroThreshold(Double)
    /// Custom buckets with negative spans or buckets.
    case customBucketsWithNegativeBuckets
    /// A standard schema with custom bounds.
    case customBoundsWithExponentialSchema(Int)

    /// Prometheus's error wording, with the values.
    var description: String {
        switch self {
        case .invalidSchema(let schema):
            "histogram has an invalid schema, which must be between -4 and 8 for exponential buckets, or -53 for custom buckets, got schema \(schema)"
        case .spansBucketsMismatch(let side, let spanBuckets, let buckets):
            "\(side.rawValue) side: spans need \(spanBuckets) buckets, have \(buckets) buckets: histogram spans specify different number of buckets than provided"
        case .negativeSpanOffset(let side, let span, let offset):
            "\(side.rawValue) side: span number \(span) with offset \(offset): histogram has a span whose offset is negative"
        case .negativeBucketCount(let side, let bucket, let count):
            "\(side.rawValue) side: bucket number \(bucket) has observation count of \(GoFloatFormat.fixed(count)): histogram has a bucket whose observation count is negative"
        case .negativeZeroCount(let count):
            "zero bucket has observation count of \(GoFloatFormat.fixed(count)): histogram has a bucket whose observation count is negative"
        case .negativeCount(let count):
            "observation count is \(GoFloatFormat.fixed(count)): histogram's observation count is negative"
        case .countMismatch(let inBuckets, let count):
            "\(inBuckets) observations found in buckets, but the Count field is \(count): histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)"
        case .countNotBigEnough(let inBuckets, let count):
            "\(inBuckets) observations found in buckets, but the Count field is \(count): histogram's observation count should be at least the number of observations found in the buckets"
        case .customBoundNaN(let index):
            "custom buckets: bound \(index) is NaN: histogram custom bounds must not be NaN"
        case .customBoundsNotAscending(let index, let previous, let bound):
            "custom buckets: bound \(index) is \(GoFloatFormat.fixed(bound)) after \(GoFloatFormat.fixed(previous)): histogram custom bounds must be in strictly increasing order"
        case .customBoundInfinite:
            "custom buckets: last +Inf bound must not be explicitly defined: histogram custom bounds must be finite"
        case .tooFewCustomBounds(let bounds, let spanLength):
            "custom buckets: only \(bounds) custom bounds defined which is insufficient to cover total span length of \(spanLength): histogram custom bounds are too few"
        case .customBucketsWithZeroCount:
            "custom buckets: must have zero count of 0"
        case .customBucketsWithZeroThreshold(let threshold):
            "custom buckets: must have zero threshold of 0, got \(GoFloatFormat.fixed(threshold))"
        case .customBucketsWithNegativeBuckets:
            "custom buckets: must not have negative spans or buckets"
        case .customBoundsWithExponentialSchema(let count):
            "histogram with exponential schema must not have custom bounds (got \(count))"
        }
    }
}
