import KansokuModel

extension DebugItemRenderer {
    /// Appends one "Span item" object per span of `batch` that matches
    /// `filter` (trace id and service name), at most `limit` of them.
    ///
    /// - Returns: How many spans were written.
    @discardableResult
    public static func appendSpans(of batch: SpanBatch, matching filter: DebugFilter,
                                   to json: inout JSONWriter, limit: Int) -> Int {
        forEachItem(of: batch, matching: filter, limit: limit) { span, context in
            guard filter.matches(span.traceID) else { return false }
            json.span(span, context: &context)
            return true
        }
    }
}

extension JSONWriter {
    fileprivate mutating func span(_ span: Span, context: inout DebugItemRenderer.Context) {
        beginObject()
        key("traceId"); id(span.traceID)
        key("spanId"); id(span.spanID)
        key("parentSpanId"); id(span.parentSpanID)
        key("traceState"); string(span.traceState)
        key("name"); string(span.name)
        key("kind"); number(Int64(span.kind.rawValue))
        key("startTimeUnixNano"); quotedNumber(span.startTimeUnixNano)
        key("endTimeUnixNano"); quotedNumber(span.endTimeUnixNano)
        key("attributes"); attributes(span.attributes)
        key("events")
        beginArray()
        for event in span.events {
            beginObject()
            key("name"); string(event.name)
            key("timeUnixNano"); quotedNumber(event.timeUnixNano)
            key("attributes"); attributes(event.attributes)
            endObject()
        }
        endArray()
        key("links")
        beginArray()
        for link in span.links {
            beginObject()
            key("traceId"); id(link.traceID)
            key("spanId"); id(link.spanID)
            key("traceState"); string(link.traceState)
            key("attributes"); attributes(link.attributes)
            endObject()
        }
        endArray()
        key("status")
        beginObject()
        key("code"); number(Int64(span.status.code.rawValue))
        key("message"); string(span.status.message)
        endObject()
        context.write(to: &self)
        endObject()
    }
}
