import KansokuModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The functions that reduce one series' samples in a range window to a
/// single value (`rate`, `*_over_time`, ...), written as pure functions over
/// a window so they are easy to unit test. `nil` means "no output element".
enum PromQLRangeFunctions {
    /// The window a range function sees: samples in `(start, end]`. A
    /// slice, so a range query can hand each step a view of the series'
    /// samples instead of a copy (indices do not start at 0).
    struct Window {
        var samples: ArraySlice<PromQLSample>
        /// Left and right edges of the range (ms); `rate` extrapolates to them.
        var start: Int64
        var end: Int64
    }

    /// Names of the functions this file implements, for dispatch.
    static let names: Set<String> = [
        "rate", "increase", "delta", "irate", "idelta", "deriv", "resets", "changes",
        "avg_over_time", "sum_over_time", "count_over_time", "min_over_time", "max_over_time",
        "last_over_time", "first_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time",
        "mad_over_time", "ts_of_min_over_time", "ts_of_max_over_time", "ts_of_last_over_time", "ts_of_first_over_time",
    ]

    static func evaluate(_ name: String, _ window: Window) -> Double? {
        let s = window.samples
        guard !s.isEmpty else { return nil }
        switch name {
        case "rate": return extrapolatedRate(window, isCounter: true, isRate: true)
        case "increase": return extrapolatedRate(window, isCounter: true, isRate: false)
        case "delta": return extrapolatedRate(window, isCounter: false, isRate: false)
        case "irate": return instantValue(s, isRate: true)
        case "idelta": return instantValue(s, isRate: false)
        case "deriv":
            guard s.count >= 2 else { return nil }
            return linearRegression(s, interceptTime: s.first!.timestamp).slope
        case "resets":
            return Double(zip(s, s.dropFirst()).filter { $1.value < $0.value }.count)
        case "changes":
            return Double(zip(s, s.dropFirst()).filter { !($1.value == $0.value || ($1.value.isNaN && $0.value.isNaN)) }.count)
        case "avg_over_time":
            var mean = PromQLMean(s.first!.value)
            for sample in s.dropFirst() { mean.add(sample.value) }
            return mean.result
        case "sum_over_time":
            var sum = PromQLKahanSum(s.first!.value)
            for sample in s.dropFirst() { sum.add(sample.value) }
            return sum.value
        case "count_over_time": return Double(s.count)
        case "present_over_time": return 1
        case "last_over_time": return s.last!.value
        case "first_over_time": return s.first!.value
        case "ts_of_last_over_time": return Double(s.last!.timestamp) / 1000
        case "ts_of_first_over_time": return Double(s.first!.timestamp) / 1000
        case "min_over_time", "ts_of_min_over_time":
            let best = extreme(s) { $0 < $1 }
            return name == "min_over_time" ? best.value : Double(best.timestamp) / 1000
        case "max_over_time", "ts_of_max_over_time":
            let best = extreme(s) { $0 > $1 }
            return name == "max_over_time" ? best.value : Double(best.timestamp) / 1000
        case "stdvar_over_time": return variance(s)
        case "stddev_over_time": return variance(s).squareRoot()
        case "mad_over_time":
            if s.contains(where: { $0.value.isNaN }) { return .nan }
            let values = s.map(\.value)
            let median = PromQLEvaluator.quantile(0.5, values)
            return PromQLEvaluator.quantile(0.5, values.map { abs($0 - median) })
        default: return nil
        }
    }

    /// `compareOverTime` upstream: a NaN current best is always replaced.
    private static func extreme(_ s: ArraySlice<PromQLSample>, _ better: (Double, Double) -> Bool) -> PromQLSample {
        var best = s.first!
        for sample in s where better(sample.value, best.value) || best.value.isNaN { best = sample }
        return best
    }

    /// Welford's variance with compensated sums (`varianceOverTime`).
    private static func variance(_ s: ArraySlice<PromQLSample>) -> Double {
        var count: Double = 0
        var mean: Double = 0, cMean: Double = 0
        var aux: Double = 0, cAux: Double = 0
        for sample in s {
            count += 1
            let delta = sample.value - (mean + cMean)
            (mean, cMean) = CompensatedSum.add(delta / count, to: mean, compensation: cMean)
            (aux, cAux) = CompensatedSum.add(delta * (sample.value - (mean + cMean)), to: aux, compensation: cAux)
        }
        return (aux + cAux) / count
    }

    /// `rate`, `increase` and `delta`: the change over the window,
    /// corrected for counter resets and extrapolated towards the window
    /// edges (all the way if the first/last sample is within 110% of the
    /// average sample spacing from the edge, otherwise by half a spacing;
    /// counters never extrapolate below zero).
    static func extrapolatedRate(_ window: Window, isCounter: Bool, isRate: Bool) -> Double? {
        let s = window.samples
        guard s.count >= 2 else { return nil }
        let first = s.first!, last = s.last!
        var result = last.value - first.value
        if isCounter {
            // An index loop over the buffer: this runs for every window of every step.
            s.withUnsafeBufferPointer { samples in
                for i in 1..<samples.count where samples[i].value < samples[i - 1].value {
                    result += samples[i - 1].value
                }
            }
        }
        var durationToStart = Double(first.timestamp - window.start) / 1000
        var durationToEnd = Double(window.end - last.timestamp) / 1000
        let sampledInterval = Double(last.timestamp - first.timestamp) / 1000
        let averageDuration = sampledInterval / Double(s.count - 1)
        let threshold = averageDuration * 1.1
        if durationToStart >= threshold { durationToStart = averageDuration / 2 }
        if isCounter {
            var durationToZero = durationToStart
            if result > 0 && first.value >= 0 { durationToZero = sampledInterval * (first.value / result) }
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        if durationToEnd >= threshold { durationToEnd = averageDuration / 2 }
        var factor = 1.0
        if sampledInterval != 0 { factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval }
        if isRate { factor /= Double(window.end - window.start) / 1000 }
        return result * factor
    }

    /// `irate` / `idelta`: from the last two samples only.
    static func instantValue(_ s: ArraySlice<PromQLSample>, isRate: Bool) -> Double? {
        guard s.count >= 2 else { return nil }
        let previous = s[s.endIndex - 2], last = s[s.endIndex - 1]
        let interval = last.timestamp - previous.timestamp
        guard interval != 0 else { return nil }
        var result = last.value
        // A counter reset makes the last value itself the increase.
        if !isRate || !(last.value < previous.value) { result = last.value - previous.value }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    /// Least-squares fit with compensated sums; x is seconds from `interceptTime`.
    static func linearRegression(_ s: ArraySlice<PromQLSample>, interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n: Double = 0
        var sumX = PromQLKahanSum(), sumY = PromQLKahanSum(), sumXY = PromQLKahanSum(), sumX2 = PromQLKahanSum()
        let initY = s.first!.value
        var constY = true
        for (i, sample) in s.enumerated() {
            if constY && i > 0 && sample.value != initY { constY = false }
            n += 1
            let x = Double(sample.timestamp - interceptTime) / 1e3
            sumX.add(x)
            sumY.add(sample.value)
            sumXY.add(x * sample.value)
            sumX2.add(x * x)
        }
        if constY {
            return initY.isInfinite ? (.nan, .nan) : (0, initY)
        }
        let sx = sumX.value, sy = sumY.value, sxy = sumXY.value, sx2 = sumX2.value
        let covXY = sxy - sx * sy / n
        let varX = sx2 - sx * sx / n
        let slope = covXY / varX
        return (slope, sy / n - slope * sx / n)
    }

    /// `double_exponential_smoothing` (Holt's linear method).
    static func doubleExponentialSmoothing(_ s: ArraySlice<PromQLSample>, smoothing sf: Double, trend tf: Double) -> Double? {
        guard s.count >= 2 else { return nil }
        let base = s.startIndex
        var s0 = 0.0, s1 = s[base].value, b = s[base + 1].value - s[base].value
        for i in 1..<s.count {
            let x = sf * s[base + i].value
            if i - 1 != 0 { b = tf * (s1 - s0) + (1 - tf) * b }
            let y = (1 - sf) * (s1 + b)
            (s0, s1) = (s1, x + y)
        }
        return s1
    }
}
