import KansokuModel

/// `ExportTraceServiceRequest` bytes → ``SpanBatch`` in one pass (field
/// numbers from opentelemetry/proto/trace/v1/trace.proto).
enum OTLPSpanWireDecoder {
    static let names = OTLPWireEnvelope.Names(resources: "resource_spans", scopes: "scope_spans", items: "spans")

    static func decode(_ body: [UInt8]) throws(IngestError) -> ConversionOutcome<Span> {
        try OTLPWireEnvelope.decode(body, names: names, item: span)
    }

    static func span(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> Result<Span, ItemRejection> {
        var traceID = UnsafeRawBufferPointer(start: nil, count: 0)
        var spanID = traceID, parentID = traceID
        var span = Span(traceID: .zero, spanID: .zero, name: "", startTimeUnixNano: 0, endTimeUnixNano: 0)
        span.attributes.reserveCapacity(16)
        var links = [(link: SpanLink, traceID: UnsafeRawBufferPointer, spanID: UnsafeRawBufferPointer)]()
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .lengthDelimited, field: "trace_id"); traceID = try reader.lengthDelimited()
            case 2: try reader.expect(type, .lengthDelimited, field: "span_id"); spanID = try reader.lengthDelimited()
            case 3: try reader.expect(type, .lengthDelimited, field: "trace_state"); span.traceState = try reader.string()
            case 4: try reader.expect(type, .lengthDelimited, field: "parent_span_id"); parentID = try reader.lengthDelimited()
            case 5: try reader.expect(type, .lengthDelimited, field: "name"); span.name = try reader.string()
            case 6:
                try reader.expect(type, .varint, field: "kind")
                span.kind = SpanKind(rawValue: Int32(truncatingIfNeeded: try reader.varint())) ?? .unspecified
            case 7: try reader.expect(type, .fixed64, field: "start_time_unix_nano"); span.startTimeUnixNano = try reader.fixed64()
            case 8: try reader.expect(type, .fixed64, field: "end_time_unix_nano"); span.endTimeUnixNano = try reader.fixed64()
            case 9: try OTLPWireCommon.appendAttribute(&reader, type: type, to: &span.attributes)
            case 10: span.droppedAttributesCount = try OTLPWireCommon.uint32(&reader, type: type, field: "dropped_attributes_count")
            case 11:
                try reader.expect(type, .lengthDelimited, field: "events")
                var inner = try reader.message()
                span.events.append(try event(&inner))
            case 12: span.droppedEventsCount = try OTLPWireCommon.uint32(&reader, type: type, field: "dropped_events_count")
            case 13:
                try reader.expect(type, .lengthDelimited, field: "links")
                var inner = try reader.message()
                links.append(try link(&inner))
            case 14: span.droppedLinksCount = try OTLPWireCommon.uint32(&reader, type: type, field: "dropped_links_count")
            case 15:
                try reader.expect(type, .lengthDelimited, field: "status")
                var inner = try reader.message()
                span.status = try status(&inner)
            case 16: try reader.expect(type, .fixed32, field: "flags"); span.flags = try reader.fixed32()
            default: try reader.skip(type)
            }
        }
        do throws(IDError) {
            span.traceID = try OTLPCommon.requiredTraceID(traceID, field: "trace_id").get()
            span.spanID = try OTLPCommon.requiredSpanID(spanID, field: "span_id").get()
            span.parentSpanID = try OTLPCommon.optionalSpanID(parentID, field: "parent_span_id").get()
            guard span.endTimeUnixNano >= span.startTimeUnixNano else {
                return .failure(.endBeforeStart(start: span.startTimeUnixNano, end: span.endTimeUnixNano))
            }
            span.links.reserveCapacity(links.count)
            for index in links.indices {
                var link = links[index].link
                link.traceID = try OTLPCommon.requiredTraceID(links[index].traceID, field: "links[\(index)].trace_id").get()
                link.spanID = try OTLPCommon.requiredSpanID(links[index].spanID, field: "links[\(index)].span_id").get()
                span.links.append(link)
            }
        } catch {
            return .failure(.invalidID(error))
        }
        return .success(span)
    }

    /// `Span.Event`.
    static func event(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> SpanEvent {
        var event = SpanEvent(timeUnixNano: 0, name: "")
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .fixed64, field: "time_unix_nano"); event.timeUnixNano = try reader.fixed64()
            case 2: try reader.expect(type, .lengthDelimited, field: "name"); event.name = try reader.string()
            case 3: try OTLPWireCommon.appendAttribute(&reader, type: type, to: &event.attributes)
            case 4: event.droppedAttributesCount = try OTLPWireCommon.uint32(&reader, type: type, field: "dropped_attributes_count")
            default: try reader.skip(type)
            }
        }
        return event
    }

    /// `Span.Link`, with its ids left raw until the span is validated.
    static func link(
        _ reader: inout ProtobufReader
    ) throws(ProtobufWireError) -> (link: SpanLink, traceID: UnsafeRawBufferPointer, spanID: UnsafeRawBufferPointer) {
        var link = SpanLink(traceID: .zero, spanID: .zero)
        var traceID = UnsafeRawBufferPointer(start: nil, count: 0), spanID = traceID
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .lengthDelimited, field: "trace_id"); traceID = try reader.lengthDelimited()
            case 2: try reader.expect(type, .lengthDelimited, field: "span_id"); spanID = try reader.lengthDelimited()
            case 3: try reader.expect(type, .lengthDelimited, field: "trace_state"); link.traceState = try reader.string()
            case 4: try OTLPWireCommon.appendAttribute(&reader, type: type, to: &link.attributes)
            case 5: link.droppedAttributesCount = try OTLPWireCommon.uint32(&reader, type: type, field: "dropped_attributes_count")
            case 6: try reader.expect(type, .fixed32, field: "flags"); link.flags = try reader.fixed32()
            default: try reader.skip(type)
            }
        }
        return (link, traceID, spanID)
    }

    /// `Status` (field 1 is reserved).
    static func status(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> SpanStatus {
        var status = SpanStatus()
        while let (field, type) = try reader.nextField() {
            switch field {
            case 2: try reader.expect(type, .lengthDelimited, field: "message"); status.message = try reader.string()
            case 3:
                try reader.expect(type, .varint, field: "code")
                status.code = SpanStatus.Code(rawValue: Int32(truncatingIfNeeded: try reader.varint())) ?? .unset
            default: try reader.skip(type)
            }
        }
        return status
    }
}
