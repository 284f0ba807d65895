import KansokuRegex

/// Evaluates one query: walks the AST at a single evaluation time and
/// returns an intermediate value. Range queries call it once per step.
///
/// Evaluating step by step (instead of Prometheus's all-steps-at-once
/// matrices) keeps every construct simple; selected series are cached for the
/// whole query so repeated steps do not go back to the source.
final class PromQLEvaluator {
    let source: any PromQLSeriesSource
    let options: PromQLEngine.Options
    /// The query's start, end and step (ms); `@ start()`/`end()` and the
    /// `step()`/`range()` duration functions refer to them.
    let queryStart: Int64, queryEnd: Int64, queryStep: Int64
    /// Series per matcher list, fetched once per query.
    private var selectionCache: [[PromQLLabelMatcher]: [PromQLSeries]] = [:]
    /// Compiled regexes for `label_replace` and friends.
    var regexCache: [String: AnchoredRegex] = [:]
    /// Per aggregation, how its input is grouped (range queries need it at every step).
    var groupings: [PromQLAggregation: PromQLGrouping] = [:]
    /// Range functions evaluated for all steps of a range query (nil: not possible for that call).
    var stepValuesCache: [PromQLStepValuesKey: PromQLStepValues?] = [:]

    /// The span of sample times the query can read; selections ask only for it.
    let selectionWindow: (start: Int64, end: Int64)

    init(source: any PromQLSeriesSource, options: PromQLEngine.Options, start: Int64, end: Int64, step: Int64,
         expression: PromQLExpression) {
        self.source = source
        self.options = options
        queryStart = start
        queryEnd = end
        queryStep = step
        selectionWindow = PromQLSelectionWindow.window(of: expression, start: start, end: end, lookbackDelta: options.lookbackDelta,
                                                       defaultSubqueryStep: options.defaultSubqueryStep)
    }

    // MARK: Dispatch

    func evaluate(_ expression: PromQLExpression, at t: Int64) throws -> PromQLIntermediate {
        switch expression {
        case .number(let v, _): return .scalar(v)
        case .string(let s): return .string(s)
        case .parentheses(let inner): return try evaluate(inner, at: t)
        case .vectorSelector(let selector): return .vector(try instantSelect(selector, at: t))
        case .matrixSelector(let selector): return .matrix(try rangeSelect(selector, at: t))
        case .subquery(let subquery): return .matrix(try evaluateSubquery(subquery, at: t))
        case .unary(let op, let operand):
            let value = try evaluate(operand, at: t)
            guard op == .minus else { return value }
            switch value {
            case .scalar(let v): return .scalar(-v)
            case .vector(let elements):
                return .vector(elements.map { Self.negated($0, at: t) })
            default: throw PromQLEvaluationError.execution("unary minus applied to a non-numeric value")
            }
        case .binary(let binary): return try evaluateBinary(binary, at: t)
        case .aggregation(let aggregation): return .vector(try evaluateAggregation(aggregation, at: t))
        case .call(let call): return try evaluateCall(call, at: t)
        }
    }

    /// Evaluates an expression that must yield an instant vector.
    func vector(_ expression: PromQLExpression, at t: Int64) throws -> [PromQLElement] {
        switch try evaluate(expression, at: t) {
        case .vector(let v): return v
        case .scalar(let v): return [PromQLElement(labels: .empty, value: v, timestamp: t)]
        default: throw PromQLEvaluationError.execution("expected an instant vector")
        }
    }

    /// Evaluates an expression that must yield a scalar.
    func scalar(_ expression: PromQLExpression, at t: Int64) throws -> Double {
        guard case .scalar(let v) = try evaluate(expression, at: t) else {
            throw PromQLEvaluationError.execution("expected a scalar")
        }
        return v
    }

    /// Evaluates an expression that must yield a range vector.
    func matrix(_ expression: PromQLExpression, at t: Int64) throws -> [PromQLRangeSeries] {
        guard case .matrix(let m) = try evaluate(expression, at: t) else {
            throw PromQLEvaluationError.execution("expected a range vector")
        }
        return m
    }

    /// Evaluates a string argument.
    func string(_ expression: PromQLExpression, at t: Int64) throws -> String {
        guard case .string(let s) = try evaluate(expression, at: t) else {
            throw PromQLEvaluationError.execution("expected a string")
        }
        return s
    }

    // MARK: Time modifiers

    /// A duration expression's value in ms, with this query's step and range.
    func milliseconds(_ expression: PromQLDurationExpression) throws -> Int64 {
        guard let seconds = expression.evaluate(step: Double(queryStep) / 1000, range: Double(queryEnd - queryStart) / 1000),
              seconds.isFinite else {
            throw PromQLEvaluationError.execution("invalid duration expression \(expression)")
        }
        return Int64((seconds * 1000).rounded())
    }

    /// The time a selector or subquery reads at: `@` replaces the
    /// evaluation time, then the offset moves it back.
    func referenceTime(_ t: Int64, at: PromQLAtModifier?, offset: PromQLDuration?, offsetExpression: PromQLDurationExpression?) throws -> Int64 {
        var base = t
        switch at {
        case .timestamp(let ms): base = ms
        case .start: base = queryStart
        case .end: base = queryEnd
        case nil: break
        }
        if let offset { base -= offset.milliseconds }
        if let offsetExpression { base -= try milliseconds(offsetExpression) }
        return base
    }

    // MARK: Selectors

    /// All samples of the series matching `matchers`, fetched once per query.
    func series(matching matchers: [PromQLLabelMatcher]) throws -> [PromQLSeries] {
        if let cached = selectionCache[matchers] { return cached }
        let selected = try source.select(matchers: matchers, start: selectionWindow.start, end: selectionWindow.end)
        selectionCache[matchers] = selected
        return selected
    }

    /// An instant selector: per series, the newest sample in the left-open
    /// lookback window `(ref - lookback, ref]`, unless it is a staleness marker.
    func instantSelect(_ selector: PromQLVectorSelector, at t: Int64) throws -> [PromQLElement] {
        if selector.rangeModifier == .smoothed { return try smoothedSelect(selector, at: t) }
        let ref = try referenceTime(t, at: selector.at, offset: selector.offset, offsetExpression: selector.offsetExpression)
        var result: [PromQLElement] = []
        for s in try series(matching: selector.matchers) {
            let index = s.samples.partitionIndex { $0.timestamp > ref } - 1
            if !s.histograms.isEmpty {
                // The newer of the latest float and the latest histogram.
                let h = s.histograms.partitionIndex { $0.timestamp > ref } - 1
                if h >= 0, index < 0 || s.histograms[h].timestamp > s.samples[index].timestamp {
                    let sample = s.histograms[h]
                    guard sample.timestamp > ref - options.lookbackDelta else { continue }
                    result.append(PromQLElement(labels: s.labels, histogram: sample.histogram, timestamp: sample.timestamp))
                    continue
                }
            }
            guard index >= 0 else { continue }
            let sample = s.samples[index]
            guard sample.timestamp > ref - options.lookbackDelta, !PromQLStaleness.isMarker(sample.value) else { continue }
            result.append(PromQLElement(labels: s.labels, value: sample.value, timestamp: sample.timestamp))
        }
        return result
    }

    /// A range selector: per series, the samples in `(ref - range, ref]`
    /// without staleness markers; series with no samples are left out.
    func rangeSelect(_ selector: PromQLMatrixSelector, at t: Int64) throws -> [PromQLRangeSeries] {
        if selector.selector.rangeModifier != nil { return try extendedMatrix(selector, at: t) }
        let inner = selector.selector
        let ref = try referenceTime(t, at: inner.at, offset: inner.offset, offsetExpression: inner.offsetExpression)
        let range = try selector.rangeExpression.map(milliseconds) ?? selector.range.milliseconds
        var result: [PromQLRangeSeries] = []
        for s in try series(matching: inner.matchers) {
            let lower = s.samples.partitionIndex { $0.timestamp > ref - range }
            let upper = s.samples.partitionIndex { $0.timestamp > ref }
            let samples = s.samples[lower..<upper].filter { !PromQLStaleness.isMarker($0.value) }
            let histograms = s.histograms.isEmpty ? [] : Array(Self.window(s.histograms, after: ref - range, through: ref))
            guard !samples.isEmpty || !histograms.isEmpty else { continue }
            result.append(PromQLRangeSeries(labels: s.labels, samples: samples, histograms: histograms))
        }
        return result
    }

    /// A subquery: the inner expression evaluated at every multiple of the
    /// step inside `(ref - range, ref]` (steps are aligned to the epoch, as
    /// upstream, so results do not depend on the evaluation time's phase).
    func evaluateSubquery(_ subquery: PromQLSubquery, at t: Int64) throws -> [PromQLRangeSeries] {
        let ref = try referenceTime(t, at: subquery.at, offset: subquery.offset, offsetExpression: subquery.offsetExpression)
        let range = try subquery.rangeExpression.map(milliseconds) ?? subquery.range.milliseconds
        var step = try subquery.stepExpression.map(milliseconds) ?? subquery.step?.milliseconds ?? options.defaultSubqueryStep
        if step <= 0 { step = options.defaultSubqueryStep }
        let windowStart = ref - range
        // Go's integer division truncates toward zero; so does Swift's.
        var first = step * (windowStart / step)
        if first <= windowStart { first += step }
        var byLabels: [PromQLLabels: Int] = [:]
        var result: [PromQLRangeSeries] = []
        var time = first
        while time <= ref {
            for element in try vector(subquery.expression, at: time) {
                let index: Int
                if let known = byLabels[element.labels] {
                    index = known
                    result[index].dropName = result[index].dropName || element.dropName
                } else {
                    index = result.count
                    byLabels[element.labels] = index
                    result.append(PromQLRangeSeries(labels: element.labels, samples: [], dropName: element.dropName))
                }
                if var histogram = element.histogram {
                    // A subquery may skip samples or repeat one: explicit
                    // reset hints would mislead, so resets are detected
                    // afresh, as upstream.
                    if histogram.counterResetHint != .gauge { histogram.counterResetHint = .unknown }
                    result[index].histograms.append(PromQLHistogramSample(timestamp: time, histogram: histogram))
                } else {
                    result[index].samples.append(PromQLSample(timestamp: time, value: element.value))
                }
            }
            time += step
        }
        return result
    }

    /// The samples of `samples` in `(after, through]`.
    static func window<Sample: PromQLTimestamped>(_ samples: [Sample], after: Int64, through: Int64) -> ArraySlice<Sample> {
        let lower = samples.partitionIndex { $0.timestamp > after }
        let upper = samples.partitionIndex { $0.timestamp > through }
        return lower < upper ? samples[lower..<upper] : []
    }

    /// A cached compiled regex (label_replace patterns are anchored).
    func regex(_ pattern: String) throws -> AnchoredRegex {
        if let cached = regexCache[pattern] { return cached }
        let compiled = try PromQLCompiledMatcher.compile(pattern)
        regexCache[pattern] = compiled
        return compiled
    }
}

