// Counter-reset detection with Prometheus 3.x semantics
// (`FloatHistogram.DetectReset` and helpers).

extension NativeHistogram {
    /// Whether this histogram, the sample following `previous` in a counter
    /// series, indicates a counter reset — Prometheus's `DetectReset`.
    ///
    /// - A `counterReset` hint answers `true` and a `notCounterReset` hint
    ///   `false` without looking at the counts. `unknown` and `gauge` hints
    ///   (PromQL still applies counter functions to gauges) are checked.
    /// - A reset is detected if the count went down; if this histogram uses
    ///   custom buckets and `previous` does not, or vice versa; if the schema
    ///   grew (resolution cannot increase without a reset); if the zero
    ///   threshold shrank, or grew into a populated bucket of `previous`; if
    ///   the zero count or any bucket went down, or a populated bucket of
    ///   `previous` is missing. `previous` is first brought to this
    ///   histogram's schema and zero threshold. The sum is never compared.
    /// - Custom buckets with different bounds are compared on the bounds both
    ///   have (each common bound's bucket being the sum of the buckets up to
    ///   it).
    public func detectsReset(after previous: NativeHistogram) -> Bool {
        switch counterResetHint {
        case .counterReset: return true
        case .notCounterReset: return false
        case .unknown, .gauge: break
        }
        if count < previous.count { return true }
        if usesCustomBuckets {
            // The schema change itself marks the restart of the producer.
            if !previous.usesCustomBuckets { return true }
            if !Self.customBoundsMatch(customValues, previous.customValues) {
                return detectsResetWithMismatchedCustomBounds(after: previous)
            }
        }
        // Also covers exponential after custom buckets (−53 is the lowest schema).
        if schema > previous.schema { return true }
        if zeroThreshold < previous.zeroThreshold { return true }
        let (previousZeroCount, threshold, _) = previous.zeroCount(forLargerThreshold: zeroThreshold, compensation: nil)
        // Our threshold cuts through a populated bucket of `previous`: the
        // bucket layout can only have changed that way with a reset.
        if threshold != zeroThreshold { return true }
        if zeroCount < previousZeroCount { return true }

        for positive in [true, false] {
            let current = resetComparisonBuckets(positive: positive, schema: schema, above: zeroThreshold)
            let earlier = previous.resetComparisonBuckets(positive: positive, schema: schema, above: zeroThreshold)
            if Self.bucketsDecreased(from: earlier, to: current) { return true }
        }
        return false
    }
}

extension NativeHistogram {
    /// The buckets of one side as Prometheus's reset detection iterates them:
    /// merged into `schema` (≤ own schema) and, for exponential schemas,
    /// without the leading buckets whose upper bound is at most `threshold`
    /// (they lie inside the zero bucket, which is compared separately).
    func resetComparisonBuckets(positive: Bool, schema target: Int32, above threshold: Double) -> [IndexedBucket] {
        var buckets = positive
            ? Self.indexedBuckets(spans: positiveSpans, counts: positiveBuckets)
            : Self.indexedBuckets(spans: negativeSpans, counts: negativeBuckets)
        if target != schema && !usesCustomBuckets {
            buckets = Self.reduceResolution(buckets, from: schema, to: target)
        }
        // Prometheus only starts skipping for a non-zero threshold.
        if threshold != 0 && Self.standardSchemas.contains(target) {
            let skipped = buckets.prefix { Self.upperBound(index: $0.index, schema: target) <= threshold }.count
            buckets.removeFirst(skipped)
        }
        return buckets
    }

    /// Prometheus's `detectReset` over two bucket sequences of the same schema:
    /// a reset if a bucket went down, or a populated (non-zero, NaN included)
    /// bucket of `earlier` has no counterpart in `current`.
    static func bucketsDecreased(from earlier: [IndexedBucket], to current: [IndexedBucket]) -> Bool {
        var c = 0
        for bucket in earlier {
            while c < current.count && current[c].index < bucket.index { c += 1 }
            if c < current.count && current[c].index == bucket.index {
                if current[c].count < bucket.count { return true }
            } else if bucket.count != 0 {
                return true
            }
        }
        return false
    }

    /// Prometheus's `detectResetWithMismatchedCustomBounds`: for every bound
    /// both histograms share (+∞ always), compares the sums of the buckets
    /// ending in (previous shared bound, this shared bound]; a reset if any
    /// such sum went down.
    func detectsResetWithMismatchedCustomBounds(after previous: NativeHistogram) -> Bool {
        let shared = Self.commonCustomBounds(customValues, previous.customValues) + [.infinity]
        let current = rolledUp(to: shared)
        let earlier = previous.rolledUp(to: shared)
        for (now, before) in zip(current, earlier) where now < before { return true }
        return false
    }

    /// Sums of the positive buckets whose upper bound falls in each interval
    /// (bounds[k−1], bounds[k]], summed in bucket order.
    private func rolledUp(to bounds: [Double]) -> [Double] {
        let buckets = Self.indexedBuckets(spans: positiveSpans, counts: positiveBuckets)
        var sums: [Double] = []
        sums.reserveCapacity(bounds.count)
        var next = 0
        for limit in bounds {
            var sum = 0.0
            while next < buckets.count && bound(buckets[next].index) <= limit {
                sum += buckets[next].count
                next += 1
            }
            sums.append(sum)
        }
        return sums
    }
}
