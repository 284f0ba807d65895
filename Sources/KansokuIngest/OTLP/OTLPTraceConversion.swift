import KansokuModel
import KansokuWire

/// OTLP `ExportTraceServiceRequest` → ``SpanBatch``.
enum OTLPTraceConversion {
    typealias WireSpan = Opentelemetry_Proto_Trace_V1_Span

    static func convert(_ request: Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest) -> ConversionOutcome<Span> {
        var outcome = ConversionOutcome<Span>()
        outcome.batch.resources.reserveCapacity(request.resourceSpans.count)
        for (r, resourceSpans) in request.resourceSpans.enumerated() {
            var scopes = [ScopedItems<Span>]()
            scopes.reserveCapacity(resourceSpans.scopeSpans.count)
            for (s, scopeSpans) in resourceSpans.scopeSpans.enumerated() {
                var spans = [Span]()
                spans.reserveCapacity(scopeSpans.spans.count)
                for (i, wire) in scopeSpans.spans.enumerated() {
                    switch span(wire) {
                    case .success(let span): spans.append(span)
                    case .failure(let error):
                        outcome.reject(1, "resource_spans[\(r)].scope_spans[\(s)].spans[\(i)]: \(error)")
                    }
                }
                guard !spans.isEmpty else { continue }
                scopes.append(ScopedItems(scope: OTLPCommon.scope(scopeSpans.scope), schemaURL: scopeSpans.schemaURL, items: spans))
            }
            guard !scopes.isEmpty else { continue }
            outcome.batch.resources.append(
                ResourceItems(resource: OTLPCommon.resource(resourceSpans.resource), schemaURL: resourceSpans.schemaURL, scopes: scopes))
        }
        return outcome
    }

    static func span(_ wire: WireSpan) -> Result<Span, SpanError> {
        do throws(IDError) {
            let traceID = try OTLPCommon.requiredTraceID(wire.traceID, field: "trace_id").get()
            let spanID = try OTLPCommon.requiredSpanID(wire.spanID, field: "span_id").get()
            let parentID = try OTLPCommon.optionalSpanID(wire.parentSpanID, field: "parent_span_id").get()
            guard wire.endTimeUnixNano >= wire.startTimeUnixNano else {
                return .failure(.endBeforeStart(start: wire.startTimeUnixNano, end: wire.endTimeUnixNano))
            }
            let links = try wire.links.enumerated().map { (index, link) throws(IDError) in
                SpanLink(
                    traceID: try OTLPCommon.requiredTraceID(link.traceID, field: "links[\(index)].trace_id").get(),
                    spanID: try OTLPCommon.requiredSpanID(link.spanID, field: "links[\(index)].span_id").get(),
                    traceState: link.traceState, flags: link.flags,
                    attributes: OTLPCommon.attributes(link.attributes), droppedAttributesCount: link.droppedAttributesCount)
            }
            return .success(Span(
                traceID: traceID, spanID: spanID, parentSpanID: parentID, traceState: wire.traceState, flags: wire.flags,
                name: wire.name, kind: SpanKind(rawValue: Int32(truncatingIfNeeded: wire.kind.rawValue)) ?? .unspecified,
                startTimeUnixNano: wire.startTimeUnixNano, endTimeUnixNano: wire.endTimeUnixNano,
                attributes: OTLPCommon.attributes(wire.attributes), droppedAttributesCount: wire.droppedAttributesCount,
                events: wire.events.map {
                    SpanEvent(timeUnixNano: $0.timeUnixNano, name: $0.name, attributes: OTLPCommon.attributes($0.attributes),
                              droppedAttributesCount: $0.droppedAttributesCount)
                },
                droppedEventsCount: wire.droppedEventsCount,
                links: links, droppedLinksCount: wire.droppedLinksCount,
                status: SpanStatus(code: SpanStatus.Code(rawValue: Int32(truncatingIfNeeded: wire.status.code.rawValue)) ?? .unset,
                                   message: wire.status.message)))
        } catch {
            return .failure(.invalidID(error))
        }
    }

    /// Why one span was rejected.
    enum SpanError: Error, CustomStringConvertible {
        case invalidID(IDError)
        case endBeforeStart(start: UInt64, end: UInt64)

        var description: String {
            switch self {
            case .invalidID(let error): error.description
            case .endBeforeStart(let start, let end):
                "end_time_unix_nano \(end) is before start_time_unix_nano \(start)"
            }
        }
    }
}
