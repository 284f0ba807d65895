/// The experimental `anchored` and `smoothed` range-selector modifiers
/// (upstream feature `promql-extended-range-selectors`), float samples only.
///
/// `anchored` also reads the last sample at or before the window start, so
/// `increase` measures from a real sample instead of extrapolating.
/// `smoothed` interpolates values at both window edges (and, on an instant
/// selector, at the evaluation time) from neighbouring samples up to one
/// lookback delta away.
enum PromQLExtendedRange {
    /// Functions that accept each modifier (upstream's *SafeFunctions).
    static let anchoredFunctions: [String] = ["changes", "delta", "increase", "rate", "resets"]
    static let smoothedFunctions: [String] = ["delta", "increase", "rate"]

    /// Linear interpolation at `t`; for counters a reset between the
    /// points is modelled as starting again from zero.
    static func interpolate(_ p1: PromQLSample, _ p2: PromQLSample, _ t: Int64, isCounter: Bool) -> Double {
        var y1 = p1.value
        let y2 = p2.value
        if isCounter && y2 < y1 { y1 = 0 }
        return y1 + (y2 - y1) * Double(t - p1.timestamp) / Double(p2.timestamp - p1.timestamp)
    }

    /// Index of the first sample in `f[0..<limit]` satisfying `predicate`, or `limit`.
    private static func search(_ f: [PromQLSample], _ limit: Int, _ predicate: (PromQLSample) -> Bool) -> Int {
        Array(f[0..<limit]).partitionIndex(where: predicate)
    }

    private static func left(_ f: [PromQLSample], _ first: Int, _ start: Int64, smoothed: Bool, isCounter: Bool) -> Double {
        if smoothed && f[first].timestamp < start && first + 1 < f.count {
            return interpolate(f[first], f[first + 1], start, isCounter: isCounter)
        }
        return f[first].value
    }

    private static func right(_ f: [PromQLSample], _ last: Int, _ end: Int64, smoothed: Bool, isCounter: Bool) -> Double {
        if smoothed && last > 0 && f[last].timestamp > end {
            return interpolate(f[last - 1], f[last], end, isCounter: isCounter)
        }
        return f[last].value
    }

    /// `rate`/`increase`/`delta` over an extended window: the difference
    /// between the (interpolated) edge values plus counter-reset corrections.
    static func rate(_ f: [PromQLSample], start: Int64, end: Int64, smoothed: Bool, isCounter: Bool, isRate: Bool) -> Double? {
        guard !f.isEmpty else { return nil }
        var last = f.count - 1
        var first = max(0, search(f, last) { $0.timestamp > start } - 1)
        if smoothed { last = search(f, last) { $0.timestamp >= end } }
        if f[last].timestamp <= start { return nil }
        if smoothed && f[first].timestamp > end { return nil }
        let l = left(f, first, start, smoothed: smoothed, isCounter: isCounter)
        let r = right(f, last, end, smoothed: smoothed, isCounter: isCounter)
        var result = r - l
        if isCounter {
            if f[first].timestamp <= start { first += 1 }
            if f[last].timestamp >= end { last -= 1 }
            var previous = l
            if first <= last {
                for p in f[first...last] {
                    if p.value < previous { result += previous }
                    previous = p.value
                }
            }
            if r < previous { result += previous }
        }
        if isRate { result /= Double(end - start) / 1000 }
        return result
    }

    /// The samples `resets`/`changes` see with `anchored`: the last sample
    /// at or before the window start, then everything after it. `nil`
    /// when no sample lies inside the window.
    static func anchoredSamples(_ f: [PromQLSample], start: Int64) -> [PromQLSample]? {
        let lastBefore = f.partitionIndex { $0.timestamp > start } - 1
        if lastBefore + 1 >= f.count { return nil }
        return Array(f[max(0, lastBefore)...])
    }

    /// The range vector an extended selector yields on its own: the
    /// samples inside the window framed by (interpolated) edge points.
    static func extend(_ f: [PromQLSample], start: Int64, end: Int64, smoothed: Bool) -> [PromQLSample] {
        guard !f.isEmpty else { return [] }
        var last = f.count - 1
        var first = max(0, search(f, last) { $0.timestamp > start } - 1)
        if smoothed { last = search(f, last) { $0.timestamp >= end } }
        if f[last].timestamp <= start { return [] }
        let l = left(f, first, start, smoothed: smoothed, isCounter: false)
        let r = right(f, last, end, smoothed: smoothed, isCounter: false)
        if f[first].timestamp <= start { first += 1 }
        if f[last].timestamp >= end { last -= 1 }
        var out = [PromQLSample(timestamp: start, value: l)]
        if first <= last { out += f[first...last] }
        out.append(PromQLSample(timestamp: end, value: r))
        return out
    }

    /// A smoothed instant value at `t`: the sample exactly at `t`, else
    /// interpolated between its neighbours, else the last one before.
    static func smoothedValue(_ f: [PromQLSample], at t: Int64) -> Double? {
        let i = f.partitionIndex { $0.timestamp >= t }
        if i < f.count && f[i].timestamp == t { return f[i].value }
        if i > 0 && i < f.count { return interpolate(f[i - 1], f[i], t, isCounter: false) }
        if i > 0 { return f[i - 1].value }
        return nil
    }
}
