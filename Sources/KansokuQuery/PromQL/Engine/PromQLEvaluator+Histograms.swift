import KansokuModel

/// Native histograms in instant vectors: the `histogram_*` functions'
/// native side, float-only arguments, and `sum`/`avg` over histograms.
extension PromQLEvaluator {
    /// An instant vector argument of a function that reads floats only:
    /// histogram elements are left out, as upstream does.
    func floatVector(_ expression: PromQLExpression, at t: Int64) throws -> [PromQLElement] {
        let input = try vector(expression, at: t)
        return input.contains(where: \.isHistogram) ? input.filter { !$0.isHistogram } : input
    }

    /// The input of `histogram_quantile(s)`/`histogram_fraction`: classic
    /// bucket series and native histograms. Where a native histogram has
    /// the labels of a classic histogram's buckets (without `le`), neither
    /// is evaluated, as upstream.
    static func splitHistograms(_ input: [PromQLElement]) -> (classic: [PromQLElement], native: [PromQLElement]) {
        var classic: [PromQLElement] = [], native: [PromQLElement] = []
        for element in input {
            if element.isHistogram { native.append(element) } else { classic.append(element) }
        }
        guard !native.isEmpty, !classic.isEmpty else { return (classic, native) }
        let bucketGroups = Set(classic.lazy.filter { $0.labels["le"] != nil }.map { $0.labels.removing(["le"]) })
        let mixed = Set(native.lazy.map(\.labels).filter { bucketGroups.contains($0) })
        guard !mixed.isEmpty else { return (classic, native) }
        return (classic.filter { $0.labels["le"] == nil || !mixed.contains($0.labels.removing(["le"])) },
                native.filter { !mixed.contains($0.labels) })
    }

    /// `property` of every native histogram element (floats are skipped);
    /// the metric name is dropped.
    func nativeHistogramValues(_ input: [PromQLElement], at t: Int64, _ property: (NativeHistogram) -> Double) -> [PromQLElement] {
        input.compactMap { element in
            element.histogram.map { PromQLElement(labels: element.labels, value: property($0), timestamp: t, dropName: true) }
        }
    }

    /// `histogram_quantiles` over native histograms: one element per
    /// quantile, told apart by `label`.
    func nativeHistogramQuantiles(_ qs: [Double], label: String, _ input: [PromQLElement], at t: Int64) -> [PromQLElement] {
        qs.flatMap { q in
            input.compactMap { element in
                element.histogram.map {
                    PromQLElement(labels: element.labels.setting(label, to: PromQLClassicHistogram.openMetricsFloat(q)),
                                  value: PromQLHistogramStatistics.quantile(q, $0), timestamp: t, dropName: true)
                }
            }
        }
    }

    /// `-x` of a histogram: every count negated.
    static func negated(_ element: PromQLElement, at t: Int64) -> PromQLElement {
        guard let h = element.histogram else {
            return PromQLElement(labels: element.labels, value: -element.value, timestamp: t, dropName: true)
        }
        return PromQLElement(labels: element.labels, histogram: h.multiplied(by: -1), timestamp: t, dropName: true)
    }

    /// `sum` or `avg` of a group holding histograms: nil (no output) when
    /// the group mixes floats and histograms or the histograms cannot be
    /// added (exponential with custom buckets), as upstream.
    static func aggregateHistograms(_ op: PromQLAggregationOperator, _ elements: [PromQLElement]) -> NativeHistogram? {
        var histograms: [NativeHistogram] = []
        histograms.reserveCapacity(elements.count)
        for element in elements {
            guard let h = element.histogram else { return nil }
            histograms.append(h)
        }
        return (op == .avg ? PromQLHistogramSummation.mean(histograms) : PromQLHistogramSummation.sum(histograms))?.compacted()
    }
}

/// Sums and means of histograms as upstream computes them: compensated
/// (Kahan) addition; the mean divides the sum unless the sum would
/// overflow, where it switches to an incremental mean.
enum PromQLHistogramSummation {
    /// nil when two of the histograms cannot be added.
    static func sum<C: Collection<NativeHistogram>>(_ histograms: C) -> NativeHistogram? {
        guard var sum = histograms.first else { return nil }
        var compensation: NativeHistogram?
        for h in histograms.dropFirst() {
            guard let step = try? sum.kahanAdding(h, compensation: compensation) else { return nil }
            (sum, compensation) = (step.result, step.compensation)
        }
        guard let compensation else { return sum }
        return try? sum.adding(compensation).result
    }

    /// nil when two of the histograms cannot be added.
    static func mean<C: Collection<NativeHistogram>>(_ histograms: C) -> NativeHistogram? {
        guard var sum = histograms.first else { return nil }
        var compensation: NativeHistogram?
        var mean: NativeHistogram?
        var count = 1.0
        for h in histograms.dropFirst() {
            count += 1
            if mean == nil {
                guard let step = try? sum.kahanAdding(h, compensation: compensation) else { return nil }
                if !hasOverflow(step.result) {
                    (sum, compensation) = (step.result, step.compensation)
                    continue
                }
                // The running sum would overflow: continue with the mean of what was summed.
                mean = sum.divided(by: count - 1)
                compensation = compensation?.divided(by: count - 1)
            }
            let q = (count - 1) / count
            guard let step = try? mean!.multiplied(by: q).kahanAdding(h.divided(by: count), compensation: compensation?.multiplied(by: q))
            else { return nil }
            (mean, compensation) = (step.result, step.compensation)
        }
        if let mean {
            guard let compensation else { return mean }
            return try? mean.adding(compensation).result
        }
        guard let compensation else { return sum.divided(by: count) }
        return try? sum.divided(by: count).adding(compensation.divided(by: count)).result
    }

    /// Whether any count or the sum is infinite (upstream's `HasOverflow`).
    static func hasOverflow(_ h: NativeHistogram) -> Bool {
        h.count.isInfinite || h.sum.isInfinite || h.zeroCount.isInfinite
            || h.positiveBuckets.contains(where: \.isInfinite) || h.negativeBuckets.contains(where: \.isInfinite)
    }
}
