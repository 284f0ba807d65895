// Arithmetic on native histograms with the semantics of Prometheus 3.x
// `FloatHistogram` (model/histogram/float_histogram.go): Add, Sub, Mul, Div.
// Compact and resolution reduction live in NativeHistogram+Layout.swift,
// zero-bucket widening in NativeHistogram+ZeroBucket.swift, compensated
// (Kahan) addition in NativeHistogram+Kahan.swift, counter-reset detection in
// NativeHistogram+Reset.swift.

/// Why two native histograms cannot be combined.
public enum NativeHistogramError: Error, Sendable, Hashable {
    /// One operand has custom buckets (schema -53), the other exponential ones.
    case mixedExponentialAndCustomBuckets
}

extension NativeHistogram {
    /// Adds `other` to this histogram, as Prometheus's `FloatHistogram.Add`.
    ///
    /// - Exponential histograms: the zero buckets are reconciled first (the
    ///   smaller threshold is widened to the larger one, moved further up if it
    ///   would split a populated bucket, and buckets inside it are merged into
    ///   the zero count); then the finer schema is reduced to the coarser one
    ///   and the buckets are merged index by index.
    /// - Custom buckets (schema −53) with identical bounds are merged index by
    ///   index; with different bounds both are mapped onto the bounds the two
    ///   have in common (the intersection; +∞ is always shared) and
    ///   `reconciledCustomBuckets` is `true`.
    ///
    /// The result keeps every bucket either operand lists (empty ones
    /// included), in canonical spans (adjacent buckets share one span); call
    /// ``compacted(maxEmptyBuckets:)`` to drop empty buckets, as PromQL does.
    ///
    /// Counter-reset hints: equal hints are kept; a gauge on either side wins;
    /// otherwise an unknown hint on either side gives unknown; `counterReset`
    /// meeting `notCounterReset` gives unknown and `counterResetCollision`.
    ///
    /// - Throws: ``NativeHistogramError/mixedExponentialAndCustomBuckets`` if
    ///   exactly one operand uses custom buckets.
    public func adding(_ other: NativeHistogram) throws(NativeHistogramError)
        -> (result: NativeHistogram, counterResetCollision: Bool, reconciledCustomBuckets: Bool)
    {
        try combined(with: other, subtracting: false)
    }

    /// Subtracts `other` from this histogram, as Prometheus's
    /// `FloatHistogram.Sub`: the same reconciliation as ``adding(_:)``, with
    /// `other`'s counts negated. Buckets only `other` has become negative.
    ///
    /// The counter-reset hint is combined exactly as in ``adding(_:)``
    /// (Prometheus needs that for incremental means); the PromQL `-` operator
    /// must set the result's hint to `.gauge` itself.
    public func subtracting(_ other: NativeHistogram) throws(NativeHistogramError)
        -> (result: NativeHistogram, counterResetCollision: Bool, reconciledCustomBuckets: Bool)
    {
        try combined(with: other, subtracting: true)
    }

    /// Scales count, sum, zero count and every bucket by `factor`, keeping the
    /// bucket layout, as Prometheus's `FloatHistogram.Mul`. A negative factor
    /// makes the result a gauge histogram (its counts may now go down).
    /// Multiplying by zero keeps the (now empty) buckets; NaN and ±∞ propagate
    /// into every count.
    public func multiplied(by factor: Double) -> NativeHistogram {
        var h = self
        h.zeroCount *= factor
        h.count *= factor
        h.sum *= factor
        for i in h.positiveBuckets.indices { h.positiveBuckets[i] *= factor }
        for i in h.negativeBuckets.indices { h.negativeBuckets[i] *= factor }
        if factor < 0 { h.counterResetHint = .gauge }
        return h
    }

    /// Divides count, sum, zero count and every bucket by `divisor`, as
    /// Prometheus's `FloatHistogram.Div`. Dividing by zero turns count, sum
    /// and zero count into ±∞ (or NaN for 0/0) and removes all buckets
    /// (Prometheus's choice: an infinite bucket layout would be meaningless);
    /// the hint is then left as is. A negative divisor makes the result a
    /// gauge histogram.
    public func divided(by divisor: Double) -> NativeHistogram {
        var h = self
        h.zeroCount /= divisor
        h.count /= divisor
        h.sum /= divisor
        if divisor == 0 {
            h.positiveBuckets = []
            h.negativeBuckets = []
            h.positiveSpans = []
            h.negativeSpans = []
            return h
        }
        for i in h.positiveBuckets.indices { h.positiveBuckets[i] /= divisor }
        for i in h.negativeBuckets.indices { h.negativeBuckets[i] /= divisor }
        if divisor < 0 { h.counterResetHint = .gauge }
        return h
    }
}

// MARK: - Add / Sub

extension NativeHistogram {
    /// The shared body of Add and Sub (Prometheus duplicates it; the only
    /// difference is the sign applied to `other`'s counts).
    func combined(with other: NativeHistogram, subtracting: Bool) throws(NativeHistogramError)
        -> (result: NativeHistogram, counterResetCollision: Bool, reconciledCustomBuckets: Bool)
    {
        guard usesCustomBuckets == other.usesCustomBuckets else {
            throw .mixedExponentialAndCustomBuckets
        }
        var h = self
        let collision = h.combineCounterResetHint(with: other.counterResetHint)
        if !h.usesCustomBuckets {
            // Must happen before any schema change: thresholds are reconciled
            // against each operand's own (original) bucket bounds.
            var noCompensation: NativeHistogram?
            let otherZeroCount = h.reconcileZeroBucket(with: other, compensation: &noCompensation).count
            h.zeroCount = subtracting ? h.zeroCount - otherZeroCount : h.zeroCount + otherZeroCount
        }
        h.count = subtracting ? h.count - other.count : h.count + other.count
        h.sum = subtracting ? h.sum - other.sum : h.sum + other.sum

        var ownPositive = Self.indexedBuckets(spans: h.positiveSpans, counts: h.positiveBuckets)
        var otherPositive = Self.indexedBuckets(spans: other.positiveSpans, counts: other.positiveBuckets)

        if h.usesCustomBuckets {
            var reconciled = false
            let merged: [IndexedBucket]
            if Self.customBoundsMatch(h.customValues, other.customValues) {
                merged = Self.mergeBuckets(ownPositive, otherPositive, schema: h.schema,
                                           zeroThreshold: h.zeroThreshold, subtracting: subtracting)
            } else {
                reconciled = true
                let common = Self.commonCustomBounds(h.customValues, other.customValues)
                merged = Self.mergeMismatchedCustomBuckets(
                    Self.compensatedBuckets(spans: h.positiveSpans, counts: h.positiveBuckets, compensations: nil),
                    bounds: h.customValues,
                    Self.compensatedBuckets(spans: other.positiveSpans, counts: other.positiveBuckets, compensations: nil),
                    bounds: other.customValues, into: common, subtracting: subtracting, includeOwnCompensation: false
                ).map { ($0.index, $0.count) }
                h.customValues = common
            }
            (h.positiveSpans, h.positiveBuckets) = Self.layout(merged)
            return (h, collision, reconciled)
        }

        var ownNegative = Self.indexedBuckets(spans: h.negativeSpans, counts: h.negativeBuckets)
        var otherNegative = Self.indexedBuckets(spans: other.negativeSpans, counts: other.negativeBuckets)
        if other.schema < h.schema {
            ownPositive = Self.reduceResolution(ownPositive, from: h.schema, to: other.schema)
            ownNegative = Self.reduceResolution(ownNegative, from: h.schema, to: other.schema)
            h.schema = other.schema
        } else if other.schema > h.schema {
            otherPositive = Self.reduceResolution(otherPositive, from: other.schema, to: h.schema)
            otherNegative = Self.reduceResolution(otherNegative, from: other.schema, to: h.schema)
        }
        (h.positiveSpans, h.positiveBuckets) = Self.layout(
            Self.mergeBuckets(ownPositive, otherPositive, schema: h.schema,
                              zeroThreshold: h.zeroThreshold, subtracting: subtracting))
        (h.negativeSpans, h.negativeBuckets) = Self.layout(
            Self.mergeBuckets(ownNegative, otherNegative, schema: h.schema,
                              zeroThreshold: h.zeroThreshold, subtracting: subtracting))
        return (h, collision, false)
    }

    /// Prometheus's `adjustCounterReset`: combines this histogram's hint with
    /// `other`'s and reports whether `counterReset` met `notCounterReset`.
    mutating func combineCounterResetHint(with other: CounterResetHint) -> Bool {
        if counterResetHint == other { return false }
        switch (counterResetHint, other) {
        case (.gauge, _): return false
        case (_, .gauge): counterResetHint = .gauge; return false
        case (.unknown, _): return false
        case (_, .unknown): counterResetHint = .unknown; return false
        default:
            // One says "reset", the other "no reset": nothing sensible to keep.
            counterResetHint = .unknown
            return true
        }
    }

    /// Prometheus's `addBuckets`: merges `other` into `own` (both ascending by
    /// index, same schema), adding (or subtracting) counts of equal indices and
    /// inserting the rest. Every listed bucket survives, empty or not.
    ///
    /// `other`'s leading buckets whose upper bound is at most `zeroThreshold`
    /// are skipped: zero-bucket reconciliation already counted them in the
    /// zero bucket. Only leading ones, and only for exponential schemas, as
    /// Prometheus does.
    static func mergeBuckets(_ own: [IndexedBucket], _ other: [IndexedBucket], schema: Int32,
                             zeroThreshold: Double, subtracting: Bool) -> [IndexedBucket] {
        var start = 0
        if standardSchemas.contains(schema) {
            while start < other.count && upperBound(index: other[start].index, schema: schema) <= zeroThreshold {
                start += 1
            }
        }
        var out: [IndexedBucket] = []
        out.reserveCapacity(own.count + other.count - start)
        var i = 0
        var j = start
        while i < own.count || j < other.count {
            if j == other.count || (i < own.count && own[i].index < other[j].index) {
                out.append(own[i])
                i += 1
                continue
            }
            // Prometheus negates the other count and then adds it (so a missing
            // bucket subtracted from nothing becomes −count, and an empty one −0).
            let value = subtracting ? -other[j].count : other[j].count
            if i < own.count && own[i].index == other[j].index {
                out.append((own[i].index, own[i].count + value))
                i += 1
            } else {
                out.append((other[j].index, value))
            }
            j += 1
        }
        return out
    }

    /// Prometheus's `intersectCustomBucketBounds`: the bounds present in both
    /// ascending lists (empty if either is empty).
    static func commonCustomBounds(_ a: [Double], _ b: [Double]) -> [Double] {
        var out: [Double] = []
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                out.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return out
    }

    /// Prometheus's `addCustomBucketsWithMismatches`: maps every bucket of both
    /// operands onto the bucket of `common` bounds that contains it (the first
    /// common bound ≥ its own upper bound, else the +∞ bucket) and sums there,
    /// with Kahan-Neumaier compensation. Plain Add/Sub keep only the sum, but
    /// the compensation still decides whether an all-zero target bucket is
    /// listed (only non-empty ones are). With `includeOwnCompensation` (KahanAdd)
    /// each of `own`'s compensation terms is summed in after its count.
    static func mergeMismatchedCustomBuckets(_ own: [CompensatedBucket], bounds ownBounds: [Double],
                                             _ other: [CompensatedBucket], bounds otherBounds: [Double],
                                             into common: [Double], subtracting: Bool,
                                             includeOwnCompensation: Bool) -> [CompensatedBucket] {
        var sums = [Double](repeating: 0, count: common.count + 1)
        var compensations = [Double](repeating: 0, count: common.count + 1)

        func map(_ buckets: [CompensatedBucket], bounds: [Double], negate: Bool, withCompensation: Bool) {
            // The search position only moves forward: buckets are ascending.
            var commonIndex = 0
            for bucket in buckets {
                var target = common.count  // the +∞ bucket
                let index = Int(bucket.index)
                if index >= 0 && index < bounds.count {
                    let bound = bounds[index]
                    while commonIndex < common.count {
                        if common[commonIndex] >= bound {
                            target = commonIndex
                            break
                        }
                        commonIndex += 1
                    }
                }
                let increment = negate ? -bucket.count : bucket.count
                (sums[target], compensations[target]) = CompensatedSum.add(increment, to: sums[target],
                                                                   compensation: compensations[target])
                if withCompensation {
                    (sums[target], compensations[target]) = CompensatedSum.add(bucket.compensation, to: sums[target],
                                                                       compensation: compensations[target])
                }
            }
        }
        map(own, bounds: ownBounds, negate: false, withCompensation: includeOwnCompensation)
        map(other, bounds: otherBounds, negate: subtracting, withCompensation: false)

        var out: [CompensatedBucket] = []
        for (i, value) in sums.enumerated() where value != 0 || compensations[i] != 0 {
            out.append((Int32(i), value, compensations[i]))
        }
        return out
    }
}
