import KansokuModel

/// The range functions over a window holding native histograms (alone or
/// mixed with floats), as Prometheus evaluates them: `rate`, `increase`,
/// `delta`, `irate`, `idelta`, `sum_over_time` and `avg_over_time` yield
/// histograms; the counting and picking functions treat both kinds alike;
/// the rest read only the floats (histograms are ignored).
enum PromQLHistogramRangeFunctions {
    /// A function's result: a float, a histogram, or no element.
    enum Result {
        case float(Double)
        case histogram(NativeHistogram)
        case none
    }

    /// Functions that read only the floats of a window.
    static let floatOnly: Set<String> = [
        "min_over_time", "max_over_time", "stddev_over_time", "stdvar_over_time", "mad_over_time",
        "ts_of_min_over_time", "ts_of_max_over_time", "deriv", "quantile_over_time", "predict_linear",
        "double_exponential_smoothing",
    ]

    /// `name` over a window whose `histograms` are not empty.
    static func evaluate(_ name: String, floats: ArraySlice<PromQLSample>, histograms: ArraySlice<PromQLHistogramSample>,
                         start: Int64, end: Int64) -> Result {
        switch name {
        case "count_over_time": return .float(Double(floats.count + histograms.count))
        case "present_over_time": return .float(1)
        case "last_over_time":
            if let f = floats.last, f.timestamp > histograms.last!.timestamp { return .float(f.value) }
            return .histogram(histograms.last!.histogram)
        case "first_over_time":
            if let f = floats.first, f.timestamp < histograms.first!.timestamp { return .float(f.value) }
            return .histogram(histograms.first!.histogram)
        case "ts_of_last_over_time":
            return .float(Double(max(floats.last?.timestamp ?? .min, histograms.last!.timestamp)) / 1000)
        case "ts_of_first_over_time":
            return .float(Double(min(floats.first?.timestamp ?? .max, histograms.first!.timestamp)) / 1000)
        case "sum_over_time", "avg_over_time":
            // Floats and histograms cannot be added together.
            guard floats.isEmpty else { return .none }
            let values = histograms.lazy.map(\.histogram)
            let result = name == "sum_over_time" ? PromQLHistogramSummation.sum(values) : PromQLHistogramSummation.mean(values)
            return result.map { .histogram($0.compacted()) } ?? .none
        case "rate", "increase", "delta":
            guard floats.isEmpty, histograms.count >= 2,
                  let change = change(histograms, isCounter: name != "delta") else { return .none }
            return .histogram(extrapolate(change, histograms, start: start, end: end, isCounter: name != "delta", isRate: name == "rate"))
        case "irate", "idelta":
            return instant(floats, histograms, isRate: name == "irate")
        case "resets", "changes":
            return .float(Double(transitions(floats, histograms, counting: name)))
        default:
            return .none
        }
    }

    /// `histogramRate` upstream: last minus first at the coarsest schema in
    /// the window, plus every value before a counter reset (counters only);
    /// the result is a gauge histogram.
    static func change(_ samples: ArraySlice<PromQLHistogramSample>, isCounter: Bool) -> NativeHistogram? {
        var first = samples.first!.histogram
        let last = samples.last!.histogram
        // A reset between the first two samples makes the first one's
        // layout irrelevant: it counts as empty.
        if isCounter {
            let second = samples[samples.startIndex + 1].histogram
            if second.detectsReset(after: first) {
                first = NativeHistogram(schema: second.schema, customValues: second.customValues)
            }
        }
        let customBuckets = first.usesCustomBuckets
        guard last.usesCustomBuckets == customBuckets else { return nil }
        var minSchema = min(first.schema, last.schema)
        if isCounter {
            for sample in samples.dropFirst().dropLast() {
                guard sample.histogram.usesCustomBuckets == customBuckets else { return nil }
                minSchema = min(minSchema, sample.histogram.schema)
            }
        }
        var result = customBuckets || last.schema == minSchema ? last : last.reducedResolution(to: minSchema)
        guard let difference = try? result.subtracting(first).result else { return nil }
        result = difference
        if isCounter {
            var previous = first
            for sample in samples.dropFirst() {
                if sample.histogram.detectsReset(after: previous) {
                    guard let sum = try? result.adding(previous).result else { return nil }
                    result = sum
                }
                previous = sample.histogram
            }
        }
        result.counterResetHint = .gauge
        return result.compacted()
    }

    /// Upstream's extrapolation of the change to the window edges, as for
    /// floats (counters stop where the count would reach zero), per second
    /// for `rate`.
    private static func extrapolate(_ change: NativeHistogram, _ samples: ArraySlice<PromQLHistogramSample>,
                                    start: Int64, end: Int64, isCounter: Bool, isRate: Bool) -> NativeHistogram {
        let firstT = samples.first!.timestamp, lastT = samples.last!.timestamp
        var durationToStart = Double(firstT - start) / 1000
        var durationToEnd = Double(end - lastT) / 1000
        let sampledInterval = Double(lastT - firstT) / 1000
        let averageDuration = sampledInterval / Double(samples.count - 1)
        let threshold = averageDuration * 1.1
        if durationToStart >= threshold { durationToStart = averageDuration / 2 }
        let firstCount = samples.first!.histogram.count
        if isCounter && change.count > 0 && firstCount >= 0 {
            durationToStart = min(durationToStart, sampledInterval * (firstCount / change.count))
        }
        if durationToEnd >= threshold { durationToEnd = averageDuration / 2 }
        var factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval
        if isRate { factor /= Double(end - start) / 1000 }
        return change.multiplied(by: factor)
    }

    /// `irate`/`idelta` from the last two samples of either kind.
    private static func instant(_ floats: ArraySlice<PromQLSample>, _ histograms: ArraySlice<PromQLHistogramSample>,
                                isRate: Bool) -> Result {
        guard floats.count + histograms.count >= 2 else { return .none }
        let last = histograms.last!
        // Both of the last two samples must be histograms.
        if let f = floats.last, f.timestamp > last.timestamp { return .none }
        guard histograms.count >= 2 else { return .none }
        let previous = histograms[histograms.endIndex - 2]
        if let f = floats.last, f.timestamp > previous.timestamp { return .none }
        var result = last.histogram
        if !isRate || !last.histogram.detectsReset(after: previous.histogram) {
            guard let difference = try? result.subtracting(previous.histogram).result else { return .none }
            result = difference
        }
        result.counterResetHint = .gauge
        result = result.compacted()
        if isRate { result = result.divided(by: Double(last.timestamp - previous.timestamp) / 1000) }
        return .histogram(result)
    }

    /// `resets`/`changes` over floats and histograms in time order: a
    /// switch of kind counts as a reset and a change.
    private static func transitions(_ floats: ArraySlice<PromQLSample>, _ histograms: ArraySlice<PromQLHistogramSample>,
                                    counting name: String) -> Int {
        var count = 0
        var previous: (float: Double, histogram: NativeHistogram?)?
        var i = floats.startIndex, j = histograms.startIndex
        while i < floats.endIndex || j < histograms.endIndex {
            let current: (float: Double, histogram: NativeHistogram?)
            if j >= histograms.endIndex || (i < floats.endIndex && floats[i].timestamp < histograms[j].timestamp) {
                current = (floats[i].value, nil)
                i += 1
            } else {
                current = (0, histograms[j].histogram)
                j += 1
            }
            defer { previous = current }
            guard let before = previous else { continue }
            switch (before.histogram, current.histogram) {
            case (nil, nil):
                if name == "resets" {
                    if current.float < before.float { count += 1 }
                } else if !(current.float == before.float || (current.float.isNaN && before.float.isNaN)) {
                    count += 1
                }
            case (let a?, let b?):
                if name == "resets" ? b.detectsReset(after: a) : !PromQLEvaluator.sameHistogram(a, b) { count += 1 }
            default:
                count += 1
            }
        }
        return count
    }
}
