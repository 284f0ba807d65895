import KansokuModel
import KansokuQuery
import KansokuStorage
import NIOPosix

/// What each Prometheus API endpoint does, apart from HTTP: parse the
/// parameters, read the store or run the engine off the event loops, and
/// render Prometheus's JSON.
struct PrometheusQueries: Sendable {
    let metrics: any MetricSeriesStore
    let limits: QueryLimits

    /// Prometheus refuses range queries with more points than this per series.
    static let maxPointsPerSeries: Int64 = 11_000

    static func parse(_ query: String) throws(PrometheusAPIError) -> PromQLExpression {
        do throws(PromQLParseError) {
            return try PromQLParser.parse(query)
        } catch {
            throw .invalidParameter("query", error.description)
        }
    }

    func instant(_ parameters: PrometheusParameters) async throws(PrometheusAPIError) -> [UInt8] {
        let expression = try PrometheusQueries.parse(parameters["query"] ?? "")
        let time = try parameters.time("time", default: PrometheusTimestamp.now())
        let engine = try engine(parameters)
        return try await offloaded { () throws(PrometheusAPIError) -> [UInt8] in
            let value = try PrometheusQueries.evaluate { () throws(PromQLEvaluationError) in try engine.instantQuery(expression, at: time) }
            return PrometheusResponse.success { PrometheusResponse.queryResult(value, at: time, into: &$0) }
        }
    }

    func range(_ parameters: PrometheusParameters) async throws(PrometheusAPIError) -> [UInt8] {
        let expression = try PrometheusQueries.parse(parameters["query"] ?? "")
        let start = try parameters.time("start")
        let end = try parameters.time("end")
        guard end >= start else { throw .invalidParameter("end", "end timestamp must not be before start time") }
        guard let step = try parameters.duration("step") else {
            throw .invalidParameter("step", "cannot parse \"\" to a valid duration")
        }
        guard step > 0 else {
            throw .invalidParameter("step", "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        guard (end - start) / step <= PrometheusQueries.maxPointsPerSeries else {
            throw PrometheusAPIError(.badData, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let engine = try engine(parameters)
        return try await offloaded { () throws(PrometheusAPIError) -> [UInt8] in
            let series = try PrometheusQueries.evaluate { () throws(PromQLEvaluationError) in
                try engine.rangeQuery(expression, start: start, end: end, step: step)
            }
            return PrometheusResponse.success { json in
                json.beginObject()
                PrometheusResponse.matrix(series, into: &json)
                json.endObject()
            }
        }
    }

    func series(_ parameters: PrometheusParameters) async throws(PrometheusAPIError) -> [UInt8] {
        let selectors = try parameters.selectors(required: true)
        let (start, end) = try bounds(parameters)
        let limit = try self.limit(parameters)
        let metrics = self.metrics
        return try await offloaded { () throws(PrometheusAPIError) -> [UInt8] in
            let found = try PrometheusQueries.reading { try metrics.series(selectors, start: start, end: end) }
            let (kept, warnings) = PrometheusQueries.truncate(found, to: limit)
            return PrometheusResponse.success(warnings: warnings) { json in
                json.beginArray()
                for labels in kept { PrometheusResponse.labels(labels, into: &json) }
                json.endArray()
            }
        }
    }

    func labelNames(_ parameters: PrometheusParameters) async throws(PrometheusAPIError) -> [UInt8] {
        let selectors = try parameters.selectors(required: false)
        let (start, end) = try bounds(parameters)
        let limit = try self.limit(parameters)
        let metrics = self.metrics
        return try await offloaded { () throws(PrometheusAPIError) -> [UInt8] in
            let names = try PrometheusQueries.reading { try metrics.labelNames(selectors, start: start, end: end) }
            let (kept, warnings) = PrometheusQueries.truncate(names, to: limit)
            return PrometheusResponse.success(warnings: warnings) { PrometheusResponse.strings(kept, into: &$0) }
        }
    }

    func labelValues(_ name: String, _ parameters: PrometheusParameters) async throws(PrometheusAPIError) -> [UInt8] {
        guard !name.isEmpty else { throw PrometheusAPIError(.badData, "invalid label name: \"\"") }
        let selectors = try parameters.selectors(required: false)
        let (start, end) = try bounds(parameters)
        let limit = try self.limit(parameters)
        let metrics = self.metrics
        return try await offloaded { () throws(PrometheusAPIError) -> [UInt8] in
            let values = try PrometheusQueries.reading { try metrics.labelValues(name, selectors, start: start, end: end) }
            let (kept, warnings) = PrometheusQueries.truncate(values, to: limit)
            return PrometheusResponse.success(warnings: warnings) { PrometheusResponse.strings(kept, into: &$0) }
        }
    }

    func metadata(_ parameters: PrometheusParameters) throws(PrometheusAPIError) -> [UInt8] {
        var families = metrics.metadata()
        if let metric = parameters["metric"] { families = families.filter { $0.family == metric } }
        let (kept, _) = PrometheusQueries.truncate(families, to: try limit(parameters))
        return PrometheusResponse.success { PrometheusResponse.metadata(kept, into: &$0) }
    }

    func exemplars(_ parameters: PrometheusParameters) async throws(PrometheusAPIError) -> [UInt8] {
        let expression = try PrometheusQueries.parse(parameters["query"] ?? "")
        let (start, end) = try bounds(parameters)
        guard end >= start else { throw .invalidParameter("end", "end timestamp must not be before start time") }
        var matched: [[SeriesMatcher]] = []
        for selector in expression.vectorSelectors { matched.append(try PrometheusParameters.storeMatchers(selector.matchers)) }
        let selectors = matched
        let metrics = self.metrics
        return try await offloaded { () throws(PrometheusAPIError) -> [UInt8] in
            let found = selectors.isEmpty ? [] : try PrometheusQueries.reading { try metrics.exemplars(selectors, start: start, end: end) }
            return PrometheusResponse.success { PrometheusResponse.exemplars(found, into: &$0) }
        }
    }

    // MARK: Helpers

    private func engine(_ parameters: PrometheusParameters) throws(PrometheusAPIError) -> PromQLEngine {
        var queryLimits = limits
        if let timeout = try parameters.duration("timeout"), timeout > 0 {
            queryLimits.timeout = min(queryLimits.timeout, .milliseconds(timeout))
        }
        var options = PromQLEngine.Options()
        if let lookback = try parameters.duration("lookback_delta"), lookback > 0 { options.lookbackDelta = lookback }
        let source = StorePromQLSource(store: metrics, limits: queryLimits)
        options.deadline = source.deadline
        return PromQLEngine(source: source, options: options)
    }

    /// `start`/`end` for the metadata endpoints: both optional, unbounded when absent.
    private func bounds(_ parameters: PrometheusParameters) throws(PrometheusAPIError) -> (Int64, Int64) {
        (try parameters.time("start", default: Int64.min), try parameters.time("end", default: Int64.max))
    }

    private func limit(_ parameters: PrometheusParameters) throws(PrometheusAPIError) -> Int {
        guard let text = parameters["limit"] else { return 0 }
        guard let limit = Int(text), limit >= 0 else { throw .invalidParameter("limit", "cannot parse \"\(text)\" to a valid limit") }
        return limit
    }

    static func truncate<T>(_ items: [T], to limit: Int) -> ([T], [String]) {
        guard limit > 0, items.count > limit else { return (items, []) }
        return (Array(items.prefix(limit)), ["results truncated due to limit"])
    }

    /// Maps engine errors to Prometheus's error types.
    static func evaluate<T>(_ body: () throws(PromQLEvaluationError) -> T) throws(PrometheusAPIError) -> T {
        do throws(PromQLEvaluationError) {
            return try body()
        } catch {
            switch error.kind {
            case .execution, .unsupported: throw PrometheusAPIError(.execution, error.message)
            case .timeout: throw PrometheusAPIError(.timeout, error.message)
            case .storage: throw PrometheusAPIError(.internal, error.message)
            }
        }
    }

    static func reading<T>(_ body: () throws -> T) throws(PrometheusAPIError) -> T {
        do {
            return try body()
        } catch {
            throw PrometheusAPIError(.internal, "\(error)")
        }
    }

    /// Runs blocking reads and evaluation on the thread pool, keeping the typed error.
    private func offloaded(_ body: @escaping @Sendable () throws(PrometheusAPIError) -> [UInt8]) async throws(PrometheusAPIError) -> [UInt8] {
        let result: Result<[UInt8], PrometheusAPIError>
        do {
            result = try await NIOThreadPool.singleton.runIfActive { () -> Result<[UInt8], PrometheusAPIError> in
                do throws(PrometheusAPIError) { return .success(try body()) } catch { return .failure(error) }
            }
        } catch {
            throw PrometheusAPIError(.unavailable, "query could not be scheduled: \(error)")
        }
        return try result.get()
    }
}
