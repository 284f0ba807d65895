#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KansokuModel

/// Function calls: dispatch to range functions, element-wise math, label
/// manipulation, sorting and the time functions.
extension PromQLEvaluator {
    func evaluateCall(_ call: PromQLCall, at t: Int64) throws -> PromQLIntermediate {
        let name = call.function.name
        let args = call.arguments
        if PromQLRangeFunctions.names.contains(name) {
            return .vector(try rangeFunction(name, args[0], at: t) { PromQLRangeFunctions.evaluate(name, $0) })
        }
        if let math = Self.elementwise[name] {
            return .vector(try floatVector(args[0], at: t).map { markDropped($0, math($0.value), t) })
        }
        switch name {
        case "quantile_over_time":
            let q = try scalar(args[0], at: t)
            return .vector(try rangeFunction(name, args[1], at: t) { PromQLEvaluator.quantile(q, $0.samples.map(\.value)) })
        case "predict_linear":
            let duration = try scalar(args[1], at: t)
            return .vector(try rangeFunction(name, args[0], at: t) { window in
                guard window.samples.count >= 2 else { return nil }
                let (slope, intercept) = PromQLRangeFunctions.linearRegression(window.samples, interceptTime: t)
                return slope * duration + intercept
            })
        case "double_exponential_smoothing":
            let sf = try scalar(args[1], at: t), tf = try scalar(args[2], at: t)
            guard sf > 0 && sf < 1 else { throw PromQLEvaluationError.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: \(Self.goFixed(sf))") }
            guard tf > 0 && tf < 1 else { throw PromQLEvaluationError.execution("invalid trend factor. Expected: 0 < tf < 1, got: \(Self.goFixed(tf))") }
            return .vector(try rangeFunction(name, args[0], at: t) {
                PromQLRangeFunctions.doubleExponentialSmoothing($0.samples, smoothing: sf, trend: tf)
            })
        case "absent_over_time":
            let series = try matrix(args[0], at: t)
            return .vector(series.isEmpty ? [PromQLElement(labels: Self.absentLabels(args[0]), value: 1, timestamp: t)] : [])
        case "absent":
            let input = try vector(args[0], at: t)
            return .vector(input.isEmpty ? [PromQLElement(labels: Self.absentLabels(args[0]), value: 1, timestamp: t)] : [])
        case "round":
            let toNearest = args.count > 1 ? try scalar(args[1], at: t) : 1
            let inverse = 1.0 / toNearest
            return .vector(try floatVector(args[0], at: t).map { markDropped($0, floor($0.value * inverse + 0.5) / inverse, t) })
        case "clamp", "clamp_min", "clamp_max":
            let input = try floatVector(args[0], at: t)
            var low = -Double.infinity, high = Double.infinity
            if name == "clamp" {
                low = try scalar(args[1], at: t)
                high = try scalar(args[2], at: t)
                if high < low { return .vector([]) }
            } else if name == "clamp_min" {
                low = try scalar(args[1], at: t)
            } else {
                high = try scalar(args[1], at: t)
            }
            return .vector(input.map { markDropped($0, Self.goMax(low, Self.goMin(high, $0.value)), t) })
        case "timestamp":
            // Over a plain selector the sample's own time is used, not the step.
            var argument = args[0]
            while case .parentheses(let inner) = argument { argument = inner }
            let isSelector = if case .vectorSelector = argument { true } else { false }
            return .vector(try vector(args[0], at: t).map { markDropped($0, Double(isSelector ? $0.timestamp : t) / 1000, t) })
        case "time": return .scalar(Double(t) / 1000)
        case "pi": return .scalar(Double.pi)
        case "start": return .scalar(Double(queryStart) / 1000)
        case "end": return .scalar(Double(queryEnd) / 1000)
        case "range": return .scalar(Double(queryEnd - queryStart) / 1000)
        case "step": return .scalar(Double(queryStep) / 1000)
        case "min_of": return .scalar(Self.goMin(try scalar(args[0], at: t), try scalar(args[1], at: t)))
        case "max_of": return .scalar(Self.goMax(try scalar(args[0], at: t), try scalar(args[1], at: t)))
        case "vector": return .vector([PromQLElement(labels: .empty, value: try scalar(args[0], at: t), timestamp: t)])
        case "scalar":
            let input = try floatVector(args[0], at: t)
            return .scalar(input.count == 1 ? input[0].value : .nan)
        case "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year":
            let input = args.isEmpty ? [PromQLElement(labels: .empty, value: Double(t) / 1000, timestamp: t)] : try floatVector(args[0], at: t)
            return .vector(input.map { markDropped($0, PromQLCalendar.component(name, seconds: $0.value), t) })
        case "sort", "sort_desc":
            let input = try floatVector(args[0], at: t)
            // NaN sorts last in both directions, like upstream's heap order.
            return .vector(input.enumerated().sorted { a, b in
                let (x, y) = (a.element.value, b.element.value)
                if x.isNaN != y.isNaN { return y.isNaN }
                if x != y && !x.isNaN { return name == "sort" ? x < y : x > y }
                return a.offset < b.offset
            }.map(\.element))
        case "sort_by_label", "sort_by_label_desc":
            let names = try args.dropFirst().map { try string($0, at: t) }
            let input = try vector(args[0], at: t)
            let ascending = input.sorted { a, b in
                for label in names {
                    let (x, y) = (a.labels[label] ?? "", b.labels[label] ?? "")
                    if x != y { return PromQLNaturalOrder.less(x, y) }
                }
                return a.labels < b.labels
            }
            return .vector(name == "sort_by_label" ? ascending : ascending.reversed())
        case "label_replace": return .vector(try labelReplace(args, at: t))
        case "label_join": return .vector(try labelJoin(args, at: t))
        case "histogram_quantile":
            let q = try scalar(args[0], at: t)
            let (classic, native) = Self.splitHistograms(try vector(args[1], at: t))
            return .vector(try PromQLClassicHistogram.quantile(q, classic, at: t)
                + nativeHistogramValues(native, at: t) { PromQLHistogramStatistics.quantile(q, $0) })
        case "info": return .vector(try evaluateInfo(args, at: t))
        case "histogram_quantiles":
            let label = try string(args[1], at: t)
            let qs = try args.dropFirst(2).map { try scalar($0, at: t) }
            let (classic, native) = Self.splitHistograms(try vector(args[0], at: t))
            return .vector(PromQLClassicHistogram.quantiles(qs, label: label, classic, at: t)
                + nativeHistogramQuantiles(qs, label: label, native, at: t))
        case "histogram_fraction":
            let lower = try scalar(args[0], at: t), upper = try scalar(args[1], at: t)
            let (classic, native) = Self.splitHistograms(try vector(args[2], at: t))
            return .vector(PromQLClassicHistogram.fraction(lower, upper, classic, at: t)
                + nativeHistogramValues(native, at: t) { PromQLHistogramStatistics.fraction(lower: lower, upper: upper, $0) })
        case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar":
            // These read native histograms only and skip float samples, as upstream.
            let property: (NativeHistogram) -> Double = switch name {
            case "histogram_count": { $0.count }
            case "histogram_sum": { $0.sum }
            case "histogram_avg": { $0.sum / $0.count }
            case "histogram_stddev": { PromQLHistogramStatistics.stddev($0) }
            default: { PromQLHistogramStatistics.stdvar($0) }
            }
            return .vector(nativeHistogramValues(try vector(args[0], at: t), at: t, property))
        default:
            throw PromQLEvaluationError.unsupported("function \(name)")
        }
    }

    private func markDropped(_ element: PromQLElement, _ value: Double, _ t: Int64) -> PromQLElement {
        PromQLElement(labels: element.labels, value: value, timestamp: t, dropName: true)
    }

    /// Applies `body` to each series of a range argument (selector or
    /// subquery) with the window the argument covered at `t`. The functions
    /// of ``PromQLRangeFunctions`` over a plain selector may come from values
    /// computed for every step of a range query at once (``PromQLStepValues``).
    func rangeFunction(_ name: String, _ argument: PromQLExpression, at t: Int64,
                       _ body: (PromQLRangeFunctions.Window) -> Double?) throws -> [PromQLElement] {
        if case .matrixSelector(let m) = argument, m.selector.rangeModifier != nil {
            return try extendedRangeFunction(name, m, at: t)
        }
        let keepsName = Self.keepsName(name)
        if case .matrixSelector(let m) = argument {
            if PromQLRangeFunctions.names.contains(name), let (values, step) = try precomputedStepValues(name, m, at: t) {
                return values.elements(step: step, at: t, dropName: !keepsName)
            }
            return try selectorRangeFunction(name, m, keepsName: keepsName, at: t, body)
        }
        let series = try matrix(argument, at: t)
        let (start, end) = try windowBounds(argument, at: t)
        var out: [PromQLElement] = []
        for s in series {
            if !s.histograms.isEmpty {
                if let element = histogramRangeElement(name, s.labels, s.samples[...], s.histograms[...], start: start, end: end,
                                                       dropName: !keepsName || s.dropName, at: t, body) {
                    out.append(element)
                }
                continue
            }
            guard let value = body(PromQLRangeFunctions.Window(samples: s.samples[...], start: start, end: end)) else { continue }
            out.append(PromQLElement(labels: s.labels, value: value, timestamp: t, dropName: !keepsName || s.dropName))
        }
        return out
    }

    /// Whether range function `name` keeps the metric name (the others drop it).
    static func keepsName(_ name: String) -> Bool {
        name == "last_over_time" || name == "first_over_time"
    }

    /// ``PromQLStepValues`` of the range function `name` (one of
    /// ``PromQLRangeFunctions``) over `selector`, and the index of `t` among
    /// the query's steps, computed at the first step that asks; nil when `t`
    /// is not a step of this range query (a subquery's inner time) or the
    /// values cannot be precomputed.
    func precomputedStepValues(_ name: String, _ selector: PromQLMatrixSelector,
                               at t: Int64) throws -> (PromQLStepValues, step: Int)? {
        guard queryStep > 0, t >= queryStart, t <= queryEnd, (t - queryStart) % queryStep == 0 else { return nil }
        let key = PromQLStepValuesKey(function: name, selector: selector)
        let cached: PromQLStepValues?
        if let known = stepValuesCache[key] {
            cached = known
        } else {
            let inner = selector.selector
            let range = try selector.rangeExpression.map(milliseconds) ?? selector.range.milliseconds
            let references = try stride(from: queryStart, through: queryEnd, by: Int(queryStep)).map {
                try referenceTime($0, at: inner.at, offset: inner.offset, offsetExpression: inner.offsetExpression)
            }
            cached = PromQLStepValues(function: name, series: try series(matching: inner.matchers), references: references,
                                      range: range)
            stepValuesCache[key] = .some(cached)
        }
        guard let cached else { return nil }
        return (cached, Int((t - queryStart) / queryStep))
    }

    /// ``rangeFunction`` over a plain range selector, the common case: each
    /// series' window is a view of its cached samples, not a copy (unless
    /// staleness markers must be filtered out of it).
    private func selectorRangeFunction(_ name: String, _ selector: PromQLMatrixSelector, keepsName: Bool, at t: Int64,
                                       _ body: (PromQLRangeFunctions.Window) -> Double?) throws -> [PromQLElement] {
        let inner = selector.selector
        let end = try referenceTime(t, at: inner.at, offset: inner.offset, offsetExpression: inner.offsetExpression)
        let start = end - (try selector.rangeExpression.map(milliseconds) ?? selector.range.milliseconds)
        var out: [PromQLElement] = []
        for s in try series(matching: inner.matchers) {
            let lower = s.samples.partitionIndex { $0.timestamp > start }
            let upper = s.samples.partitionIndex { $0.timestamp > end }
            if !s.histograms.isEmpty {
                let histograms = Self.window(s.histograms, after: start, through: end)
                if !histograms.isEmpty {
                    let floats = s.samples[lower..<upper].filter { !PromQLStaleness.isMarker($0.value) }[...]
                    if let element = histogramRangeElement(name, s.labels, floats, histograms, start: start, end: end,
                                                           dropName: !keepsName, at: t, body) {
                        out.append(element)
                    }
                    continue
                }
            }
            guard lower < upper else { continue }
            var window = s.samples[lower..<upper]
            if window.contains(where: { PromQLStaleness.isMarker($0.value) }) {
                window = window.filter { !PromQLStaleness.isMarker($0.value) }[...]
                guard !window.isEmpty else { continue }
            }
            guard let value = body(PromQLRangeFunctions.Window(samples: window, start: start, end: end)) else { continue }
            out.append(PromQLElement(labels: s.labels, value: value, timestamp: t, dropName: !keepsName))
        }
        return out
    }

    /// One series' result when its window holds native histograms: the
    /// float-only functions see just the floats; the others follow
    /// ``PromQLHistogramRangeFunctions``.
    private func histogramRangeElement(_ name: String, _ labels: PromQLLabels, _ floats: ArraySlice<PromQLSample>,
                                       _ histograms: ArraySlice<PromQLHistogramSample>, start: Int64, end: Int64, dropName: Bool,
                                       at t: Int64, _ body: (PromQLRangeFunctions.Window) -> Double?) -> PromQLElement? {
        if PromQLHistogramRangeFunctions.floatOnly.contains(name) {
            guard !floats.isEmpty, let value = body(PromQLRangeFunctions.Window(samples: floats, start: start, end: end)) else { return nil }
            return PromQLElement(labels: labels, value: value, timestamp: t, dropName: dropName)
        }
        switch PromQLHistogramRangeFunctions.evaluate(name, floats: floats, histograms: histograms, start: start, end: end) {
        case .float(let value): return PromQLElement(labels: labels, value: value, timestamp: t, dropName: dropName)
        case .histogram(let h): return PromQLElement(labels: labels, histogram: h, timestamp: t, dropName: dropName)
        case .none: return nil
        }
    }

    /// The `(start, end]` window of a range argument at `t`.
    func windowBounds(_ argument: PromQLExpression, at t: Int64) throws -> (Int64, Int64) {
        switch argument {
        case .parentheses(let inner): return try windowBounds(inner, at: t)
        case .matrixSelector(let m):
            let end = try referenceTime(t, at: m.selector.at, offset: m.selector.offset, offsetExpression: m.selector.offsetExpression)
            return (end - (try m.rangeExpression.map(milliseconds) ?? m.range.milliseconds), end)
        case .subquery(let s):
            let end = try referenceTime(t, at: s.at, offset: s.offset, offsetExpression: s.offsetExpression)
            return (end - (try s.rangeExpression.map(milliseconds) ?? s.range.milliseconds), end)
        default:
            throw PromQLEvaluationError.execution("expected a range vector argument")
        }
    }

    /// Labels of `absent(...)`'s result: the selector's equality matchers
    /// (a label matched twice is dropped, as upstream).
    static func absentLabels(_ argument: PromQLExpression) -> PromQLLabels {
        let matchers: [PromQLLabelMatcher]
        switch argument {
        case .vectorSelector(let v): matchers = v.matchers
        case .matrixSelector(let m): matchers = m.selector.matchers
        default: return .empty
        }
        var labels: [String: String] = [:]
        var seen = Set<String>()
        for matcher in matchers where matcher.name != PromQLLabelMatcher.metricNameLabel {
            if matcher.op == .equal && !seen.contains(matcher.name) {
                labels[matcher.name] = matcher.value
                seen.insert(matcher.name)
            } else {
                labels[matcher.name] = nil
            }
        }
        return PromQLLabels(dictionary: labels)
    }

    /// Element-wise float functions.
    static let elementwise: [String: @Sendable (Double) -> Double] = [
        "abs": { Swift.abs($0) }, "ceil": { ceil($0) }, "floor": { floor($0) }, "exp": { exp($0) },
        "sqrt": { sqrt($0) }, "ln": { log($0) }, "log2": { log2($0) }, "log10": { log10($0) },
        "sgn": { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) },
        "deg": { $0 * 180 / Double.pi }, "rad": { $0 * Double.pi / 180 },
        "sin": { sin($0) }, "cos": { cos($0) }, "tan": { tan($0) },
        "asin": { asin($0) }, "acos": { acos($0) }, "atan": { atan($0) },
        "sinh": { sinh($0) }, "cosh": { cosh($0) }, "tanh": { tanh($0) },
        "asinh": { asinh($0) }, "acosh": { acosh($0) }, "atanh": { atanh($0) },
    ]

    /// Go's `math.Min`/`math.Max`: NaN wins.
    static func goMin(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }
    static func goMax(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }

    /// Go's `%f` (six decimals), used in a few upstream error texts.
    static func goFixed(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let scaled = (Swift.abs(value) * 1_000_000).rounded()
        let whole = Int64(scaled / 1_000_000)
        let fraction = Int64(scaled) % 1_000_000
        let digits = String(fraction)
        return (value < 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: 6 - digits.count) + digits
    }
}
