import Foundation

/// A Prometheus native histogram with float counts: the form PromQL
/// evaluates (Prometheus's `FloatHistogram`), and the lossless form of an
/// OpenTelemetry exponential histogram.
///
/// Buckets are sparse and addressed by an integer index. With a standard
/// schema `s` (−4…8) bucket `i` covers `(2^((i−1)·2^−s), 2^(i·2^−s)]` on the
/// positive side and the mirror image on the negative side; values with
/// magnitude at most `zeroThreshold` are counted in the zero bucket. With the
/// custom-buckets schema (−53) bucket `i` is `(customValues[i−1],
/// customValues[i]]`, the first starting at −∞ and the last ending at +∞,
/// and there are no negative or zero buckets.
///
/// Populated buckets are described by spans: the first span's offset is the
/// index of its first bucket, every later offset is the gap after the
/// previous span. Bucket counts are absolute (not deltas).
public struct NativeHistogram: Sendable, Hashable {
    /// What the producer knew about counter resets at this sample.
    public enum CounterResetHint: UInt8, Sendable, Hashable {
        /// Not known: PromQL detects resets by comparing with the previous sample.
        case unknown = 0
        /// The counter reset just before this sample.
        case counterReset = 1
        /// The counter did not reset.
        case notCounterReset = 2
        /// A gauge histogram: counts may go down; there are no resets.
        case gauge = 3
    }

    /// A run of consecutive populated (or explicitly empty) buckets.
    public struct Span: Sendable, Hashable {
        /// For the first span, the index of its first bucket; for later
        /// spans, the number of buckets skipped after the previous span.
        public var offset: Int32
        /// Buckets in the run.
        public var length: UInt32

        public init(offset: Int32, length: UInt32) {
            self.offset = offset
            self.length = length
        }
    }

    /// The schema of histograms with custom bucket bounds (`customValues`).
    public static let customBucketsSchema: Int32 = -53
    /// The standard exponential schemas.
    public static let standardSchemas: ClosedRange<Int32> = -4...8

    public var counterResetHint: CounterResetHint
    public var schema: Int32
    public var zeroThreshold: Double
    public var zeroCount: Double
    /// Observations, including the zero bucket and NaN observations.
    public var count: Double
    public var sum: Double
    public var positiveSpans: [Span]
    public var negativeSpans: [Span]
    public var positiveBuckets: [Double]
    public var negativeBuckets: [Double]
    /// Upper bounds of the custom buckets (schema −53), ascending; +∞ is implied.
    public var customValues: [Double]

    public init(counterResetHint: CounterResetHint = .unknown, schema: Int32 = 0, zeroThreshold: Double = 0,
                zeroCount: Double = 0, count: Double = 0, sum: Double = 0,
                positiveSpans: [Span] = [], negativeSpans: [Span] = [],
                positiveBuckets: [Double] = [], negativeBuckets: [Double] = [], customValues: [Double] = []) {
        self.counterResetHint = counterResetHint
        self.schema = schema
        self.zeroThreshold = zeroThreshold
        self.zeroCount = zeroCount
        self.count = count
        self.sum = sum
        self.positiveSpans = positiveSpans
        self.negativeSpans = negativeSpans
        self.positiveBuckets = positiveBuckets
        self.negativeBuckets = negativeBuckets
        self.customValues = customValues
    }

    /// Whether the buckets are custom bounds (schema −53).
    public var usesCustomBuckets: Bool { schema == Self.customBucketsSchema }
}

/// One bucket of a ``NativeHistogram`` with its bounds resolved.
public struct NativeHistogramBucket: Sendable, Hashable {
    public var lower: Double
    public var upper: Double
    public var lowerInclusive: Bool
    public var upperInclusive: Bool
    public var count: Double
    /// The bucket's index in its schema (0 for the zero bucket).
    public var index: Int32

    public init(lower: Double, upper: Double, lowerInclusive: Bool, upperInclusive: Bool, count: Double, index: Int32) {
        self.lower = lower
        self.upper = upper
        self.lowerInclusive = lowerInclusive
        self.upperInclusive = upperInclusive
        self.count = count
        self.index = index
    }
}

extension NativeHistogram {
    /// `(index, count)` of every bucket the spans describe, in index order.
    public static func indexedBuckets(spans: [Span], counts: [Double]) -> [(index: Int32, count: Double)] {
        var out: [(index: Int32, count: Double)] = []
        out.reserveCapacity(counts.count)
        var index: Int32 = 0
        var position = 0
        for (n, span) in spans.enumerated() {
            index = n == 0 ? span.offset : index + span.offset
            for _ in 0..<span.length where position < counts.count {
                out.append((index, counts[position]))
                position += 1
                index += 1
            }
        }
        return out
    }

    /// The upper bound of bucket `index` in a standard `schema`
    /// (2^(index·2^−schema), computed exactly for whole powers of two).
    public static func upperBound(index: Int32, schema: Int32) -> Double {
        if schema <= 0 {
            let exponent = Int(index) << Int(-schema)
            if exponent >= 1024 { return .greatestFiniteMagnitude }
            return Double(sign: .plus, exponent: exponent, significand: 1)
        }
        let perDoubling = 1 << Int(schema)
        let doublings = Int(index) >> Int(schema)  // floor division
        let fraction = Int(index) - doublings * perDoubling
        if doublings >= 1024 { return .greatestFiniteMagnitude }
        let significand = fraction == 0 ? 1 : Foundation.pow(2, Double(fraction) / Double(perDoubling))
        return Double(sign: .plus, exponent: doublings, significand: significand)
    }

    /// The upper bound of a bucket of this histogram (custom or standard).
    public func upperBound(index: Int32) -> Double {
        if usesCustomBuckets {
            return Int(index) < customValues.count ? customValues[Int(index)] : .infinity
        }
        return Self.upperBound(index: index, schema: schema)
    }

    /// The lower bound of a positive bucket of this histogram.
    public func lowerBound(index: Int32) -> Double {
        if usesCustomBuckets {
            return index == 0 ? -.infinity : customValues[Int(index) - 1]
        }
        return Self.upperBound(index: index - 1, schema: schema)
    }

    /// Every populated or listed bucket from the lowest bound to the highest:
    /// negative buckets (descending index), the zero bucket (if its count or
    /// threshold is non-zero), then positive buckets.
    public var buckets: [NativeHistogramBucket] {
        var out: [NativeHistogramBucket] = []
        for (index, count) in Self.indexedBuckets(spans: negativeSpans, counts: negativeBuckets).reversed() {
            out.append(NativeHistogramBucket(lower: -upperBound(index: index), upper: -lowerBound(index: index),
                                             lowerInclusive: true, upperInclusive: false, count: count, index: index))
        }
        if !usesCustomBuckets && (zeroCount != 0 || zeroThreshold != 0) {
            out.append(NativeHistogramBucket(lower: -zeroThreshold, upper: zeroThreshold,
                                             lowerInclusive: true, upperInclusive: true, count: zeroCount, index: 0))
        }
        for (index, count) in Self.indexedBuckets(spans: positiveSpans, counts: positiveBuckets) {
            out.append(NativeHistogramBucket(lower: lowerBound(index: index), upper: upperBound(index: index),
                                             lowerInclusive: false, upperInclusive: true, count: count, index: index))
        }
        return out
    }
}

extension NativeHistogram {
    /// Whether `other` is the same histogram bit for bit, as Prometheus
    /// compares a resent sample: unlike `==`, a NaN sum (a stale marker's)
    /// equals the same NaN.
    public func isIdentical(to other: NativeHistogram) -> Bool {
        func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }
        func same(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { same($0, $1) } }
        return counterResetHint == other.counterResetHint && schema == other.schema
            && same(zeroThreshold, other.zeroThreshold) && same(zeroCount, other.zeroCount)
            && same(count, other.count) && same(sum, other.sum)
            && positiveSpans == other.positiveSpans && negativeSpans == other.negativeSpans
            && same(positiveBuckets, other.positiveBuckets) && same(negativeBuckets, other.negativeBuckets)
            && same(customValues, other.customValues)
    }
}
