/// Evaluating selectors that carry `anchored` / `smoothed`.
extension PromQLEvaluator {
    /// The raw samples an extended range selector reads: the window widened
    /// by the lookback delta to the left (and for `smoothed` to the right),
    /// staleness markers removed, plus the unwidened window edges.
    func extendedWindows(_ m: PromQLMatrixSelector, at t: Int64) throws -> (series: [PromQLRangeSeries], start: Int64, end: Int64) {
        let inner = m.selector
        let ref = try referenceTime(t, at: inner.at, offset: inner.offset, offsetExpression: inner.offsetExpression)
        let range = try m.rangeExpression.map(milliseconds) ?? m.range.milliseconds
        let smoothed = inner.rangeModifier == .smoothed
        let low = ref - range - options.lookbackDelta
        let high = smoothed ? ref + options.lookbackDelta : ref
        var result: [PromQLRangeSeries] = []
        for s in try series(matching: inner.matchers) {
            try Self.refuseHistograms(s, after: low, through: high)
            let lower = s.samples.partitionIndex { $0.timestamp > low }
            let upper = s.samples.partitionIndex { $0.timestamp > high }
            guard lower < upper else { continue }
            let samples = s.samples[lower..<upper].filter { !PromQLStaleness.isMarker($0.value) }
            if !samples.isEmpty { result.append(PromQLRangeSeries(labels: s.labels, samples: samples)) }
        }
        return (result, ref - range, ref)
    }

    /// `x[5m] anchored` evaluated as a range vector on its own.
    func extendedMatrix(_ m: PromQLMatrixSelector, at t: Int64) throws -> [PromQLRangeSeries] {
        let (series, start, end) = try extendedWindows(m, at: t)
        let smoothed = m.selector.rangeModifier == .smoothed
        return series.compactMap { s in
            let samples = PromQLExtendedRange.extend(s.samples, start: start, end: end, smoothed: smoothed)
            return samples.isEmpty ? nil : PromQLRangeSeries(labels: s.labels, samples: samples)
        }
    }

    /// A range function over an extended selector.
    func extendedRangeFunction(_ name: String, _ m: PromQLMatrixSelector, at t: Int64) throws -> [PromQLElement] {
        let modifier = m.selector.rangeModifier!
        let allowed = modifier == .anchored ? PromQLExtendedRange.anchoredFunctions : PromQLExtendedRange.smoothedFunctions
        guard allowed.contains(name) else {
            throw PromQLEvaluationError.execution("\(modifier.rawValue) modifier can only be used with: \(allowed.joined(separator: ", ")) - not with \(name)")
        }
        let (series, start, end) = try extendedWindows(m, at: t)
        let smoothed = modifier == .smoothed
        var out: [PromQLElement] = []
        for s in series {
            let value: Double?
            switch name {
            case "rate", "increase", "delta":
                value = PromQLExtendedRange.rate(s.samples, start: start, end: end, smoothed: smoothed,
                                                 isCounter: name != "delta", isRate: name == "rate")
            default:
                value = PromQLExtendedRange.anchoredSamples(s.samples, start: start).flatMap {
                    PromQLRangeFunctions.evaluate(name, PromQLRangeFunctions.Window(samples: $0[...], start: start, end: end))
                }
            }
            if let value { out.append(PromQLElement(labels: s.labels, value: value, timestamp: t, dropName: true)) }
        }
        return out
    }

    /// `x smoothed`: per series, the value interpolated at the reference time.
    func smoothedSelect(_ selector: PromQLVectorSelector, at t: Int64) throws -> [PromQLElement] {
        let ref = try referenceTime(t, at: selector.at, offset: selector.offset, offsetExpression: selector.offsetExpression)
        var result: [PromQLElement] = []
        for s in try series(matching: selector.matchers) {
            try Self.refuseHistograms(s, after: ref - options.lookbackDelta, through: ref + options.lookbackDelta)
            let lower = s.samples.partitionIndex { $0.timestamp > ref - options.lookbackDelta }
            let upper = s.samples.partitionIndex { $0.timestamp > ref + options.lookbackDelta }
            guard lower < upper else { continue }
            let window = s.samples[lower..<upper].filter { !PromQLStaleness.isMarker($0.value) }
            if let value = PromQLExtendedRange.smoothedValue(window, at: ref) {
                result.append(PromQLElement(labels: s.labels, value: value, timestamp: t))
            }
        }
        return result
    }

    /// The extended selectors (experimental upstream) are implemented for
    /// floats only; a window with native histograms is refused rather
    /// than answered wrongly.
    private static func refuseHistograms(_ s: PromQLSeries, after low: Int64, through high: Int64) throws {
        guard !s.histograms.isEmpty, !window(s.histograms, after: low, through: high).isEmpty else { return }
        throw PromQLEvaluationError.unsupported("anchored/smoothed selectors over native histograms")
    }
}
