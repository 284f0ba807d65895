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

    /// Candidate traces come from a (pruned) scan; each is then evaluated whole, as TraceQL needs the complete trace.
    func run(in traces: any TraceSignalStore) throws -> [UInt8] {
        var candidates = [TraceID]()
        var seen = Set<TraceID>()
        try traces.forEachBatch(startingIn: window, services: nil) { batch in
            for resource in batch.resources {
                for scoped in resource.scopes {
                    for span in scoped.items where window?.contains(span.startTimeUnixNano) ?? true {
                        if seen.insert(span.traceID).inserted { candidates.append(span.traceID) }
                    }
                }
            }
            return candidates.count < TempoRoutes.maxInspectedTraces
        }
        var hits = [(trace: SpanBatch, matched: [Span])]()
        // Most recently stored first, which is what a search box wants to see. Traces are
        // fetched in chunks so the unindexed WAL tail is read once per chunk, not per trace.
        var remaining = candidates.reversed()[...]
        while hits.count < limit, !remaining.isEmpty {
            let chunk = remaining.prefix(max(limit * 4, 64))
            remaining = remaining.dropFirst(chunk.count)
            let found = try traces.spans(ofTraces: Set(chunk))
            for traceID in chunk where hits.count < limit {
                guard let trace = found[traceID] else { continue }
                let matched = TraceQLEvaluator.matchingSpans(query, in: trace)
                if !matched.isEmpty { hits.append((trace, matched)) }
            }
        }
        return TempoResponses.search(hits, metrics: TempoSearchMetrics(inspectedTraces: UInt32(candidates.count)))
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
