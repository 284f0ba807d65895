/// `histogram_quantile` over classic histograms (`*_bucket` series with
/// an `le` label), following upstream's `BucketQuantile`.
enum PromQLClassicHistogram {
    struct Bucket {
        var upperBound: Double
        var count: Double
    }

    /// Groups bucket series by every label except `le` (the name included:
    /// with delayed name removal, different histograms only collide at the
    /// end). Series without a readable `le` are ignored, as upstream.
    static func groups(_ input: [PromQLElement]) -> [(labels: PromQLLabels, buckets: [Bucket])] {
        var groups: [PromQLLabels: Int] = [:]
        var result: [(labels: PromQLLabels, buckets: [Bucket])] = []
        for element in input {
            guard let text = element.labels["le"], let bound = parseFloat(text) else { continue }
            let key = element.labels.removing(["le"])
            if let index = groups[key] {
                result[index].buckets.append(Bucket(upperBound: bound, count: element.value))
            } else {
                groups[key] = result.count
                result.append((key, [Bucket(upperBound: bound, count: element.value)]))
            }
        }
        return result
    }

    /// `histogram_quantile(q, buckets)`.
    static func quantile(_ q: Double, _ input: [PromQLElement], at t: Int64) throws -> [PromQLElement] {
        groups(input).map { PromQLElement(labels: $0.labels, value: bucketQuantile(q, $0.buckets), timestamp: t, dropName: true) }
    }

    /// `histogram_quantiles(buckets, "label", q1, q2, ...)`: one output
    /// series per quantile, told apart by `label`.
    static func quantiles(_ qs: [Double], label: String, _ input: [PromQLElement], at t: Int64) -> [PromQLElement] {
        let grouped = groups(input)
        return qs.flatMap { q in
            grouped.map { group in
                PromQLElement(labels: group.labels.setting(label, to: openMetricsFloat(q)), value: bucketQuantile(q, group.buckets),
                              timestamp: t, dropName: true)
            }
        }
    }

    /// `histogram_fraction(lower, upper, buckets)`.
    static func fraction(_ lower: Double, _ upper: Double, _ input: [PromQLElement], at t: Int64) -> [PromQLElement] {
        groups(input).map { PromQLElement(labels: $0.labels, value: bucketFraction(lower, upper, $0.buckets), timestamp: t, dropName: true) }
    }

    /// `labels.FormatOpenMetricsFloat`: shortest form, always with a
    /// decimal point or exponent (`1.0`, `0.5`, `1e-05`).
    static func openMetricsFloat(_ q: Double) -> String {
        let text = PromQLNumber.formatShortest(q)
        if q.isNaN || q.isInfinite || text.contains(".") || text.contains("e") { return text }
        return text + ".0"
    }

    /// Upstream's `BucketFraction`: the share of observations between
    /// `lower` and `upper`, interpolating linearly inside buckets.
    static func bucketFraction(_ lower: Double, _ upper: Double, _ unsorted: [Bucket]) -> Double {
        guard let buckets = sortedCoalesced(unsorted) else { return .nan }
        let count = buckets[buckets.count - 1].count
        if count == 0 || lower.isNaN || upper.isNaN { return .nan }
        if lower >= upper { return 0 }
        var rank = 0.0, lowerRank = 0.0, upperRank = 0.0
        var lowerSet = false, upperSet = false
        var lowerBound = buckets[0].upperBound <= 0 ? -Double.infinity : 0
        for (i, b) in buckets.enumerated() {
            if i > 0 { lowerBound = buckets[i - 1].upperBound }
            let upperBound = b.upperBound
            let start = lowerBound, currentRank = rank
            // Infinite-width buckets contribute nothing inside them.
            func interpolate(_ v: Double) -> Double {
                if start == -.infinity { return b.count }
                return currentRank + (b.count - currentRank) * (v - start) / (upperBound - start)
            }
            if !lowerSet && lowerBound >= lower {
                lowerRank = rank
                lowerSet = true
            }
            if !upperSet && lowerBound >= upper {
                upperRank = rank
                upperSet = true
            }
            if lowerSet && upperSet { break }
            if !lowerSet && lowerBound < lower && upperBound > lower {
                lowerRank = interpolate(lower)
                lowerSet = true
            }
            if !upperSet && lowerBound < upper && upperBound > upper {
                upperRank = interpolate(upper)
                upperSet = true
            }
            if lowerSet && upperSet { break }
            rank = b.count
        }
        if !lowerSet || lowerRank > count { lowerRank = count }
        if !upperSet || upperRank > count { upperRank = count }
        return (upperRank - lowerRank) / count
    }

    /// Buckets sorted by bound with equal bounds merged; `nil` without a `+Inf` bucket.
    private static func sortedCoalesced(_ unsorted: [Bucket]) -> [Bucket]? {
        let sorted = unsorted.sorted { $0.upperBound < $1.upperBound }
        guard let last = sorted.last, last.upperBound == .infinity else { return nil }
        var merged: [Bucket] = []
        for b in sorted {
            if let tail = merged.last, tail.upperBound == b.upperBound {
                merged[merged.count - 1].count += b.count
            } else {
                merged.append(b)
            }
        }
        return merged
    }

    /// Go's `strconv.ParseFloat` for bucket bounds (`+Inf`, `1e3`, `0x1p-2` aside).
    static func parseFloat(_ text: String) -> Double? {
        switch text.lowercased() {
        case "+inf", "inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return Double(text)
        }
    }

    static func bucketQuantile(_ q: Double, _ unsorted: [Bucket]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        guard var buckets = sortedCoalesced(unsorted) else { return .nan }
        ensureMonotonic(&buckets)
        guard buckets.count >= 2 else { return .nan }
        let observations = buckets[buckets.count - 1].count
        guard observations != 0 else { return .nan }
        var rank = q * observations
        var b = 0
        while b < buckets.count - 1 && !(buckets[b].count >= rank) { b += 1 }
        if b == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if b == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var bucketStart = 0.0
        let bucketEnd = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }

    /// Forces cumulative counts to be non-decreasing, ignoring tiny
    /// floating-point deltas (relative 1e-12), as upstream.
    private static func ensureMonotonic(_ buckets: inout [Bucket]) {
        var previous = buckets[0].count
        for i in 1..<buckets.count {
            let current = buckets[i].count
            if current == previous { continue }
            if PromQLFloatComparison.almostEqual(previous, current, epsilon: 1e-12) {
                buckets[i].count = previous
                continue
            }
            if current < previous {
                buckets[i].count = previous
                continue
            }
            previous = current
        }
    }
}
