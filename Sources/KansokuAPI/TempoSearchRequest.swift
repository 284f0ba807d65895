import KansokuModel
import KansokuQuery
import KansokuStorage

/// A parsed `/api/search` request: a TraceQL query (`q`, or built from the
/// older `tags` / `minDuration` / `maxDuration` parameters), a time window
/// (`start`/`end`, Unix seconds) and a limit.
struct TempoSearchRequest: Sendable {
    var query: TraceQLQuery
    var window: ClosedRange<UInt64>?
    var limit: Int

    static func parse(_ parameters: [(name: String, value: String)], nowSeconds: Double) -> Result<TempoSearchRequest, SearchError> {
        func value(_ name: String) -> String? {
            parameters.last { $0.name == name }.flatMap { $0.value.isEmpty ? nil : $0.value }
        }
        var text = value("q") ?? "{}"
        if value("q") == nil {
            // The tag search of Tempo's first API: logfmt `key=value` pairs and duration bounds, as a TraceQL span set.
            var conditions = [String]()
            for pair in (value("tags") ?? "").split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { return .failure(.invalid("tags", String(pair), "want key=value")) }
                let quoted = parts[1].replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                conditions.append(".\(parts[0]) = \"\(quoted)\"")
            }
            if let min = value("minDuration") { conditions.append("duration >= \(min)") }
            if let max = value("maxDuration") { conditions.append("duration <= \(max)") }
            text = "{" + conditions.joined(separator: " && ") + "}"
        }
        let query: TraceQLQuery
        do {
            query = try TraceQLParser.parse(text)
        } catch {
            return .failure(.traceQL(error.description))
        }
        var limit = 20
        if let text = value("limit") {
            guard let parsed = Int(text), parsed > 0 else { return .failure(.invalid("limit", text, "want a positive integer")) }
            limit = parsed
        }
        var window: ClosedRange<UInt64>?
        if value("start") != nil || value("end") != nil {
            guard let start = Double(value("start") ?? "0"), let end = Double(value("end") ?? "\(nowSeconds)"),
                  start >= 0, end >= start else {
                return .failure(.invalid("start/end", "\(value("start") ?? "")..\(value("end") ?? "")", "want Unix seconds, start <= end"))
            }
            window = UInt64(start * 1e9)...UInt64(end * 1e9)
        }
        return .success(TempoSearchRequest(query: query, window: window, limit: limit))
    }

    /// The `limit` most recent traces the query matches, as Tempo's search body.
    ///
    /// The store is asked for the traces with a span that may satisfy a
    /// necessary condition of the query (``TraceQLSpanHints``) and starts in
    /// the window, most recent such span first; the candidates are fetched in
    /// chunks and evaluated whole, as TraceQL needs the complete trace. When
    /// too few match and the store had more candidates, it is asked again for
    /// twice as many, up to `TempoRoutes.maxInspectedTraces` traces in all.
    /// Results are in candidate order; `inspectedTraces` counts the traces evaluated.
    func run(in traces: any TraceSignalStore) throws -> [UInt8] {
        let hints = TraceQLSpanHints(query)
        let cap = TempoRoutes.maxInspectedTraces
        // No search returns more traces than it may inspect; clamping also keeps the arithmetic below from overflowing.
        let limit = min(self.limit, cap)
        guard !hints.criteria.isUnsatisfiable else { return TempoResponses.search([], metrics: TempoSearchMetrics()) }
        let filter = SpanSearchFilter(hints.criteria, startTimes: window)
        let predicate: SpanSearchPredicate? = hints.criteriaAreExact ? nil : { span, _, resource in
            hints.mayMatch(span: span, resource: resource)
        }

        var hits = [(trace: SpanBatch, matched: [Span])]()
        var evaluated = Set<TraceID>()
        // A sufficient condition makes every candidate a match; otherwise leave room for misses from the start.
        var candidateLimit = min(hints.conditionIsSufficient ? limit : limit * 2, cap)
        while true {
            let candidates = try traces.recentTraces(matching: filter, limit: candidateLimit, where: predicate)
            // Fetched in chunks so the unindexed WAL tail is read once per chunk, not per trace.
            var remaining = candidates.map(\.traceID).filter { !evaluated.contains($0) }.prefix(cap - evaluated.count)
            while hits.count < limit, !remaining.isEmpty {
                let chunk = remaining.prefix(max(limit * 4, 64))
                remaining = remaining.dropFirst(chunk.count)
                let found = try traces.spans(ofTraces: Set(chunk))
                for traceID in chunk where hits.count < limit {
                    guard let trace = found[traceID] else { continue }
                    evaluated.insert(traceID)
                    let matched = TraceQLEvaluator.matchingSpans(query, in: trace)
                    if !matched.isEmpty { hits.append((trace, matched)) }
                }
            }
            // Fewer candidates than asked for means the store has no more.
            guard hits.count < limit, candidates.count == candidateLimit, candidateLimit < cap, evaluated.count < cap else { break }
            candidateLimit = min(candidateLimit * 2, cap)
        }
        return TempoResponses.search(hits, metrics: TempoSearchMetrics(inspectedTraces: UInt32(clamping: evaluated.count)))
    }

    enum SearchError: Error, CustomStringConvertible {
        case invalid(String, String, String)
        case traceQL(String)

        var description: String {
            switch self {
            case .invalid(let name, let value, let why): "invalid \(name) \"\(value)\": \(why)"
            case .traceQL(let message): message
            }
        }
    }
}

extension SpanSearchFilter {
    /// The store-side form of TraceQL lean `criteria`, for spans starting in `startTimes`.
    /// The caller checks `criteria.isUnsatisfiable` first: bounds below zero are dropped here.
    fileprivate init(_ criteria: TraceQLLeanCriteria, startTimes: ClosedRange<UInt64>?) {
        self.init(services: criteria.services, spanNames: criteria.spanNames, startTimes: startTimes,
                  minDurationNanos: criteria.minDurationNanos.map { UInt64(max($0, 0)) },
                  // TraceQL sees durations clamped to Int64.max, so that bound admits every longer span too.
                  maxDurationNanos: criteria.maxDurationNanos.flatMap { $0 == .max ? nil : UInt64(max($0, 0)) },
                  kinds: criteria.kinds, statusCodes: criteria.statusCodes)
    }
}
