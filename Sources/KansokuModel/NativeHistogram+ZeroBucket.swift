// Zero-bucket widening with Prometheus 3.x semantics
// (`zeroCountForLargerThreshold`, `trimBucketsInZeroBucket`,
// `reconcileZeroBuckets` in model/histogram/float_histogram.go), optionally
// carrying a Kahan compensation histogram along (NativeHistogram+Kahan.swift).

extension NativeHistogram {
    /// Widens the zero bucket to at least `threshold`, as Prometheus does when
    /// reconciling the zero buckets of two histograms: every bucket whose lower
    /// bound (in absolute value) is below the new threshold is merged into the
    /// zero count. If the threshold would cut through a populated bucket it is
    /// raised to that bucket's upper bound (re-examining the other side), so
    /// the resulting threshold can be larger than `threshold`.
    ///
    /// As in Prometheus the result is compacted (``compacted(maxEmptyBuckets:)``
    /// with 0) when the threshold changes. Returns the histogram unchanged if
    /// `threshold` is not larger than the current one or if it uses custom
    /// buckets (which have no zero bucket).
    public func widenedZeroBucket(to threshold: Double) -> NativeHistogram {
        guard !usesCustomBuckets, threshold > zeroThreshold else { return self }
        var h = self
        var noCompensation: NativeHistogram?
        (h.zeroCount, h.zeroThreshold, _) = zeroCount(forLargerThreshold: threshold, compensation: nil)
        h.removeBucketsInsideZeroBucket(compensation: &noCompensation)
        return h
    }
}

extension NativeHistogram {
    /// Prometheus's `zeroCountForLargerThreshold`: the zero count this
    /// histogram would have with a zero threshold of at least
    /// `largerThreshold`, the threshold actually needed (raised to the upper
    /// bound of a populated bucket the requested one falls into), and the
    /// Kahan compensation of that zero count (starting from `compensation`'s
    /// zero count and including its buckets, if given).
    func zeroCount(forLargerThreshold largerThreshold: Double, compensation c: NativeHistogram?)
        -> (count: Double, threshold: Double, compensation: Double)
    {
        var cCount = c?.zeroCount ?? 0
        if largerThreshold == zeroThreshold { return (zeroCount, largerThreshold, cCount) }
        // Prometheus panics here; the callers never ask for a smaller threshold.
        if largerThreshold < zeroThreshold { return (zeroCount, zeroThreshold, cCount) }
        let positive = Self.indexedBuckets(spans: positiveSpans, counts: positiveBuckets)
        let negative = Self.indexedBuckets(spans: negativeSpans, counts: negativeBuckets)
        var threshold = largerThreshold
        // Restarted whenever a populated negative bucket raises the threshold:
        // the positive side has to be re-examined with the new value. The
        // threshold strictly grows each time, so this terminates. (Prometheus
        // restarts the count but not its compensation; mirrored.)
        restart: while true {
            var count = zeroCount
            for (position, bucket) in positive.enumerated() {
                let lower = bound(bucket.index &- 1)
                let upper = bound(bucket.index)
                if lower >= threshold { break }
                (count, cCount) = CompensatedSum.add(bucket.count, to: count, compensation: cCount)
                if let c {
                    (count, cCount) = CompensatedSum.add(Self.element(c.positiveBuckets, position), to: count, compensation: cCount)
                }
                if upper > threshold {
                    // The threshold falls inside this bucket: if populated, the
                    // whole bucket has to go into the zero bucket.
                    if bucket.count != 0 { threshold = upper }
                    break
                }
            }
            for (position, bucket) in negative.enumerated() {
                // Bounds of a negative bucket, as Prometheus's iterator reports them.
                let lower = -bound(bucket.index)
                let upper = -bound(bucket.index &- 1)
                if upper <= -threshold { break }
                (count, cCount) = CompensatedSum.add(bucket.count, to: count, compensation: cCount)
                if let c {
                    (count, cCount) = CompensatedSum.add(Self.element(c.negativeBuckets, position), to: count, compensation: cCount)
                }
                if lower < -threshold {
                    if bucket.count != 0 {
                        threshold = -lower
                        continue restart
                    }
                    break
                }
            }
            return (count, threshold, cCount)
        }
    }

    /// Prometheus's `trimBucketsInZeroBucket`: empties every bucket inside the
    /// zero bucket (their counts are already part of the zero count), in the
    /// compensation histogram too, then compacts — which, as in Prometheus,
    /// drops all empty buckets, not only those.
    mutating func removeBucketsInsideZeroBucket(compensation c: inout NativeHistogram?) {
        var position = 0
        for bucket in Self.indexedBuckets(spans: positiveSpans, counts: positiveBuckets) {
            if bound(bucket.index &- 1) >= zeroThreshold { break }
            positiveBuckets[position] = 0
            if position < c?.positiveBuckets.count ?? 0 { c?.positiveBuckets[position] = 0 }
            position += 1
        }
        position = 0
        for bucket in Self.indexedBuckets(spans: negativeSpans, counts: negativeBuckets) {
            if -bound(bucket.index &- 1) <= -zeroThreshold { break }
            negativeBuckets[position] = 0
            if position < c?.negativeBuckets.count ?? 0 { c?.negativeBuckets[position] = 0 }
            position += 1
        }
        if c != nil {
            Self.compactWithCompensation(&self, &c!)
        } else {
            self = compacted(maxEmptyBuckets: 0)
        }
    }

    /// Prometheus's `reconcileZeroBuckets`: widens this histogram's zero bucket
    /// (and keeps `compensation` in step) and works out the zero count `other`
    /// would have, until both agree on a threshold that cuts through no
    /// populated bucket of either. Mutates only `self` and `compensation`;
    /// returns `other`'s zero count for the common threshold and its Kahan
    /// compensation.
    mutating func reconcileZeroBucket(with other: NativeHistogram, compensation c: inout NativeHistogram?)
        -> (count: Double, compensation: Double)
    {
        var otherCount = other.zeroCount
        var otherCompensation = 0.0
        var otherThreshold = other.zeroThreshold
        while otherThreshold != zeroThreshold {
            // A NaN threshold compares unequal yet neither larger: Prometheus
            // would spin forever; stop instead.
            guard zeroThreshold > otherThreshold || otherThreshold > zeroThreshold else { break }
            if zeroThreshold > otherThreshold {
                (otherCount, otherThreshold, otherCompensation) =
                    other.zeroCount(forLargerThreshold: zeroThreshold, compensation: nil)
            }
            if otherThreshold > zeroThreshold {
                let cZeroCount: Double
                (zeroCount, zeroThreshold, cZeroCount) = zeroCount(forLargerThreshold: otherThreshold, compensation: c)
                c?.zeroCount = cZeroCount
                removeBucketsInsideZeroBucket(compensation: &c)
            }
        }
        return (otherCount, otherCompensation)
    }
}
