// Compensated (Kahan–Neumaier) histogram addition with Prometheus 3.x
// semantics (`FloatHistogram.KahanAdd`), which PromQL's sum, avg,
// sum_over_time and avg_over_time use so that e.g. 3.1 + 1e100 − 1e100 + 1.3
// still sums to 4.4.

extension NativeHistogram {
    /// Adds `other` like ``adding(_:)`` but with Kahan–Neumaier compensated
    /// summation, as Prometheus's `FloatHistogram.KahanAdd`.
    ///
    /// `compensation` holds the running error terms: pass `nil` on the first
    /// call, then the returned `compensation` on every further call. It always
    /// has the same layout (schema, zero threshold, spans) as `result`; scale
    /// it along with the sum if the sum is scaled (`avg` does). When done, add
    /// it once with plain ``adding(_:)``: `try sum.adding(compensation).result`.
    ///
    /// Hints, collisions and custom-bucket reconciliation behave as in
    /// ``adding(_:)``; the compensation keeps the hint the sum had when it was
    /// created, as in Prometheus.
    public func kahanAdding(_ other: NativeHistogram, compensation: NativeHistogram?) throws(NativeHistogramError)
        -> (result: NativeHistogram, compensation: NativeHistogram, counterResetCollision: Bool,
            reconciledCustomBuckets: Bool)
    {
        guard usesCustomBuckets == other.usesCustomBuckets else {
            throw .mixedExponentialAndCustomBuckets
        }
        var h = self
        let collision = h.combineCounterResetHint(with: other.counterResetHint)
        var maybeC: NativeHistogram? = compensation ?? h.emptyCompensation()
        if !h.usesCustomBuckets {
            let (otherZero, otherZeroCompensation) = h.reconcileZeroBucket(with: other, compensation: &maybeC)
            var zeroC = maybeC?.zeroCount ?? 0
            (h.zeroCount, zeroC) = CompensatedSum.add(otherZero, to: h.zeroCount, compensation: zeroC)
            (h.zeroCount, zeroC) = CompensatedSum.add(otherZeroCompensation, to: h.zeroCount, compensation: zeroC)
            maybeC?.zeroCount = zeroC
        }
        var c = maybeC ?? h.emptyCompensation()
        (h.count, c.count) = CompensatedSum.add(other.count, to: h.count, compensation: c.count)
        (h.sum, c.sum) = CompensatedSum.add(other.sum, to: h.sum, compensation: c.sum)

        var ownPositive = Self.compensatedBuckets(spans: h.positiveSpans, counts: h.positiveBuckets,
                                                  compensations: c.positiveBuckets)
        var otherPositive = Self.compensatedBuckets(spans: other.positiveSpans, counts: other.positiveBuckets,
                                                    compensations: nil)
        if h.usesCustomBuckets {
            var reconciled = false
            let merged: [CompensatedBucket]
            if Self.customBoundsMatch(h.customValues, other.customValues) {
                merged = Self.kahanMergeBuckets(ownPositive, otherPositive, schema: h.schema,
                                                zeroThreshold: h.zeroThreshold)
            } else {
                reconciled = true
                let common = Self.commonCustomBounds(h.customValues, other.customValues)
                merged = Self.mergeMismatchedCustomBuckets(ownPositive, bounds: h.customValues,
                                                           otherPositive, bounds: other.customValues,
                                                           into: common, subtracting: false,
                                                           includeOwnCompensation: true)
                h.customValues = common
                c.customValues = common
            }
            (h.positiveSpans, h.positiveBuckets, c.positiveBuckets) = Self.compensatedLayout(merged)
            c.positiveSpans = h.positiveSpans
            return (h, c, collision, reconciled)
        }

        var ownNegative = Self.compensatedBuckets(spans: h.negativeSpans, counts: h.negativeBuckets,
                                                  compensations: c.negativeBuckets)
        var otherNegative = Self.compensatedBuckets(spans: other.negativeSpans, counts: other.negativeBuckets,
                                                    compensations: nil)
        if other.schema < h.schema {
            ownPositive = Self.kahanReduceResolution(ownPositive, from: h.schema, to: other.schema)
            ownNegative = Self.kahanReduceResolution(ownNegative, from: h.schema, to: other.schema)
            h.schema = other.schema
        } else if other.schema > h.schema {
            // Merging `other`'s buckets produces compensation terms of its own.
            otherPositive = Self.kahanReduceResolution(otherPositive, from: other.schema, to: h.schema)
            otherNegative = Self.kahanReduceResolution(otherNegative, from: other.schema, to: h.schema)
        }
        (h.positiveSpans, h.positiveBuckets, c.positiveBuckets) = Self.compensatedLayout(
            Self.kahanMergeBuckets(ownPositive, otherPositive, schema: h.schema, zeroThreshold: h.zeroThreshold))
        (h.negativeSpans, h.negativeBuckets, c.negativeBuckets) = Self.compensatedLayout(
            Self.kahanMergeBuckets(ownNegative, otherNegative, schema: h.schema, zeroThreshold: h.zeroThreshold))
        c.schema = h.schema
        c.zeroThreshold = h.zeroThreshold
        c.positiveSpans = h.positiveSpans
        c.negativeSpans = h.negativeSpans
        return (h, c, collision, false)
    }
}

extension NativeHistogram {
    /// A listed bucket with the Kahan compensation term kept alongside.
    typealias CompensatedBucket = (index: Int32, count: Double, compensation: Double)

    /// Prometheus's `newCompensationHistogram`: this layout, all terms zero.
    func emptyCompensation() -> NativeHistogram {
        NativeHistogram(counterResetHint: counterResetHint, schema: schema, zeroThreshold: zeroThreshold,
                        positiveSpans: positiveSpans, negativeSpans: negativeSpans,
                        positiveBuckets: [Double](repeating: 0, count: positiveBuckets.count),
                        negativeBuckets: usesCustomBuckets ? [] : [Double](repeating: 0, count: negativeBuckets.count),
                        customValues: customValues)
    }

    /// `counts[position]`, or 0 past the end (a compensation histogram whose
    /// layout was not kept in step must not crash the engine).
    static func element(_ counts: [Double], _ position: Int) -> Double {
        position < counts.count ? counts[position] : 0
    }

    /// The listed buckets with the compensation at the same position (0 if none).
    static func compensatedBuckets(spans: [Span], counts: [Double], compensations: [Double]?) -> [CompensatedBucket] {
        indexedBuckets(spans: spans, counts: counts).enumerated().map { position, bucket in
            (bucket.index, bucket.count, compensations.map { element($0, position) } ?? 0)
        }
    }

    /// Canonical spans, counts and compensation terms.
    static func compensatedLayout(_ buckets: [CompensatedBucket]) -> (spans: [Span], counts: [Double], compensations: [Double]) {
        let (spans, counts) = layout(buckets.map { ($0.index, $0.count) })
        return (spans, counts, buckets.map(\.compensation))
    }

    /// Prometheus's `kahanCompact(0)`: drops the buckets where both the count
    /// and the compensation are zero, in `h` and `c` alike.
    static func compactWithCompensation(_ h: inout NativeHistogram, _ c: inout NativeHistogram) {
        let nonEmpty: (CompensatedBucket) -> Bool = { $0.count != 0 || $0.compensation != 0 }
        (h.positiveSpans, h.positiveBuckets, c.positiveBuckets) = compensatedLayout(
            compensatedBuckets(spans: h.positiveSpans, counts: h.positiveBuckets,
                               compensations: c.positiveBuckets).filter(nonEmpty))
        (h.negativeSpans, h.negativeBuckets, c.negativeBuckets) = compensatedLayout(
            compensatedBuckets(spans: h.negativeSpans, counts: h.negativeBuckets,
                               compensations: c.negativeBuckets).filter(nonEmpty))
        c.positiveSpans = h.positiveSpans
        c.negativeSpans = h.negativeSpans
    }

    /// Prometheus's `kahanReduceResolution`: like ``reduceResolution(_:from:to:)``
    /// but merging with compensated sums (each origin count, then its term).
    static func kahanReduceResolution(_ buckets: [CompensatedBucket], from origin: Int32, to target: Int32)
        -> [CompensatedBucket]
    {
        guard origin != target else { return buckets }
        var out: [CompensatedBucket] = []
        for bucket in buckets {
            let index = targetIndex(bucket.index, from: origin, to: target)
            if let last = out.last, last.index == index {
                var (sum, c) = CompensatedSum.add(bucket.count, to: last.count, compensation: last.compensation)
                (sum, c) = CompensatedSum.add(bucket.compensation, to: sum, compensation: c)
                out[out.count - 1] = (index, sum, c)
            } else {
                out.append((index, bucket.count, bucket.compensation))
            }
        }
        return out
    }

    /// Prometheus's `kahanAddBuckets`: ``mergeBuckets(_:_:schema:zeroThreshold:subtracting:)``
    /// with compensated sums; `other`'s term is added only when non-zero.
    static func kahanMergeBuckets(_ own: [CompensatedBucket], _ other: [CompensatedBucket], schema: Int32,
                                  zeroThreshold: Double) -> [CompensatedBucket] {
        var start = 0
        if standardSchemas.contains(schema) {
            while start < other.count && upperBound(index: other[start].index, schema: schema) <= zeroThreshold {
                start += 1
            }
        }
        var out: [CompensatedBucket] = []
        var i = 0
        var j = start
        while i < own.count || j < other.count {
            if j == other.count || (i < own.count && own[i].index < other[j].index) {
                out.append(own[i])
                i += 1
                continue
            }
            if i < own.count && own[i].index == other[j].index {
                var (sum, c) = CompensatedSum.add(other[j].count, to: own[i].count, compensation: own[i].compensation)
                if other[j].compensation != 0 {
                    (sum, c) = CompensatedSum.add(other[j].compensation, to: sum, compensation: c)
                }
                out.append((own[i].index, sum, c))
                i += 1
            } else {
                out.append(other[j])
            }
            j += 1
        }
        return out
    }
}
