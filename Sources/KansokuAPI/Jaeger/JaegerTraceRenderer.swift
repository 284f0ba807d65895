import KansokuModel

/// Renders traces in the JSON of Jaeger's HTTP query API (`/api/traces`,
/// `/api/traces/{id}`), the shape Jaeger UI and Grafana's Jaeger data source
/// parse.
///
/// A trace is
/// `{"traceID":…,"spans":[…],"processes":{"p1":{…}},"warnings":null}` and
/// each span
/// `{"traceID","spanID","operationName","references","flags","startTime",
/// "duration","tags","logs","processID","warnings"}`, with times in
/// microseconds since the epoch. The mapping follows the OpenTelemetry→Jaeger
/// translator: see `JaegerTag.spanTags(of:scope:)` for the derived tags and
/// `JaegerProcessTable` for processes. The parent becomes a `CHILD_OF`
/// reference, listed first, and each link a `FOLLOWS_FROM` reference.
///
/// Spans are written in start-time order (ties by span id); a span stored
/// twice with identical content (a retried export) is written once.
public enum JaegerTraceRenderer {
    /// Appends one trace object for `trace`, which holds the spans of one
    /// trace (as `TraceSignalStore.spans(ofTrace:)` returns them). Writes
    /// nothing for an empty batch.
    public static func appendTrace(_ trace: SpanBatch, to json: inout JSONWriter) {
        var processes = JaegerProcessTable()
        var spans: [PlacedSpan] = []
        spans.reserveCapacity(trace.itemCount)
        for group in trace.resources {
            var processID: String?
            for scoped in group.scopes where !scoped.items.isEmpty {
                let id = processID ?? processes.processID(for: group.resource)
                processID = id
                for span in scoped.items {
                    spans.append(PlacedSpan(span: span, scope: scoped.scope, processID: id))
                }
            }
        }
        guard let first = spans.first else { return }
        spans.sort { ($0.span.startTimeUnixNano, $0.span.spanID) < ($1.span.startTimeUnixNano, $1.span.spanID) }

        json.beginObject()
        json.key("traceID"); json.string(first.span.traceID.hex)
        json.key("spans")
        json.beginArray()
        var previous: PlacedSpan?
        for placed in spans {
            if let previous, previous == placed { continue }
            placed.write(to: &json)
            previous = placed
        }
        json.endArray()
        json.key("processes"); processes.write(to: &json)
        json.key("warnings"); json.null()
        json.endObject()
    }

    /// Appends one trace object per non-empty batch of `traces`, in order, as
    /// consecutive values (the caller opens the surrounding array).
    public static func appendTraces(_ traces: [SpanBatch], to json: inout JSONWriter) {
        for trace in traces { appendTrace(trace, to: &json) }
    }

    /// Microseconds since the epoch, truncated, as Jaeger counts time.
    static func micros(_ nanos: UInt64) -> UInt64 { nanos / 1_000 }
}

/// A span with the scope it was recorded by and the process it belongs to.
private struct PlacedSpan: Equatable {
    var span: Span
    var scope: InstrumentationScope
    var processID: String

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("traceID"); json.string(span.traceID.hex)
        json.key("spanID"); json.string(span.spanID.hex)
        json.key("operationName"); json.string(span.name)
        json.key("references")
        json.beginArray()
        if !span.parentSpanID.isZero {
            writeReference("CHILD_OF", traceID: span.traceID, spanID: span.parentSpanID, to: &json)
        }
        for link in span.links {
            writeReference("FOLLOWS_FROM", traceID: link.traceID, spanID: link.spanID, to: &json)
        }
        json.endArray()
        json.key("flags"); json.number(Int64(1))
        json.key("startTime"); json.number(JaegerTraceRenderer.micros(span.startTimeUnixNano))
        json.key("duration"); json.number(JaegerTraceRenderer.micros(span.durationNanos))
        json.key("tags")
        json.beginArray()
        for tag in JaegerTag.spanTags(of: span, scope: scope) { tag.write(to: &json) }
        json.endArray()
        json.key("logs")
        json.beginArray()
        for event in span.events {
            json.beginObject()
            json.key("timestamp"); json.number(JaegerTraceRenderer.micros(event.timeUnixNano))
            json.key("fields")
            json.beginArray()
            for field in JaegerTag.logFields(of: event) { field.write(to: &json) }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.key("processID"); json.string(processID)
        json.key("warnings"); json.null()
        json.endObject()
    }

    private func writeReference(_ type: StaticString, traceID: TraceID, spanID: SpanID, to json: inout JSONWriter) {
        json.beginObject()
        json.key("refType"); json.string("\(type)")
        json.key("traceID"); json.string(traceID.hex)
        json.key("spanID"); json.string(spanID.hex)
        json.endObject()
    }
}
