/// Evaluates parsed LogQL against a `LogQLSource`.
///
/// ```swift
/// let engine = LogQLEngine(source: store)
/// let logs = try engine.select(LogQLParser.parseLogQuery(q), start: s, end: e, direction: .backward, limit: 100)
/// let now = try engine.instantQuery(LogQLParser.parseMetricQuery(m), at: t)
/// let graph = try engine.rangeQuery(LogQLParser.parseMetricQuery(m), start: s, end: e, step: 60_000_000_000)
/// ```
/// All times are nanoseconds since the epoch.
public struct LogQLEngine: Sendable {
    /// Where streams come from.
    public let source: any LogQLSource

    public init(source: any LogQLSource) { self.source = source }

    /// Runs any query like Loki's `query_range`: a log query returns
    /// `.streams`; a metric query returns `.matrix` (or, when
    /// `start == end`, the instant result).
    public func evaluate(_ expr: LogQLExpr, start: Int64, end: Int64, step: Int64,
                         direction: LogQLDirection = .backward, limit: Int = 100) throws(LogQLEvaluationError) -> LogQLValue {
        switch expr {
        case .log(let query):
            return .streams(try select(query, start: start, end: end, direction: direction, limit: limit))
        case .metric(let metric):
            if start == end { return try instantQuery(metric, at: start) }
            return try rangeQuery(metric, start: start, end: end, step: step)
        }
    }

    /// A log query over `[start, end)`.
    ///
    /// Output streams are keyed by the labels after the pipeline and sorted
    /// by label set; entries carry the processed line. Across all streams
    /// the first `limit` entries in `direction` order are kept (the oldest
    /// for `.forward`, the newest for `.backward`); `limit <= 0` means no
    /// limit. Entries in each stream follow `direction`. Ties on timestamp
    /// are broken by label set, then by stored order.
    ///
    /// Stored runs are read in `direction` order and only while they can
    /// still hold one of the first `limit` entries, so a query for the
    /// newest lines reads little more than the newest runs.
    public func select(_ query: LogQLLogQuery, start: Int64, end: Int64, direction: LogQLDirection = .backward,
                       limit: Int = 100) throws(LogQLEvaluationError) -> [LogQLStream] {
        let pipeline = try LogQLPipeline(query.pipeline)
        let runs = try self.runs(query.selector, start: start, end: end, hints: LogQLQueryHints(pipeline: query.pipeline))
        let forward = direction == .forward
        let ordered = runs.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if forward, x.minTime != y.minTime { return x.minTime < y.minTime }
            if !forward, x.maxTime != y.maxTime { return x.maxTime > y.maxTime }
            return a.offset < b.offset
        }
        var selection = LogQLEntrySelection(direction: direction, limit: limit)
        for (runIndex, run) in ordered {
            guard selection.admits(runFrom: run.minTime, to: run.maxTime) else { break }
            let entries = try read(run)
            let stream = pipeline.base(run.labels)
            for index in forward ? Array(entries.indices) : entries.indices.reversed() {
                let entry = entries[index]
                guard selection.admits(entry.timestamp) else { break }
                guard let (line, labels) = pipeline.process(entry, stream: stream) else { continue }
                var out = entry
                out.line = line
                selection.insert(.init(labels: labels.labels, entry: out, stream: run.labels,
                                       position: (run.minTime, runIndex, index)))
            }
        }
        var grouped: [LogQLLabels: [LogQLEntry]] = [:]
        for row in selection.rows() { grouped[row.labels, default: []].append(row.entry) }
        return grouped.map { LogQLStream(labels: $0.key, entries: $0.value) }.sorted { $0.labels < $1.labels }
    }

    /// A metric query at one time: `.vector` (or `.scalar` for scalar
    /// expressions). Samples are sorted by labels, except under a top-level
    /// `sort`/`sort_desc`.
    public func instantQuery(_ expr: LogQLMetricExpr, at time: Int64) throws(LogQLEvaluationError) -> LogQLValue {
        var evaluator = try LogQLMetricEvaluator(engine: self, expr: expr, start: time, end: time, step: 1)
        switch try evaluator.evaluate(expr, at: time) {
        case .scalar(let value): return .scalar(value)
        case .vector(let samples):
            if case .vectorAggregation(let agg) = expr, agg.operation == .sort || agg.operation == .sortDesc {
                return .vector(samples)
            }
            return .vector(samples.sorted { $0.labels < $1.labels })
        }
    }

    /// A metric query at `start, start + step, …, ≤ end`; each step's range
    /// windows are `(t - range - offset, t - offset]`. Series are sorted by
    /// labels and only have points at steps where they had a value.
    public func rangeQuery(_ expr: LogQLMetricExpr, start: Int64, end: Int64,
                           step: Int64) throws(LogQLEvaluationError) -> LogQLValue {
        guard step > 0 else { throw .invalidStep }
        var evaluator = try LogQLMetricEvaluator(engine: self, expr: expr, start: start, end: end, step: step)
        var series: [LogQLLabels: [LogQLPoint]] = [:]
        var t = start
        while t <= end {
            switch try evaluator.evaluate(expr, at: t) {
            case .scalar(let value): series[LogQLLabels(), default: []].append(LogQLPoint(timestamp: t, value: value))
            case .vector(let samples):
                for sample in samples {
                    series[sample.labels, default: []].append(LogQLPoint(timestamp: t, value: sample.value))
                }
            }
            t += step
        }
        return .matrix(series.map { LogQLSeries(labels: $0.key, points: $0.value) }.sorted { $0.labels < $1.labels })
    }

    func fetch(_ selector: LogQLStreamSelector, start: Int64, end: Int64,
               hints: LogQLQueryHints = .none) throws(LogQLEvaluationError) -> [LogQLStream] {
        do {
            return try source.select(selector, start: start, end: end, hints: hints)
        } catch {
            throw Self.sourceError(error)
        }
    }

    /// The source's runs of the selected streams in `[start, end)`.
    func runs(_ selector: LogQLStreamSelector, start: Int64, end: Int64,
              hints: LogQLQueryHints = .none) throws(LogQLEvaluationError) -> [LogQLStreamRun] {
        do {
            return try source.runs(selector, start: start, end: end, hints: hints)
        } catch {
            throw Self.sourceError(error)
        }
    }

    /// The entries of `run`.
    func read(_ run: LogQLStreamRun) throws(LogQLEvaluationError) -> [LogQLEntry] {
        do {
            return try run.entries()
        } catch {
            throw Self.sourceError(error)
        }
    }

    private static func sourceError(_ error: any Error) -> LogQLEvaluationError {
        (error as? LogQLEvaluationError) ?? .source(String(describing: error))
    }
}
