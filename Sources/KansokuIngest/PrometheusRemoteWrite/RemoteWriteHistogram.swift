import KansokuModel

/// A `prometheus.Histogram` message as it came off the wire, before
/// validation. Both bucket encodings are kept: which one counts depends on
/// the `count` oneof, as in Prometheus (`IsFloatHistogram`).
struct RemoteWriteHistogram: Sendable, Hashable {
    /// A protobuf `oneof` of an integer and a float; the last one sent wins.
    enum Number: Sendable, Hashable {
        case unset
        case int(UInt64)
        case float(Double)
    }

    var count = Number.unset
    var sum: Double = 0
    var schema: Int32 = 0
    var zeroThreshold: Double = 0
    var zeroCount = Number.unset
    var negativeSpans: [NativeHistogram.Span] = []
    /// Integer histograms: each bucket's count minus the previous bucket's.
    var negativeDeltas: [Int64] = []
    /// Float histograms: absolute counts.
    var negativeCounts: [Double] = []
    var positiveSpans: [NativeHistogram.Span] = []
    var positiveDeltas: [Int64] = []
    var positiveCounts: [Double] = []
    /// `ResetHint`: 0 unknown, 1 yes, 2 no, 3 gauge.
    var resetHint: UInt64 = 0
    /// Milliseconds since the Unix epoch.
    var timestamp: Int64 = 0
    var customValues: [Double] = []

    /// A float histogram is one whose count is `count_float`; anything else
    /// (including no count at all) is an integer histogram, as in Prometheus.
    var isFloat: Bool {
        if case .float = count { return true }
        return false
    }

    /// The sample this message describes, after Prometheus's histogram
    /// validation (`Histogram.Validate` / `FloatHistogram.Validate`).
    /// Integer bucket deltas become absolute counts; a zero count sent in the
    /// other kind's field reads as 0, as Prometheus's getters do.
    func sample() throws(RemoteWriteHistogramProblem) -> HistogramSample {
        let negative: [Double]
        let positive: [Double]
        var histogram = NativeHistogram(
            counterResetHint: NativeHistogram.CounterResetHint(rawValue: UInt8(truncatingIfNeeded: resetHint)) ?? .unknown,
            schema: schema, zeroThreshold: zeroThreshold, sum: sum,
            positiveSpans: positiveSpans, negativeSpans: negativeSpans, customValues: customValues)
        if case .float(let count) = count {
            let zero: Double = if case .float(let value) = zeroCount { value } else { 0 }
            try Self.validateLayout(schema: schema, zeroThreshold: zeroThreshold, zeroCountIsZero: zero == 0,
                                    positiveSpans: positiveSpans, positiveBuckets: positiveCounts.count,
                                    negativeSpans: negativeSpans, negativeBuckets: negativeCounts.count, customValues: customValues)
            if let index = negativeCounts.firstIndex(where: { $0 < 0 }) {
                throw .negativeBucketCount(side: .negative, bucket: index + 1, count: negativeCounts[index])
            }
            if zero < 0 { throw .negativeZeroCount(zero) }
            if count < 0 { throw .negativeCount(count) }
            if let index = positiveCounts.firstIndex(where: { $0 < 0 }) {
                throw .negativeBucketCount(side: .positive, bucket: index + 1, count: positiveCounts[index])
            }
            (histogram.count, histogram.zeroCount) = (count, zero)
            (negative, positive) = (negativeCounts, positiveCounts)
        } else {
            let count: UInt64 = if case .int(let value) = count { value } else { 0 }
            let zero: UInt64 = if case .int(let value) = zeroCount { value } else { 0 }
            try Self.validateLayout(schema: schema, zeroThreshold: zeroThreshold, zeroCountIsZero: zero == 0,
                                    positiveSpans: positiveSpans, positiveBuckets: positiveDeltas.count,
                                    negativeSpans: negativeSpans, negativeBuckets: negativeDeltas.count, customValues: customValues)
            let (negativeAbsolute, negativeTotal) = try Self.absolute(negativeDeltas, side: .negative)
            let (positiveAbsolute, positiveTotal) = try Self.absolute(positiveDeltas, side: .positive)
            // Wrapping, as Prometheus's uint64 sum: absurd totals still fail the comparison.
            let observed = negativeTotal &+ positiveTotal &+ zero
            if sum.isNaN {
                // NaN observations land in no bucket, so the count may exceed the buckets.
                if observed > count { throw .countNotBigEnough(inBuckets: observed, count: count) }
            } else if observed != count {
                throw .countMismatch(inBuckets: observed, count: count)
            }
            (histogram.count, histogram.zeroCount) = (Double(count), Double(zero))
            (negative, positive) = (negativeAbsolute, positiveAbsolute)
        }
        histogram.negativeBuckets = negative
        histogram.positiveBuckets = positive
        return HistogramSample(timestamp: timestamp, histogram: histogram)
    }

    /// Absolute counts from deltas, and their (wrapping) total. Summed as
    /// integers, so counts above 2^53 stay exact until the final conversion.
    static func absolute(_ deltas: [Int64], side: RemoteWriteHistogramProblem.Side)
        throws(RemoteWriteHistogramProblem) -> (counts: [Double], total: UInt64) {
        var counts: [Double] = []
        counts.reserveCapacity(deltas.count)
        var current: Int64 = 0
        var total: UInt64 = 0
        for (index, delta) in deltas.enumerated() {
            current &+= delta
            if current < 0 { throw .negativeBucketCount(side: side, bucket: index + 1, count: Double(current)) }
            total &+= UInt64(current)
            counts.append(Double(current))
        }
        return (counts, total)
    }

    /// The checks both kinds share: schema, spans against buckets, and the
    /// constraints of each schema family, in Prometheus's order.
    static func validateLayout(schema: Int32, zeroThreshold: Double, zeroCountIsZero: Bool,
                               positiveSpans: [NativeHistogram.Span], positiveBuckets: Int,
                               negativeSpans: [NativeHistogram.Span], negativeBuckets: Int,
                               customValues: [Double]) throws(RemoteWriteHistogramProblem) {
        if schema == NativeHistogram.customBucketsSchema {
            try validateCustomBounds(customValues, spans: positiveSpans, buckets: positiveBuckets)
            if !zeroCountIsZero { throw .customBucketsWithZeroCount }
            if zeroThreshold != 0 { throw .customBucketsWithZeroThreshold(zeroThreshold) }
            if !negativeSpans.isEmpty || negativeBuckets > 0 { throw .customBucketsWithNegativeBuckets }
        } else if NativeHistogram.standardSchemas.contains(schema) {
            try validateSpans(positiveSpans, buckets: positiveBuckets, side: .positive)
            try validateSpans(negativeSpans, buckets: negativeBuckets, side: .negative)
            if !customValues.isEmpty { throw .customBoundsWithExponentialSchema(customValues.count) }
        } else {
            throw .invalidSchema(schema)
        }
    }

    /// Every span after the first must move forward; the spans must describe
    /// exactly as many buckets as were sent.
    static func validateSpans(_ spans: [NativeHistogram.Span], buckets: Int, side: RemoteWriteHistogramProblem.Side)
        throws(RemoteWriteHistogramProblem) {
        var described = 0
        for (index, span) in spans.enumerated() {
            if index > 0 && span.offset < 0 { throw .negativeSpanOffset(side: side, span: index + 1, offset: span.offset) }
            described += Int(span.length)
        }
        if described != buckets { throw .spansBucketsMismatch(side: side, spanBuckets: described, buckets: buckets) }
    }

    /// Custom bounds: not NaN, strictly ascending, no explicit +∞, and enough
    /// of them for the buckets the spans reach (the last bucket ends at +∞).
    static func validateCustomBounds(_ bounds: [Double], spans: [NativeHistogram.Span], buckets: Int)
        throws(RemoteWriteHistogramProblem) {
        for (index, bound) in bounds.enumerated() {
            if bound.isNaN { throw .customBoundNaN(index: index) }
            if index > 0 && bound <= bounds[index - 1] {
                throw .customBoundsNotAscending(index: index, previous: bounds[index - 1], bound: bound)
            }
        }
        if bounds.last == .infinity { throw .customBoundInfinite }
        var described = 0
        var reach = 0
        for (index, span) in spans.enumerated() {
            // Custom bucket indices start at 0, so even the first offset may not be negative.
            if span.offset < 0 { throw .negativeSpanOffset(side: .positive, span: index + 1, offset: span.offset) }
            described += Int(span.length)
            reach += Int(span.length) + Int(span.offset)
        }
        if described != buckets { throw .spansBucketsMismatch(side: .positive, spanBuckets: described, buckets: buckets) }
        if bounds.count + 1 < reach { throw .tooFewCustomBounds(bounds: bounds.count, spanLength: reach) }
    }
}
