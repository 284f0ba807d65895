import KansokuModel
import KansokuStorage

/// Answers Jaeger's search endpoints from a `TraceSignalStore`: trace search
/// (`/api/traces`), the service list (`/api/services`) and a service's
/// operations (`/api/services/{service}/operations`,
/// `/api/operations?service=&spanKind=`).
///
/// All functions read from disk and block: call them off the event loops.
///
/// Trace search asks the store for the most recent matching traces
/// (`recentTraces`), which reads newest data first and stops early; the
/// service and operation lists come from the store's catalogue (`operations`).
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
    /// At most `query.limit` traces are returned: those whose latest
    /// matching span started last (as Jaeger's Elasticsearch store ranks
    /// them), most recent first by the earliest start of the complete trace
    /// (ties by trace id).
    ///
    /// When `query.traceIDs` is not empty those traces are returned instead,
    /// in the order asked, without other filtering; unknown ids are skipped.
    public static func findTraces(_ query: JaegerQuery, in store: some TraceSignalStore) throws -> [SpanBatch] {
        if !query.traceIDs.isEmpty {
            var seen = Set<TraceID>()
            let found = try store.spans(ofTraces: Set(query.traceIDs))
            return query.traceIDs.filter { seen.insert($0).inserted }.compactMap { found[$0] }
        }

        // The store checks service, name, duration and time from narrow columns; tags need the whole span.
        guard let window = nanosecondWindow(query) else { return [] }
        let filter = SpanSearchFilter(
            // Jaeger names a resource without a service name so; the store calls it "".
            services: query.service.map { $0 == JaegerProcessTable.noServiceName ? ["", $0] : [$0] },
            spanNames: query.operation.map { [$0] }, startTimes: window,
            minDurationNanos: query.minDurationNanos, maxDurationNanos: query.maxDurationNanos)
        let tags = query.tags
        let hits = try store.recentTraces(matching: filter, limit: max(query.limit, 1),
                                          where: tags.isEmpty ? nil : { span, scope, resource in
            matchesTags(tags, span: span, scope: scope, resource: resource)
        })

        var traces: [(start: UInt64, id: TraceID, spans: SpanBatch)] = []
        let found = try store.spans(ofTraces: Set(hits.map(\.traceID)))
        for traceID in hits.map(\.traceID) {
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
        Set(try store.operations().map { jaegerServiceName($0.service) }).sorted()
    }

    /// The distinct (span name, span kind) pairs recorded by `service`,
    /// sorted by name then kind. `spanKind` (`server`, `client`, `producer`,
    /// `consumer`, `internal`) keeps only that kind; nil or empty keeps all.
    /// A span of unspecified kind has the span kind `""`.
    public static func operations(in store: some TraceSignalStore, service: String,
                                  spanKind: String? = nil) throws -> [JaegerOperation] {
        var operations = Set<JaegerOperation>()
        for operation in try store.operations() where jaegerServiceName(operation.service) == service {
            let kind = JaegerTag.spanKindName(operation.kind) ?? ""
            if let spanKind, !spanKind.isEmpty, spanKind != kind { continue }
            operations.insert(JaegerOperation(name: operation.name, spanKind: kind))
        }
        return operations.sorted()
    }

    /// The name Jaeger shows for a stored service name (`""` when the resource had none).
    private static func jaegerServiceName(_ service: String) -> String {
        service.isEmpty ? JaegerProcessTable.noServiceName : service
    }

    // MARK: Matching

    /// Whether `span` has every one of `tags`.
    static func matchesTags(_ tags: [String: String], span: Span, scope: InstrumentationScope, resource: Resource) -> Bool {
        var derived: [JaegerTag]?
        for (key, value) in tags {
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

    /// The query's start bounds in nanoseconds: every nanosecond of the last
    /// microsecond counts. Nil when no time can match.
    private static func nanosecondWindow(_ query: JaegerQuery) -> ClosedRange<UInt64>? {
        guard query.startTimeMicros <= query.endTimeMicros else { return nil }
        let (start, startOverflow) = query.startTimeMicros.multipliedReportingOverflow(by: 1000)
        guard !startOverflow else { return nil }
        let (end, endOverflow) = query.endTimeMicros.multipliedReportingOverflow(by: 1000)
        return start...(endOverflow || end > .max - 999 ? .max : end + 999)
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
