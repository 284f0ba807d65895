import KansokuModel

/// Runs an upstream Prometheus PromQL `.test` script against
/// ``PromQLEngine`` over an ``InMemoryPromQLSeriesSource`` and reports each
/// `eval` as passed, failed or unsupported.
///
/// Results are compared as the upstream runner does: label sets must match
/// exactly, floats within a relative 1e-6 (``PromQLFloatComparison``), order
/// only for `expect ordered`. Every passing instant eval is re-run as a range
/// query from t-1m to t+1m whose middle step must agree, as upstream.
/// Annotations (`expect warn`/`info`) are not checked yet, and the extra
/// `@`-pinned re-runs upstream performs are not done.
///
/// Start timestamps (`…@st` lines) cannot be stored, so those load lines
/// are skipped; an eval whose selectors match a skipped series and does not
/// pass is reported as unsupported, not failed.
public struct PromQLTestScriptRunner: Sendable {
    /// What happened to one eval.
    public enum Status: Sendable, Hashable {
        case passed
        case failed(String)
        case unsupported(String)
    }

    /// One eval's outcome.
    public struct Outcome: Sendable, Hashable {
        /// 1-based line of the `eval` command.
        public var line: Int
        /// The query text.
        public var expression: String
        public var status: Status
        /// The script also expects (or forbids) annotations, which are not checked yet.
        public var annotationsUnchecked: Bool
    }

    /// The outcomes of one script.
    public struct Report: Sendable {
        public var name: String
        public var outcomes: [Outcome]
        public var passed: Int { outcomes.filter { $0.status == .passed }.count }
        public var failed: Int { outcomes.filter { if case .failed = $0.status { true } else { false } }.count }
        public var unsupported: Int { outcomes.filter { if case .unsupported = $0.status { true } else { false } }.count }
        /// Passed evals whose annotation expectations were not checked.
        public var passedWithUncheckedAnnotations: Int { outcomes.filter { $0.status == .passed && $0.annotationsUnchecked }.count }
        /// The first failed eval, formatted for a log.
        public var firstFailure: String? {
            for outcome in outcomes {
                if case .failed(let why) = outcome.status { return "line \(outcome.line): \(outcome.expression)\n    \(why)" }
            }
            return nil
        }
    }

    /// Engine settings; the defaults match the upstream test runner.
    public var options: PromQLEngine.Options

    /// Creates a runner.
    public init(options: PromQLEngine.Options = PromQLEngine.Options()) {
        self.options = options
    }

    /// Runs a whole script.
    public func run(script: String, name: String) -> Report {
        var store = InMemoryPromQLSeriesSource()
        var skipped: [SkippedSeries] = []
        var outcomes: [Outcome] = []
        for command in PromQLTestScriptParser.parse(script) {
            switch command {
            case .clear:
                store.removeAll()
                skipped.removeAll()
            case .load(let load):
                PromQLTestScriptRunner.load(load, into: &store, skipped: &skipped)
            case .eval(let eval):
                let engine = PromQLEngine(source: store, options: options)
                var status = PromQLTestScriptRunner.check(eval, engine: engine)
                if case .failed(let why) = status, let reason = PromQLTestScriptRunner.skippedDependency(eval.expression, skipped) {
                    status = .unsupported("reads \(reason) (\(why))")
                }
                outcomes.append(Outcome(line: eval.line, expression: eval.expression, status: status,
                                        annotationsUnchecked: eval.expectsAnnotations))
            }
        }
        return Report(name: name, outcomes: outcomes)
    }

    // MARK: Loading

    /// A series the store could not hold, and why.
    struct SkippedSeries {
        var labels: PromQLLabels
        var reason: String
    }

    static func load(_ load: PromQLTestScriptLoad, into store: inout InMemoryPromQLSeriesSource, skipped: inout [SkippedSeries]) {
        var classic: [(PromQLLabels, [PromQLTestScriptValue?])] = []
        for (_, text) in load.series {
            let (labelText, valueText) = PromQLTestScriptValues.splitSeriesLine(text)
            // Start-timestamp lines (`name{…}@st <offsets>`, `name@st <offsets>`)
            // are not modelled yet.
            let startTimestamps = valueText.hasPrefix("@st") || labelText.hasSuffix("@st")
            guard let labels = PromQLTestScriptValues.parseLabels(labelText.hasSuffix("@st") ? String(labelText.dropLast(3)) : labelText) else { continue }
            if startTimestamps {
                skipped.append(SkippedSeries(labels: labels, reason: "start timestamps"))
                continue
            }
            guard let values = PromQLTestScriptValues.expand(valueText) else { continue }
            add(labels, values, interval: load.interval, to: &store)
            if load.withNativeHistogramConversion { classic.append((labels, values)) }
        }
        for (labels, values) in PromQLTestScriptClassicConversion.convert(classic) {
            add(labels, values, interval: load.interval, to: &store)
        }
    }

    /// Stores one series' values. Histograms get the counter-reset hints
    /// Prometheus's TSDB gives them when read back: the first of a run
    /// `unknown` (or `reset` when stated), later ones `reset` or
    /// `not_reset` by comparison with the previous one, gauges `gauge`.
    private static func add(_ labels: PromQLLabels, _ values: [PromQLTestScriptValue?], interval: Int64,
                            to store: inout InMemoryPromQLSeriesSource) {
        var previous: NativeHistogram?
        for (i, value) in values.enumerated() {
            let t = Int64(i) * interval
            switch value {
            case .float(let v)?:
                store.add(labels, PromQLSample(timestamp: t, value: v))
                previous = nil
            case .histogram(var h)?:
                if h.counterResetHint != .gauge {
                    if let previous {
                        h.counterResetHint = h.counterResetHint == .counterReset || h.detectsReset(after: previous) ? .counterReset : .notCounterReset
                    } else if h.counterResetHint != .counterReset {
                        h.counterResetHint = .unknown
                    }
                }
                store.add(labels, PromQLHistogramSample(timestamp: t, histogram: h))
                previous = h
            case nil:
                break
            }
        }
    }

    /// Why the query cannot be answered fully, if a selector in it could
    /// read a skipped series.
    static func skippedDependency(_ query: String, _ skipped: [SkippedSeries]) -> String? {
        guard !skipped.isEmpty, let expression = try? PromQLParser.parse(query) else { return nil }
        for selector in expression.vectorSelectors {
            guard let matchers = try? selector.matchers.map(PromQLCompiledMatcher.init) else { continue }
            if let hit = skipped.first(where: { PromQLCompiledMatcher.matchAll(matchers, $0.labels) }) { return hit.reason }
        }
        return nil
    }

    // MARK: Checking

    static func check(_ eval: PromQLTestScriptEval, engine: PromQLEngine) -> Status {
        if let malformed = eval.malformed { return .unsupported(malformed) }
        let expression: PromQLExpression
        do {
            expression = try PromQLParser.parse(eval.expression)
        } catch {
            return eval.expectsFailure ? checkFailure(error.description, eval) : .failed("unexpected parse error: \(error)")
        }
        do {
            switch eval.mode {
            case .instant(let at):
                // As upstream: the query as written, then (unless it uses
                // time-dependent functions) with every selector pinned by
                // `@ <eval time>` and run at other times.
                var variants = [(expression, at)]
                if let pinned = PromQLTestScriptAtVariants.pinned(expression, at: at) {
                    let times: [Int64] = at == 0 ? [-1000, 0, 1000] : [-10 * at, 0, at / 5, at, 10 * at]
                    variants += times.map { (pinned, $0) }
                }
                for (variant, time) in variants {
                    let status = try checkInstant(variant, at: time, eval, engine: engine)
                    if status != .passed { return status }
                }
                return .passed
            case .range(let start, let end, let step):
                let series = try engine.rangeQuery(expression, start: start, end: end, step: step)
                if eval.expectsFailure { return .failed("expected an error, got a result") }
                if let problem = PromQLTestScriptComparison.compareMatrix(series, eval.expected, start: start, end: end, step: step) {
                    return .failed(problem)
                }
                return .passed
            }
        } catch {
            if error.kind == .unsupported { return .unsupported(error.message) }
            return eval.expectsFailure ? checkFailure(error.message, eval) : .failed("unexpected error: \(error.message)")
        }
    }

    private static func checkInstant(_ expression: PromQLExpression, at time: Int64, _ eval: PromQLTestScriptEval,
                                     engine: PromQLEngine) throws(PromQLEvaluationError) -> Status {
        let value: PromQLValue
        do {
            value = try engine.instantQuery(expression, at: time)
        } catch {
            if error.kind == .unsupported { return .unsupported(error.message) }
            return eval.expectsFailure ? checkFailure(error.message, eval) : .failed("unexpected error: \(error.message)")
        }
        if eval.expectsFailure { return .failed("expected an error, got a result") }
        if let problem = PromQLTestScriptComparison.compareInstant(value, eval) {
            return .failed(time == evalTime(eval) ? problem : "at \(time)ms with @ pinned: \(problem)")
        }
        return rangeModeCheck(expression, at: time, value: value, eval, engine: engine)
    }

    private static func evalTime(_ eval: PromQLTestScriptEval) -> Int64? {
        if case .instant(let at) = eval.mode { return at }
        return nil
    }

    /// Upstream re-runs instant queries as a range query over t±1m and
    /// compares the middle step with the expected result.
    private static func rangeModeCheck(_ expression: PromQLExpression, at t: Int64, value: PromQLValue,
                                       _ eval: PromQLTestScriptEval, engine: PromQLEngine) -> Status {
        if eval.ordered || eval.rangeVector != nil || eval.expectedString != nil { return .passed }
        if case .matrix = value { return .passed }
        if case .string = value { return .passed }
        for context in ["start()", "end()", "range()", "step()"] where eval.expression.contains(context) { return .passed }
        do {
            let series = try engine.rangeQuery(expression, start: t - 60_000, end: t + 60_000, step: 60_000)
            var middle: [PromQLVectorSample] = []
            for s in series {
                if let sample = s.samples.first(where: { $0.timestamp == t }) {
                    middle.append(PromQLVectorSample(labels: s.labels, value: sample.value, timestamp: t))
                } else if let sample = s.histograms.first(where: { $0.timestamp == t }) {
                    middle.append(PromQLVectorSample(labels: s.labels, value: 0, timestamp: t, histogram: sample.histogram))
                }
            }
            let rebuilt: PromQLValue
            if case .scalar = value { rebuilt = middle.first.map { .scalar($0.value) } ?? .vector([]) } else { rebuilt = .vector(middle) }
            if let problem = PromQLTestScriptComparison.compareInstant(rebuilt, eval) { return .failed("range mode: \(problem)") }
            return .passed
        } catch {
            if error.kind == .unsupported { return .unsupported(error.message) }
            return .failed("range mode: unexpected error: \(error.message)")
        }
    }

    private static func checkFailure(_ message: String, _ eval: PromQLTestScriptEval) -> Status {
        if let expected = eval.failMessage, expected != message {
            return .failed("expected error \(PromQLStringLiteral.quote(expected)), got \(PromQLStringLiteral.quote(message))")
        }
        if let pattern = eval.failRegex {
            guard let regex = try? Regex(pattern) else { return .unsupported("unreadable regexp \(pattern)") }
            if (try? regex.firstMatch(in: message)) == nil {
                return .failed("expected error matching \(pattern), got \(PromQLStringLiteral.quote(message))")
            }
        }
        return .passed
    }
}
