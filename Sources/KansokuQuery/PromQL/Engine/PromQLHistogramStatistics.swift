import Foundation
import KansokuModel

/// The PromQL functions that reduce ONE native histogram to a float:
/// `histogram_quantile`, `histogram_fraction`, `histogram_stdvar` and
/// `histogram_stddev`, with the semantics of Prometheus 3.x
/// (`HistogramQuantile` and `HistogramFraction` in `promql/quantile.go`,
/// `histogramVariance` in `promql/functions.go`).
///
/// Every function walks the buckets the way Prometheus's
/// `FloatHistogram.AllBucketIterator` does (see ``walk(_:)``), because the
/// quirks of that iterator (zero bucket only when populated, buckets clipped
/// at the zero threshold) are visible in the results.
enum PromQLHistogramStatistics {
    /// An annotation Prometheus attaches while evaluating one of these
    /// functions. The full text is ``message`` plus ` for metric name "<name>"`
    /// when the sample has a metric name (Prometheus's `maybeAddMetricName`);
    /// for ``invalidQuantile(_:)`` it is ``message`` plus `, got <q>` with `q`
    /// formatted like Go's `%g`, and no metric name.
    enum Annotation: Sendable, Hashable {
        /// Warning, added once per `histogram_quantile` call (even when the
        /// vector is empty) when `q` is NaN or outside [0, 1].
        case invalidQuantile(Double)
        /// Info: the quantile fell above every bucket of a histogram with NaN
        /// observations, so the result is NaN.
        case quantileNaNResult
        /// Info: the histogram has NaN observations, counted as if they were
        /// +Inf, so the quantile is skewed higher.
        case quantileNaNSkew
        /// Info: the histogram has NaN observations, which no fraction includes.
        case fractionNaNsExcluded

        /// Whether this is a warning (otherwise it is an info).
        var isWarning: Bool {
            if case .invalidQuantile = self { return true }
            return false
        }

        /// The annotation text without the metric name or quantile suffix.
        var message: String {
            switch self {
            case .invalidQuantile:
                return "PromQL warning: quantile value should be between 0 and 1"
            case .quantileNaNResult:
                return "PromQL info: input to histogram_quantile has NaN observations, result is NaN"
            case .quantileNaNSkew:
                return "PromQL info: input to histogram_quantile has NaN observations, result is skewed higher"
            case .fractionNaNsExcluded:
                return "PromQL info: input to histogram_fraction has NaN observations, "
                    + "which are excluded from all fractions"
            }
        }
    }

    /// The call-level check of `histogram_quantile`'s `q` argument
    /// (Prometheus's `validateQuantile`), separate from the per-histogram
    /// work because Prometheus warns even when there is no histogram.
    static func quantileArgumentAnnotation(_ q: Double) -> Annotation? {
        q.isNaN || q < 0 || q > 1 ? .invalidQuantile(q) : nil
    }

    // MARK: - histogram_quantile

    /// `histogram_quantile(q, h)` for a native histogram.
    static func quantile(_ q: Double, _ h: NativeHistogram) -> Double {
        quantileWithAnnotation(q, h).value
    }

    /// `histogram_quantile(q, h)` plus the per-histogram info annotation
    /// Prometheus would attach (NaN observations), if any.
    ///
    /// Exponential buckets are interpolated exponentially (the quantile is
    /// where the bucket boundary would be in a finer schema), custom buckets
    /// and the zero bucket linearly. The zero bucket's far side is taken as 0
    /// when the histogram has buckets on one side only; the first custom
    /// bucket starts at 0 when its upper bound is positive, and a quantile in
    /// the last custom bucket is its lower bound.
    static func quantileWithAnnotation(_ q: Double, _ h: NativeHistogram) -> (value: Double, annotation: Annotation?) {
        if q < 0 { return (-.infinity, nil) }
        if q > 1 { return (.infinity, nil) }
        if h.count == 0 || q.isNaN { return (.nan, nil) }

        let custom = h.usesCustomBuckets
        // NaN observations raise `count` but sit in no bucket. Walking up from
        // the bottom keeps them out of the rank; otherwise the upper half is
        // walked from the top, which is more precise for high quantiles.
        let forward = h.sum.isNaN || q < 0.5
        let ascending = walk(h)
        let order: [Bucket] = forward ? ascending : ascending.reversed()
        var rank = forward ? q * h.count : (1 - q) * h.count

        // As Prometheus, `bucket` is the last bucket visited (empty ones
        // included), or an empty [0, 0] bucket if there are none.
        var bucket = Bucket(lower: 0, upper: 0, count: 0)
        var count = 0.0
        var next = order.count
        for (i, b) in order.enumerated() {
            bucket = b
            if b.count == 0 { continue }
            count += b.count
            if count >= rank {
                next = i + 1
                break
            }
        }

        if !custom && bucket.lower < 0 && bucket.upper > 0 {
            // The zero bucket: with buckets on one side only, assume the
            // observations in it lie on that side too.
            if h.negativeBuckets.isEmpty && !h.positiveBuckets.isEmpty {
                bucket.lower = 0
            } else if h.positiveBuckets.isEmpty && !h.negativeBuckets.isEmpty {
                bucket.upper = 0
            }
        } else if custom {
            if bucket.lower == -.infinity {
                // Like classic histograms: a non-positive first bucket answers
                // its upper bound, otherwise it is taken to start at 0.
                if bucket.upper <= 0 { return (bucket.upper, nil) }
                bucket.lower = 0
            } else if bucket.upper == .infinity {
                return (bucket.lower, nil)
            }
        }

        // Rounding may push the running total past the count.
        count = Swift.min(count, h.count)
        if count < rank {
            // The rank lies above every bucket: only NaN observations are
            // there (issue 16578). With a finite sum this means an odd
            // histogram; Prometheus then answers the last upper bound seen.
            if h.sum.isNaN { return (.nan, .quantileNaNResult) }
            return (bucket.upper, nil)
        }

        if forward {
            rank -= count - bucket.count
        } else {
            rank = count - rank
        }

        var annotation: Annotation?
        if h.sum.isNaN {
            // Prometheus finishes the walk to see whether `count` exceeds the
            // buckets' total (NaN observations) rather than ±Inf having made
            // the sum NaN. Its loop also reassigns `bucket`, so the
            // interpolation below uses the LAST bucket's bounds and count with
            // the rank found in the earlier one. That looks unintended but is
            // what Prometheus 3.x computes, and we match it.
            for b in order[next...] {
                bucket = b
                count += b.count
            }
            if count < h.count { annotation = .quantileNaNSkew }
        }

        let fraction = rank / bucket.count
        if custom || (bucket.lower <= 0 && bucket.upper >= 0) {
            return (bucket.lower + (bucket.upper - bucket.lower) * fraction, annotation)
        }
        // Exponential interpolation: linear on a log2 scale, where all
        // exponential buckets of a schema have the same width.
        let logLower = Foundation.log2(Swift.abs(bucket.lower))
        let logUpper = Foundation.log2(Swift.abs(bucket.upper))
        if bucket.lower > 0 {
            return (Foundation.exp2(logLower + (logUpper - logLower) * fraction), annotation)
        }
        // A negative bucket: mirror, measuring from the bound nearer zero.
        return (-Foundation.exp2(logUpper + (logLower - logUpper) * (1 - fraction)), annotation)
    }

    // MARK: - histogram_fraction

    /// `histogram_fraction(lower, upper, h)` for a native histogram.
    static func fraction(lower: Double, upper: Double, _ h: NativeHistogram) -> Double {
        fractionWithAnnotation(lower: lower, upper: upper, h).value
    }

    /// `histogram_fraction(lower, upper, h)` plus the info annotation
    /// Prometheus attaches when the histogram has NaN observations (which
    /// are in no fraction, so the fraction of (-Inf, +Inf) is below 1).
    ///
    /// The estimated share of observations between the bounds, interpolated
    /// like ``quantileWithAnnotation(_:_:)`` (its inverse). Infinite-width
    /// custom buckets contribute nothing unless a bound is at their edge.
    static func fractionWithAnnotation(lower: Double, upper: Double,
                                       _ h: NativeHistogram) -> (value: Double, annotation: Annotation?) {
        if h.count == 0 || lower.isNaN || upper.isNaN { return (.nan, nil) }
        if lower >= upper { return (0, nil) }

        let custom = h.usesCustomBuckets
        let buckets = walk(h)
        var count = 0.0, rank = 0.0, lowerRank = 0.0, upperRank = 0.0
        var lowerSet = false, upperSet = false
        var next = buckets.count
        for (i, original) in buckets.enumerated() {
            var b = original
            count += b.count
            // Any bucket spanning 0 counts as the zero bucket here, including
            // custom buckets: that is how the first custom bucket (-Inf, x>0]
            // gets its lower bound of 0.
            let zeroBucket = b.lower <= 0 && b.upper >= 0
            if zeroBucket {
                if h.negativeBuckets.isEmpty && !h.positiveBuckets.isEmpty {
                    b.lower = 0
                } else if h.positiveBuckets.isEmpty && !h.negativeBuckets.isEmpty {
                    b.upper = 0
                }
            }
            // Observations up to `v` in this bucket, cumulated with the ones below.
            func rankAt(_ v: Double) -> Double {
                guard custom || zeroBucket else { return rank + b.count * fractionBelow(v, b) }
                // No meaningful interpolation in a bucket reaching -Inf: count
                // all of it, as the +Inf bucket's formula counts none of it.
                if b.lower == -.infinity { return b.count }
                return rank + b.count * (v - b.lower) / (b.upper - b.lower)
            }
            if !lowerSet && b.lower >= lower {
                lowerRank = rank
                lowerSet = true
            }
            if !upperSet && b.lower >= upper {
                upperRank = rank
                upperSet = true
            }
            if lowerSet && upperSet { next = i + 1; break }
            if !lowerSet && b.lower < lower && b.upper > lower {
                lowerRank = rankAt(lower)
                lowerSet = true
            }
            if !upperSet && b.lower < upper && b.upper > upper {
                upperRank = rankAt(upper)
                upperSet = true
            }
            if lowerSet && upperSet { next = i + 1; break }
            rank += b.count
        }

        var annotation: Annotation?
        if h.sum.isNaN {
            // Only observations in buckets count; NaN ones are in none.
            for b in buckets[next...] { count += b.count }
            if count < h.count { annotation = .fractionNaNsExcluded }
        } else {
            count = h.count
        }
        if !lowerSet || lowerRank > count { lowerRank = count }
        if !upperSet || upperRank > count { upperRank = count }
        return ((upperRank - lowerRank) / h.count, annotation)
    }

    // MARK: - histogram_stdvar / histogram_stddev

    /// `histogram_stdvar(h)`: the population variance, placing each bucket's
    /// observations at its midpoint (geometric mean of the bounds for
    /// exponential buckets, 0 for the zero bucket, arithmetic mean for custom
    /// buckets) around the mean `sum / count`.
    static func stdvar(_ h: NativeHistogram) -> Double {
        let mean = h.sum / h.count
        // Compensated summation as Prometheus (`kahansum.Inc`), for equal bits.
        var variance = 0.0, compensation = 0.0
        for b in walk(h) where b.count != 0 {
            let midpoint: Double
            if h.usesCustomBuckets {
                midpoint = (b.upper + b.lower) / 2
            } else if b.lower <= 0 && b.upper >= 0 {
                midpoint = 0
            } else {
                let geometric = (b.upper * b.lower).squareRoot()
                midpoint = b.upper < 0 ? -geometric : geometric
            }
            let delta = midpoint - mean
            (variance, compensation) = CompensatedSum.add(b.count * delta * delta, to: variance, compensation: compensation)
        }
        return (variance + compensation) / h.count
    }

    /// `histogram_stddev(h)`: the square root of ``stdvar(_:)``.
    static func stddev(_ h: NativeHistogram) -> Double {
        stdvar(h).squareRoot()
    }

    // MARK: - Bucket walk

    /// A bucket's bounds and count as the functions above see them.
    struct Bucket: Sendable, Hashable {
        var lower: Double
        var upper: Double
        var count: Double
    }

    /// The buckets in ascending order as Prometheus's `AllBucketIterator`
    /// yields them: negative buckets (largest magnitude first), the zero
    /// bucket only if its count is positive, then positive buckets; empty
    /// listed buckets included. Exponential buckets reaching into the zero
    /// bucket are clipped at the zero threshold. Custom-bucket histograms
    /// have positive buckets only.
    static func walk(_ h: NativeHistogram) -> [Bucket] {
        var out: [Bucket] = []
        let zt = h.zeroThreshold
        if h.usesCustomBuckets {
            let bounds = h.customValues
            func bound(_ i: Int) -> Double {
                i < 0 ? -.infinity : i >= bounds.count ? .infinity : bounds[i]
            }
            for (index, count) in NativeHistogram.indexedBuckets(spans: h.positiveSpans, counts: h.positiveBuckets) {
                out.append(Bucket(lower: bound(Int(index) - 1), upper: bound(Int(index)), count: count))
            }
            return out
        }
        func clipped(_ b: Bucket) -> Bucket {
            var b = b
            if b.upper < 0 && b.upper > -zt {
                b.upper = -zt
            } else if b.lower > 0 && b.lower < zt {
                b.lower = zt
            }
            return b
        }
        let negative = NativeHistogram.indexedBuckets(spans: h.negativeSpans, counts: h.negativeBuckets)
        for (index, count) in negative.reversed() {
            out.append(clipped(Bucket(lower: -NativeHistogram.upperBound(index: index, schema: h.schema),
                                      upper: -NativeHistogram.upperBound(index: index - 1, schema: h.schema),
                                      count: count)))
        }
        if h.zeroCount > 0 {
            out.append(Bucket(lower: -zt, upper: zt, count: h.zeroCount))
        }
        for (index, count) in NativeHistogram.indexedBuckets(spans: h.positiveSpans, counts: h.positiveBuckets) {
            out.append(clipped(Bucket(lower: NativeHistogram.upperBound(index: index - 1, schema: h.schema),
                                      upper: NativeHistogram.upperBound(index: index, schema: h.schema),
                                      count: count)))
        }
        return out
    }

    /// The share of exponential bucket `b` at or below `v` (strictly inside
    /// it), on a log2 scale; mirrored for negative buckets.
    private static func fractionBelow(_ v: Double, _ b: Bucket) -> Double {
        let logLower = Foundation.log2(Swift.abs(b.lower))
        let logUpper = Foundation.log2(Swift.abs(b.upper))
        let logV = Foundation.log2(Swift.abs(v))
        if v > 0 { return (logV - logLower) / (logUpper - logLower) }
        return 1 - (logV - logUpper) / (logLower - logUpper)
    }
}
