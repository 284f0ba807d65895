import KansokuModel

/// Evaluates parsed PromQL against a ``PromQLSeriesSource`` with
/// Prometheus 3.x semantics (left-open windows, 5m lookback, staleness,
/// delayed `__name__` removal).
///
/// ```swift
/// let engine = PromQLEngine(source: store)
/// let value = try engine.instantQuery(PromQLParser.parse("sum(rate(x[5m]))"), at: 600_000)
/// ```
public struct PromQLEngine: Sendable {
    /// Evaluation settings.
    public struct Options: Sendable, Hashable {
        /// How far back an instant selector looks for a sample, in ms.
        public var lookbackDelta: Int64
        /// Step of a subquery written without one (`x[5m:]`), in ms.
        /// Prometheus uses the rule evaluation interval, 1m by default.
        public var defaultSubqueryStep: Int64
        /// When evaluation gives up with a `.timeout` error; nil for never.
        public var deadline: ContinuousClock.Instant?

        /// Creates options with Prometheus's defaults.
        public init(lookbackDelta: Int64 = 300_000, defaultSubqueryStep: Int64 = 60_000, deadline: ContinuousClock.Instant? = nil) {
            self.lookbackDelta = lookbackDelta
            self.defaultSubqueryStep = defaultSubqueryStep
            self.deadline = deadline
        }
    }

    /// Where series come from.
    public var source: any PromQLSeriesSource
    /// Evaluation settings.
    public var options: Options

    /// Creates an engine over `source`.
    public init(source: any PromQLSeriesSource, options: Options = Options()) {
        self.source = source
        self.options = options
    }

    /// Evaluates `expression` at `time` (ms). Vector results are returned
    /// in evaluation order (sorted only when the query sorts).
    public func instantQuery(_ expression: PromQLExpression, at time: Int64) throws(PromQLEvaluationError) -> PromQLValue {
        let evaluator = PromQLEvaluator(source: source, options: options, start: time, end: time, step: 0, expression: expression)
        return try wrap {
            switch try evaluator.evaluate(expression, at: time) {
            case .scalar(let v): return .scalar(v)
            case .string(let s): return .string(s)
            case .vector(let elements): return .vector(try PromQLEvaluator.finish(elements, at: time))
            case .matrix(let series): return .matrix(try PromQLEvaluator.finish(series))
            }
        }
    }

    /// Evaluates `expression` at every `step` from `start` to `end`
    /// (inclusive, ms) and returns the series sorted by label set.
    public func rangeQuery(_ expression: PromQLExpression, start: Int64, end: Int64, step: Int64) throws(PromQLEvaluationError) -> [PromQLSeries] {
        guard step > 0 else { throw .execution("zero or negative query resolution step widths are not accepted. Try a positive integer") }
        guard end >= start else { throw .execution("end timestamp must not be before start time") }
        let evaluator = PromQLEvaluator(source: source, options: options, start: start, end: end, step: step, expression: expression)
        return try wrap {
            guard expression.type == .instantVector || expression.type == .scalar else {
                throw PromQLEvaluationError.execution("invalid expression type \(PromQLStringLiteral.quote(expression.type.description)) for range query, must be Scalar or instant Vector")
            }
            var byLabels: [PromQLLabels: Int] = [:]
            var droppedNames: [PromQLLabels: PromQLLabels] = [:]
            var result: [PromQLSeries] = []
            // The previous step's series in order and their rows: most steps
            // yield the same series in the same order, which then need no
            // name dropping, duplicate check or row lookup.
            var previous: (elements: [PromQLElement], rows: [Int]) = ([], [])
            func add(_ value: Double, _ histogram: NativeHistogram?, row: Int, at t: Int64) {
                if let histogram {
                    result[row].histograms.append(PromQLHistogramSample(timestamp: t, histogram: histogram))
                } else {
                    result[row].samples.append(PromQLSample(timestamp: t, value: value))
                }
            }
            var t = start
            while t <= end {
                if let deadline = options.deadline, ContinuousClock.now >= deadline {
                    throw PromQLEvaluationError(.timeout, "query timed out in expression evaluation")
                }
                let elements: [PromQLVectorSample]
                switch try evaluator.evaluate(expression, at: t) {
                case .scalar(let v): elements = [PromQLVectorSample(labels: .empty, value: v, timestamp: t)]
                case .vector(let v):
                    if Self.sameSeries(v, previous.elements) {
                        for (element, row) in zip(v, previous.rows) { add(element.value, element.histogram, row: row, at: t) }
                        t += step
                        continue
                    }
                    elements = try PromQLEvaluator.finish(v, at: t, droppedNames: &droppedNames)
                    previous.elements = v
                default: throw PromQLEvaluationError.execution("range query evaluated to an unexpected value type")
                }
                previous.rows.removeAll(keepingCapacity: true)
                for element in elements {
                    let index: Int
                    if let known = byLabels[element.labels] {
                        index = known
                    } else {
                        index = result.count
                        byLabels[element.labels] = index
                        result.append(PromQLSeries(labels: element.labels, samples: []))
                    }
                    previous.rows.append(index)
                    add(element.value, element.histogram, row: index, at: t)
                }
                t += step
            }
            return result.sorted { $0.labels < $1.labels }
        }
    }

    /// Whether a step's elements are the previous step's series, in order,
    /// with the same name dropping (so they passed the duplicate check).
    private static func sameSeries(_ a: [PromQLElement], _ b: [PromQLElement]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return false }
        for (x, y) in zip(a, b) where x.dropName != y.dropName || !x.labels.sharesStorage(with: y.labels) { return false }
        return true
    }

    /// Funnels every error into ``PromQLEvaluationError`` at the API edge;
    /// inside, the evaluator uses untyped `throws` so closures stay simple.
    private func wrap<T>(_ body: () throws -> T) throws(PromQLEvaluationError) -> T {
        do {
            return try body()
        } catch let error as PromQLEvaluationError {
            throw error
        } catch {
            throw PromQLEvaluationError(.storage, "\(error)")
        }
    }
}

extension PromQLEvaluator {
    /// Drops names marked for removal and rejects duplicate label sets,
    /// as Prometheus's `cleanupMetricLabels` does at the end of a query.
    static func finish(_ elements: [PromQLElement], at time: Int64) throws -> [PromQLVectorSample] {
        var unused: [PromQLLabels: PromQLLabels] = [:]
        return try finish(elements, at: time, droppedNames: &unused)
    }

    /// ``finish(_:at:)`` for one step of a range query. `droppedNames`
    /// remembers each series' label set without its name across steps, so the
    /// copy is made once per series rather than once per step.
    static func finish(_ elements: [PromQLElement], at time: Int64,
                       droppedNames: inout [PromQLLabels: PromQLLabels]) throws -> [PromQLVectorSample] {
        var seen = Set<PromQLLabels>(minimumCapacity: elements.count)
        return try elements.map { element in
            var labels = element.labels
            if element.dropName {
                if let dropped = droppedNames[labels] {
                    labels = dropped
                } else {
                    labels = element.labels.droppingMetadata
                    droppedNames[element.labels] = labels
                }
            }
            guard seen.insert(labels).inserted else {
                throw PromQLEvaluationError.execution("vector cannot contain metrics with the same labelset")
            }
            return PromQLVectorSample(labels: labels, value: element.value, timestamp: time, histogram: element.histogram)
        }
    }

    /// The matrix form of ``finish(_:at:)``: series that collide after the
    /// name is dropped are merged when their samples do not overlap.
    static func finish(_ series: [PromQLRangeSeries]) throws -> [PromQLSeries] {
        var byLabels: [PromQLLabels: Int] = [:]
        var result: [PromQLSeries] = []
        for s in series where !s.samples.isEmpty || !s.histograms.isEmpty {
            let labels = s.dropName ? s.labels.droppingMetadata : s.labels
            if let index = byLabels[labels] {
                let existing = Set(result[index].samples.map(\.timestamp) + result[index].histograms.map(\.timestamp))
                guard !s.samples.contains(where: { existing.contains($0.timestamp) }),
                      !s.histograms.contains(where: { existing.contains($0.timestamp) }) else {
                    throw PromQLEvaluationError.execution("vector cannot contain metrics with the same labelset")
                }
                result[index].samples = (result[index].samples + s.samples).sorted { $0.timestamp < $1.timestamp }
                result[index].histograms = (result[index].histograms + s.histograms).sorted { $0.timestamp < $1.timestamp }
            } else {
                byLabels[labels] = result.count
                result.append(PromQLSeries(labels: labels, samples: s.samples, histograms: s.histograms))
            }
        }
        return result
    }
}
