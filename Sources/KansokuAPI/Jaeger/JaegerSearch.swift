import KansokuModel
import KansokuStorage

/// Answers Jaeger's search endpoints from a `TraceSignalStore`: trace search
/// (`/api/traces`), the service list (`/api/services`) and a service's
/// operations (`/api/services/{service}/operations`,
/// `/api/operations?service=&spanKind=`).
///
/// All functions read from disk and block: call them off the event loops.
///
/// Version 1 scans: every function visits every stored batch with
/// `forEachBatch`, so its cost grows with everything stored. Blocks could be
/// skipped later from their metadata (time range, service names) without
/// changing what these functions return.
public enum JaegerSearch {
    /// The traces that `query` matches, each complete (every stored span,
    /// fetched with `spans(ofTrace:)`, whichever service recorded it).
    ///
    /// A trace matches when at least one of its spans matches every
    /// criterion: its resource's `service.name` is `query.service`; its name
    /// is `query.operation` (when given); its duration is within
    /// `[minDuration, maxDuration]` and its start within `[start, end]`; and
    /// for each of `query.tags` the span has that key with that value (as
    /// text; see `JaegerTag.Value.matches(_:)`) among its attributes, its
    /// resource's attributes, or the tags the Jaeger translation derives
    /// (`error`, `span.kind`, `otel.status_code`, `otel.status_description`,
    /// `otel.scope.name`, `otel.scope.version`, `w3c.tracestate`).
    ///
    /// At most `query.limit` traces are returned: those whose earliest
    /// matching span started last, most recent first by the earliest start
    /// of the complete trace (ties by trace id).
    ///
    /// When `query.traceIDs` is not empty those traces are returned instead,
    /// in the order asked, without other filtering; unknown ids are skipped.
    public static func findTraces(_ query: JaegerQuery, in store: some TraceSignalStore) throws -> [SpanBatch] {
        if !query.traceIDs.isEmpty {
            var seen = Set<TraceID>()
            let found = try store.spans(ofTraces: Set(query.traceIDs))
            return query.traceIDs.filter { seen.insert($0).inserted }.compactMap { found[$0] }
        }

        // Trace id → start of its earliest matching span, in nanoseconds.
        var candidates: [TraceID: UInt64] = [:]
        // Lets the store skip blocks that cannot match; spans are still checked one by one below.
        let services: Set<String>? = query.service.flatMap { $0 == JaegerProcessTable.noServiceName ? nil : [$0] }
        let (startNanos, startOverflow) = query.startTimeMicros.multipliedReportingOverflow(by: 1000)
        let (endNanos, endOverflow) = query.endTimeMicros.multipliedReportingOverflow(by: 1000)
        let window = startOverflow || endOverflow || startNanos > endNanos ? nil : startNanos...endNanos
        try store.forEachBatch(startingIn: window, services: services) { batch in
            for group in batch.resources where query.service == nil
                || JaegerProcessTable.serviceName(of: group.resource) == query.service {
                for scoped in group.scopes {
                    for span in scoped.items where matches(span, scope: scoped.scope, resource: group.resource, query) {
                        let start = candidates[span.traceID] ?? .max
                        candidates[span.traceID] = min(start, span.startTimeUnixNano)
                    }
                }
            }
            return true
        }

        let chosen = candidates.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(max(query.limit, 1))
        var traces: [(start: UInt64, id: TraceID, spans: SpanBatch)] = []
        let found = try store.spans(ofTraces: Set(chosen.map(\.key)))
        for (traceID, _) in chosen {
            guard let spans = found[traceID], let start = earliestStart(of: spans) else { continue }
            traces.append((start, traceID, spans))
        }
        traces.sort { ($0.start, $1.id) > ($1.start, $0.id) }
        return traces.map(\.spans)
    }

    /// The distinct Jaeger service names of every resource that recorded a
    /// span, sorted. A resource without `service.name` is listed as
    /// `OTLP_ResourceNoServiceName`, as the Jaeger translation names it.
    public static func services(in store: some TraceSignalStore) throws -> [String] {
        var names = Set<String>()
        try store.forEachBatch { batch in
            for group in batch.resources where group.scopes.contains(where: { !$0.items.isEmpty }) {
                names.insert(JaegerProcessTable.serviceName(of: group.resource))
            }
            return true
        }
        return names.sorted()
    }

    /// The distinct (span name, span kind) pairs recorded by `service`,
    /// sorted by name then kind. `spanKind` (`server`, `client`, `producer`,
    /// `consumer`, `internal`) keeps only that kind; nil or empty keeps all.
    /// A span of unspecified kind has the span kind `""`.
    public static func operations(in store: some TraceSignalStore, service: String,
                                  spanKind: String? = nil) throws -> [JaegerOperation] {
        var operations = Set<JaegerOperation>()
        try store.forEachBatch { batch in
            for group in batch.resources where JaegerProcessTable.serviceName(of: group.resource) == service {
                for scoped in group.scopes {
                    for span in scoped.items {
                        let kind = JaegerTag.spanKindName(span.kind) ?? ""
                        if let spanKind, !spanKind.isEmpty, spanKind != kind { continue }
                        operations.insert(JaegerOperation(name: span.name, spanKind: kind))
                    }
                }
            }
            return true
        }
        return operations.sorted()
    }

    // MARK: Matching

    /// Whether `span` meets every criterion of `query` but the service.
    static func matches(_ span: Span, scope: InstrumentationScope, resource: Resource, _ query: JaegerQuery) -> Bool {
        if let operation = query.operation, span.name != operation { return false }
        let duration = span.durationNanos
        if let min = query.minDurationNanos, duration < min { return false }
        if let max = query.maxDurationNanos, duration > max { return false }
        let startMicros = JaegerTraceRenderer.micros(span.startTimeUnixNano)
        if startMicros < query.startTimeMicros || startMicros > query.endTimeMicros { return false }
        if query.tags.isEmpty { return true }

        var derived: [JaegerTag]?
        for (key, value) in query.tags {
            if span.attributes.contains(where: { $0.key == key && JaegerTag.Value($0.value).matches(value) }) { continue }
            if resource.attributes.contains(where: { $0.key == key && JaegerTag.Value($0.value).matches(value) }) {
                continue
            }
            if derived == nil { derived = JaegerTag.spanTags(of: span, scope: scope) }
            if derived?.contains(where: { $0.key == key && $0.value.matches(value) }) == true { continue }
            return false
        }
        return true
    }

    /// The start of the earliest span of `trace`, nil when it has none.
    private static func earliestStart(of trace: SpanBatch) -> UInt64? {
        var earliest: UInt64?
        for group in trace.resources {
            for scoped in group.scopes {
                for span in scoped.items { earliest = Swift.min(earliest ?? .max, span.startTimeUnixNano) }
            }
        }
        return earliest
    }
}
