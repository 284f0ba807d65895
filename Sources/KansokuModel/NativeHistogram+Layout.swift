// Bucket-layout operations with Prometheus 3.x semantics: Compact, resolution
// reduction (ReduceResolution / CopyToSchema), and the internal
// `(index, count)` representation the arithmetic works on.

extension NativeHistogram {
    /// One listed bucket: its index in the histogram's schema and its count.
    typealias IndexedBucket = (index: Int32, count: Double)

    /// Removes empty buckets, as Prometheus's `Compact(maxEmptyBuckets)`:
    /// empty buckets at the edges of the populated range disappear; runs of at
    /// most `maxEmptyBuckets` empty (or unlisted) buckets between populated
    /// ones are kept as explicit zero buckets, longer runs become gaps between
    /// spans. Adjacent spans are merged. Prometheus's PromQL engine calls this
    /// with 0 on every histogram result.
    ///
    /// A NaN bucket counts as populated. Counts, sum, schema and hint are
    /// unchanged.
    public func compacted(maxEmptyBuckets: Int = 0) -> NativeHistogram {
        var h = self
        let maxEmpty = max(0, maxEmptyBuckets)  // Prometheus treats negatives like 0.
        (h.positiveSpans, h.positiveBuckets) = Self.layout(
            Self.compact(Self.indexedBuckets(spans: positiveSpans, counts: positiveBuckets), maxEmpty: maxEmpty))
        (h.negativeSpans, h.negativeBuckets) = Self.layout(
            Self.compact(Self.indexedBuckets(spans: negativeSpans, counts: negativeBuckets), maxEmpty: maxEmpty))
        return h
    }

    /// Merges buckets into a lower-resolution standard `schema`, as
    /// Prometheus's `ReduceResolution` (and `CopyToSchema`): bucket `i` goes
    /// into bucket `((i − 1) >> (old − new)) + 1`, so each new bucket is the
    /// union of 2^(old − new) old ones. Listed buckets stay listed (an empty
    /// bucket yields an empty bucket). Zero bucket, count and sum are
    /// unchanged.
    ///
    /// Returns the histogram unchanged if it uses custom buckets, if
    /// `schema` is the custom-buckets schema, or if `schema` is not lower than
    /// the current one (Prometheus rejects those cases).
    ///
    /// The counter-reset hint is kept, as `ReduceResolution` does. (Prometheus's
    /// `CopyToSchema` resets it to unknown when the schema changes; its one
    /// PromQL caller, rate/increase/delta, overwrites the hint afterwards.)
    public func reducedResolution(to schema: Int32) -> NativeHistogram {
        guard !usesCustomBuckets, schema != Self.customBucketsSchema, schema < self.schema else { return self }
        var h = self
        (h.positiveSpans, h.positiveBuckets) = Self.layout(
            Self.reduceResolution(Self.indexedBuckets(spans: positiveSpans, counts: positiveBuckets),
                                  from: self.schema, to: schema))
        (h.negativeSpans, h.negativeBuckets) = Self.layout(
            Self.reduceResolution(Self.indexedBuckets(spans: negativeSpans, counts: negativeBuckets),
                                  from: self.schema, to: schema))
        h.schema = schema
        return h
    }
}

// MARK: - Internal helpers

extension NativeHistogram {
    /// Spans and counts for ascending `(index, count)` buckets: every run of
    /// consecutive indices becomes one span (the canonical layout; Prometheus's
    /// in-place merging may leave adjacent spans that `Compact` later joins).
    static func layout(_ buckets: [IndexedBucket]) -> (spans: [Span], counts: [Double]) {
        var spans: [Span] = []
        var counts: [Double] = []
        counts.reserveCapacity(buckets.count)
        var previous: Int32 = 0
        for (n, bucket) in buckets.enumerated() {
            if n > 0 && bucket.index == previous &+ 1 {
                spans[spans.count - 1].length += 1
            } else {
                let offset = n == 0 ? bucket.index : bucket.index &- previous &- 1
                spans.append(Span(offset: offset, length: 1))
            }
            counts.append(bucket.count)
            previous = bucket.index
        }
        return (spans, counts)
    }

    /// The index in `target` schema of the bucket containing bucket `index` of
    /// `origin` schema (Prometheus's `targetIdx`; `>>` floors).
    static func targetIndex(_ index: Int32, from origin: Int32, to target: Int32) -> Int32 {
        ((index &- 1) >> (origin &- target)) &+ 1
    }

    /// Prometheus's `reduceResolution` on absolute counts: consecutive buckets
    /// falling into the same target bucket are summed in order.
    static func reduceResolution(_ buckets: [IndexedBucket], from origin: Int32, to target: Int32) -> [IndexedBucket] {
        guard origin != target else { return buckets }
        var out: [IndexedBucket] = []
        for bucket in buckets {
            let index = targetIndex(bucket.index, from: origin, to: target)
            if let last = out.last, last.index == index {
                out[out.count - 1].count += bucket.count
            } else {
                out.append((index, bucket.count))
            }
        }
        return out
    }

    /// The listed buckets `Compact(maxEmpty)` keeps: every populated bucket
    /// (count ≠ 0, NaN included) plus, between two populated buckets at most
    /// `maxEmpty` indices apart, every index in between (listed empty buckets
    /// keep their value, unlisted ones become 0).
    static func compact(_ buckets: [IndexedBucket], maxEmpty: Int) -> [IndexedBucket] {
        var out: [IndexedBucket] = []
        var lastPopulated: Int32?
        var cursor = 0  // into `buckets`, to reuse listed empty buckets when filling
        for (position, bucket) in buckets.enumerated() where bucket.count != 0 {
            if let last = lastPopulated {
                let gap = Int(bucket.index) - Int(last) - 1
                if gap > 0 && gap <= maxEmpty {
                    var index = last + 1
                    while index < bucket.index {
                        while cursor < position && buckets[cursor].index < index { cursor += 1 }
                        let listed = cursor < position && buckets[cursor].index == index
                        out.append((index, listed ? buckets[cursor].count : 0))
                        index += 1
                    }
                }
            }
            out.append(bucket)
            lastPopulated = bucket.index
            cursor = position + 1
        }
        return out
    }

    /// Prometheus's `getBound`: the upper bound of bucket `index`, for custom
    /// buckets −∞ below the first and +∞ for the last (and beyond, defensively).
    func bound(_ index: Int32) -> Double {
        guard usesCustomBuckets else { return Self.upperBound(index: index, schema: schema) }
        if index < 0 { return -.infinity }
        return Int(index) < customValues.count ? customValues[Int(index)] : .infinity
    }

    /// Prometheus's `CustomBucketBoundsMatch`: same length, pairwise `==`.
    static func customBoundsMatch(_ a: [Double], _ b: [Double]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y { return false }
        return true
    }
}
