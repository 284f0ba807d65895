import KansokuModel

/// The `metrics` object of a Tempo search response.
public struct TempoSearchMetrics: Sendable, Hashable {
    /// How many traces the search looked at.
    public var inspectedTraces: UInt32
    /// How many bytes the search read.
    public var inspectedBytes: UInt64

    public init(inspectedTraces: UInt32 = 0, inspectedBytes: UInt64 = 0) {
        self.inspectedTraces = inspectedTraces
        self.inspectedBytes = inspectedBytes
    }
}

/// What a search result line says about one trace: its root and its extent.
public struct TempoTraceSummary: Sendable, Hashable {
    public var traceID: TraceID
    /// `service.name` of the root span's resource, `""` when it has none.
    public var rootServiceName: String
    /// Name of the root span.
    public var rootTraceName: String
    /// Earliest span start.
    public var startTimeUnixNano: UInt64
    /// Latest span end minus earliest start, in whole milliseconds.
    public var durationMs: UInt32

    /// Summarises `trace`; nil when it holds no span.
    ///
    /// The root is the span without a parent (the earliest such span if there
    /// are several); when every span has a parent — the root has not arrived —
    /// it is the earliest span.
    public init?(_ trace: SpanBatch) {
        var first: Span?
        var root: (span: Span, service: String?)?
        var fallback: (span: Span, service: String?)?
        var start = UInt64.max
        var end: UInt64 = 0
        for items in trace.resources {
            let service = items.resource.serviceName
            for scoped in items.scopes {
                for span in scoped.items {
                    if first == nil { first = span }
                    start = min(start, span.startTimeUnixNano)
                    end = max(end, span.endTimeUnixNano)
                    if span.parentSpanID.isZero {
                        if root == nil || span.startTimeUnixNano < root!.span.startTimeUnixNano { root = (span, service) }
                    } else if fallback == nil || span.startTimeUnixNano < fallback!.span.startTimeUnixNano {
                        fallback = (span, service)
                    }
                }
            }
        }
        guard let first, let chosen = root ?? fallback else { return nil }
        traceID = first.traceID
        rootServiceName = chosen.service ?? ""
        rootTraceName = chosen.span.name
        startTimeUnixNano = start
        durationMs = UInt32(clamping: (end >= start ? end - start : 0) / 1_000_000)
    }
}

extension TempoResponses {
    /// The body of `GET /api/search`:
    /// `{"traces":[{"traceID","rootServiceName","rootTraceName","startTimeUnixNano","durationMs","spanSets":[{"spans":[…],"matched":n}]}],"metrics":{…}}`.
    ///
    /// - Parameters:
    ///   - hits: Each found trace (all its stored spans, to find root and
    ///     extent) with the spans the query matched. Traces without spans are
    ///     skipped; a trace with no matched span gets no `spanSets`.
    ///   - metrics: The `metrics` object.
    ///   - spansPerSpanSet: How many matched spans to list per trace (Tempo's
    ///     `spss`, default 3); `matched` still counts them all.
    ///   - attributeKeys: Which span attributes to list with each span; nil
    ///     lists them all.
    public static func search(_ hits: [(trace: SpanBatch, matched: [Span])], metrics: TempoSearchMetrics,
                              spansPerSpanSet: Int = 3, attributeKeys: Set<String>? = nil) -> [UInt8] {
        var json = JSONWriter(reservingCapacity: 256 * (hits.count + 1))
        json.beginObject()
        json.key("traces")
        json.beginArray()
        for hit in hits {
            guard let summary = TempoTraceSummary(hit.trace) else { continue }
            json.beginObject()
            json.key("traceID"); json.string(summary.traceID.hex)
            json.key("rootServiceName"); json.string(summary.rootServiceName)
            json.key("rootTraceName"); json.string(summary.rootTraceName)
            json.key("startTimeUnixNano"); json.quotedNumber(summary.startTimeUnixNano)
            json.key("durationMs"); json.number(UInt64(summary.durationMs))
            if !hit.matched.isEmpty {
                json.key("spanSets")
                json.beginArray()
                json.beginObject()
                json.key("spans")
                json.beginArray()
                for span in hit.matched.prefix(max(0, spansPerSpanSet)) {
                    json.searchSpan(span, attributeKeys: attributeKeys)
                }
                json.endArray()
                json.key("matched"); json.number(UInt64(hit.matched.count))
                json.endObject()
                json.endArray()
            }
            json.endObject()
        }
        json.endArray()
        json.key("metrics")
        json.beginObject()
        json.key("inspectedTraces"); json.number(UInt64(metrics.inspectedTraces))
        json.key("inspectedBytes"); json.quotedNumber(metrics.inspectedBytes)
        json.endObject()
        json.endObject()
        return json.bytes
    }
}

extension JSONWriter {
    /// One `tempopb.Span` of a span set.
    fileprivate mutating func searchSpan(_ span: Span, attributeKeys: Set<String>?) {
        beginObject()
        key("spanID"); string(span.spanID.hex)
        key("name"); string(span.name)
        key("startTimeUnixNano"); quotedNumber(span.startTimeUnixNano)
        key("durationNanos"); quotedNumber(span.durationNanos)
        let attributes = attributeKeys.map { keys in span.attributes.filter { keys.contains($0.key) } } ?? span.attributes
        if !attributes.isEmpty { key("attributes"); otlpKeyValues(attributes) }
        endObject()
    }
}
