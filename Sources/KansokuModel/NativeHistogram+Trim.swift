// Bucket trimming with Prometheus 3.x semantics (`FloatHistogram.TrimBuckets`
// and its helpers in model/histogram/float_histogram.go): the PromQL
// operators `h </ x` (TRIM_UPPER) and `h >/ x` (TRIM_LOWER).

import Foundation

extension NativeHistogram {
    /// Prometheus's TrimBuckets: `upper == true` for `</` (keep observations below `threshold`), false for `>/`.
    ///
    /// Every populated bucket is kept whole, dropped, or — if `threshold` falls
    /// inside it — reduced to the estimated share of its observations on the
    /// kept side: linear interpolation for custom buckets (schema −53) and the
    /// zero bucket, interpolation on a log₂ scale for exponential buckets.
    /// Buckets with an infinite bound cannot be interpolated and are kept or
    /// dropped whole, except that a custom bucket `(−∞, u]` with `u > 0` is
    /// treated as `(0, u]`. With zero threshold `z`, the zero bucket is taken
    /// to span `[0, z]` if only positive buckets are populated, `[−z, 0]` if
    /// only negative ones are, and `[−z, z]` otherwise.
    ///
    /// If anything was removed, count and sum are recomputed from the kept
    /// buckets (the sum estimates each bucket's observations at the midpoint of
    /// its kept part — geometric for exponential buckets, arithmetic otherwise)
    /// and the result is compacted (``compacted(maxEmptyBuckets:)`` with 0).
    /// If nothing was removed the histogram is returned unchanged, its exact
    /// count and sum included. Schema, zero threshold, custom bounds and
    /// counter-reset hint never change.
    public func trimmed(at threshold: Double, upper: Bool) -> NativeHistogram {
        var h = self
        var keptCount = 0.0
        var keptSum = 0.0
        var changed = false
        var hasPositive = false
        var hasNegative = false
        let linear = usesCustomBuckets

        // Positive buckets first, then negative ones from zero outwards, then
        // the zero bucket: Prometheus's summation order, mirrored so that the
        // recomputed sum rounds the same way.
        for positive in [true, false] {
            let listed = positive
                ? Self.indexedBuckets(spans: positiveSpans, counts: positiveBuckets)
                : Self.indexedBuckets(spans: negativeSpans, counts: negativeBuckets)
            for (position, bucket) in listed.enumerated() where bucket.count != 0 {
                if positive { hasPositive = true } else { hasNegative = true }
                // Bounds as Prometheus's bucket iterator reports them (a negative
                // bucket mirrors the positive bucket of the same index).
                let lower = positive ? trimBound(bucket.index &- 1) : -trimBound(bucket.index)
                let upperBound = positive ? trimBound(bucket.index) : -trimBound(bucket.index &- 1)

                let entirelyKept = upper ? upperBound <= threshold : lower >= threshold
                let straddles = upper ? lower < threshold : upperBound > threshold
                let kept: Double
                if entirelyKept {
                    let midpoint = Self.trimMidpoint(lower, upperBound, positive: positive, linear: linear)
                    keptCount += bucket.count
                    keptSum += midpoint * bucket.count
                    continue
                } else if straddles {
                    let midpoint: Double
                    (kept, midpoint) = Self.partialTrim(count: bucket.count, lower: lower, upper: upperBound,
                                                        threshold: threshold, upperTrim: upper,
                                                        positive: positive, linear: linear)
                    keptCount += kept
                    keptSum += midpoint * kept
                    // `!=` rather than a tolerance, as Prometheus: a NaN bucket
                    // always counts as changed.
                    guard bucket.count != kept else { continue }
                } else {
                    kept = 0
                }
                if positive { h.positiveBuckets[position] = kept } else { h.negativeBuckets[position] = kept }
                changed = true
            }
        }

        // Custom buckets have no zero bucket (Prometheus would panic on a
        // non-zero zero count there; such a histogram is invalid anyway).
        if !usesCustomBuckets && zeroCount > 0 {
            let (kept, midpoint) = trimmedZeroBucket(threshold: threshold, upperTrim: upper,
                                                     hasNegative: hasNegative, hasPositive: hasPositive)
            if zeroCount != kept {
                h.zeroCount = kept
                changed = true
            }
            keptSum += midpoint * kept
            keptCount += kept
        }

        // Only a real trim replaces count and sum by estimates: an untouched
        // histogram keeps its exact sum (and NaN observations in its count).
        guard changed else { return h }
        h.count = keptCount
        h.sum = keptSum
        return h.compacted(maxEmptyBuckets: 0)
    }
}

// MARK: - Helpers

extension NativeHistogram {
    /// Prometheus's `getBound` for trimming: like ``bound(_:)``, but for
    /// standard schemas the bucket above the last finite one (which holds ±∞
    /// observations) ends at +∞ rather than at the largest finite double, so
    /// that it is handled as an infinite bucket.
    func trimBound(_ index: Int32) -> Double {
        guard !usesCustomBuckets, Self.standardSchemas.contains(schema) else { return bound(index) }
        // Index of the bucket whose upper bound is 2^1024 (reported as the
        // largest finite double); 1024 is divisible by 2^4, so `>>` is exact.
        let lastFinite = schema >= 0 ? 1024 << Int(schema) : 1024 >> Int(-schema)
        if Int(index) > lastFinite { return .infinity }
        return Self.upperBound(index: index, schema: schema)
    }

    /// Prometheus's `computeMidpoint`: where the observations of the kept part
    /// `[lower, upper]` of a bucket are assumed to be for the sum. Infinite
    /// ends fall back to the finite one (half of it if it is positive), since
    /// nothing better is known.
    static func trimMidpoint(_ lower: Double, _ upper: Double, positive: Bool, linear: Bool) -> Double {
        if lower.isInfinite {
            if upper.isInfinite { return 0 }
            return upper > 0 ? upper / 2 : upper
        }
        if upper.isInfinite { return lower }
        if linear { return (lower + upper) / 2 }
        // Exponential buckets: the geometric mean, the midpoint on a log scale.
        let geometricMean = (abs(lower * upper)).squareRoot()
        return positive ? geometricMean : -geometricMean
    }

    /// Prometheus's `computeBucketTrim`: the count kept from a bucket that
    /// `threshold` cuts, and the midpoint of the kept part.
    static func partialTrim(count: Double, lower: Double, upper: Double, threshold: Double,
                            upperTrim: Bool, positive: Bool, linear: Bool) -> (count: Double, midpoint: Double) {
        if lower == -.infinity || upper == .infinity {
            return infiniteBucketTrim(count: count, lower: lower, upper: upper, threshold: threshold,
                                      upperTrim: upperTrim)
        }
        let below = countBelow(count: count, lower: lower, upper: upper, threshold: threshold, linear: linear)
        if upperTrim {
            return (below, trimMidpoint(lower, threshold, positive: positive, linear: linear))
        }
        return (count - below, trimMidpoint(threshold, upper, positive: positive, linear: linear))
    }

    /// Prometheus's `computeSplit` with `Bucket.FractionBelow`: the estimated
    /// part of a finite bucket's count at or below `threshold`.
    static func countBelow(count: Double, lower: Double, upper: Double, threshold: Double, linear: Bool) -> Double {
        if threshold <= lower { return 0 }
        if threshold >= upper { return count }
        if linear { return count * ((threshold - lower) / (upper - lower)) }
        // Exponential bounds are evenly spaced on a log₂ scale, so interpolate
        // there; negative buckets are mirrored (their lower bound has the
        // larger magnitude).
        let logLower = Foundation.log2(abs(lower))
        let logUpper = Foundation.log2(abs(upper))
        let logThreshold = Foundation.log2(abs(threshold))
        if threshold > 0 { return count * ((logThreshold - logLower) / (logUpper - logLower)) }
        return count * (1 - (logThreshold - logUpper) / (logLower - logUpper))
    }

    /// Prometheus's `handleInfinityBuckets`: a bucket with an infinite bound
    /// has no known distribution, so it is kept or dropped whole — except a
    /// custom bucket `(−∞, u]` with a finite `u > 0`, interpolated as if it
    /// were `(0, u]`. The midpoint reported for dropped buckets is irrelevant
    /// (it is multiplied by a zero count) but finite, to avoid `0 · ∞ = NaN`.
    static func infiniteBucketTrim(count: Double, lower: Double, upper: Double, threshold: Double,
                                   upperTrim: Bool) -> (count: Double, midpoint: Double) {
        func finiteOrZero(_ x: Double) -> Double { x.isInfinite ? 0 : x }
        if lower == -.infinity {
            if upperTrim {
                if threshold >= upper { return (count, 0) }
                if threshold > 0 && upper > 0 && upper != .infinity {
                    return (count * threshold / upper, threshold / 2)
                }
                // The threshold is below `upper` ≤ 0: Prometheus still keeps
                // the whole bucket, placing its observations at the threshold.
                if upper <= 0 { return (count, threshold) }
                return (0, finiteOrZero(upper))
            }
            // Unreachable in practice (nothing is below −∞); kept whole as Prometheus does.
            if threshold <= lower { return (count, 0) }
            if threshold >= 0 && upper > threshold && upper != .infinity {
                return (count * (1 - threshold / upper), (threshold + upper) / 2)
            }
            return (0, finiteOrZero(upper))
        }
        // upper == +∞.
        if upperTrim {
            // Part of the bucket may lie above any finite threshold: drop it all.
            return (0, finiteOrZero(lower))
        }
        if threshold >= lower { return (count, threshold) }
        return (0, finiteOrZero(lower))
    }

    /// Prometheus's `computeZeroBucketTrim`: the zero count kept and the
    /// midpoint of the kept part. The zero bucket is assumed to extend only to
    /// the side(s) where populated buckets exist (both if none do).
    func trimmedZeroBucket(threshold: Double, upperTrim: Bool, hasNegative: Bool, hasPositive: Bool)
        -> (count: Double, midpoint: Double)
    {
        var lower = -zeroThreshold
        var upper = zeroThreshold
        if hasNegative && !hasPositive { upper = 0 }
        if hasPositive && !hasNegative { lower = 0 }
        if upperTrim {
            if threshold <= lower { return (0, 0) }
            if threshold >= upper { return (zeroCount, (lower + upper) / 2) }
            return (zeroCount * ((threshold - lower) / (upper - lower)), (lower + threshold) / 2)
        }
        if threshold <= lower { return (zeroCount, (lower + upper) / 2) }
        if threshold >= upper { return (0, 0) }
        return (zeroCount * ((upper - threshold) / (upper - lower)), (threshold + upper) / 2)
    }
}
