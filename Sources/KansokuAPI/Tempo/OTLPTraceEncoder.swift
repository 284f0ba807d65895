import Foundation
import KansokuModel
import KansokuWire

/// Turns Kansoku's span model back into OTLP protobuf messages — the inverse
/// of the receivers' OTLP decoding, used to answer Tempo's protobuf endpoints.
///
/// Every field the model keeps is mapped: ids as raw big-endian bytes (16 for
/// traces, 8 for spans; an all-zero parent becomes empty bytes, OTLP's "root"),
/// kinds and status codes as enums, every `AnyValue` case, events, links,
/// dropped counts, flags, trace state, and resource/scope schema URLs.
public enum OTLPTraceEncoder {
    /// The OTLP `TracesData` holding every resource, scope and span of `batch`,
    /// in the batch's order.
    public static func tracesData(_ batch: SpanBatch) -> Opentelemetry_Proto_Trace_V1_TracesData {
        var data = Opentelemetry_Proto_Trace_V1_TracesData()
        data.resourceSpans = batch.resources.map(resourceSpans)
        return data
    }

    /// One resource and its scopes as OTLP `ResourceSpans`.
    public static func resourceSpans(_ items: ResourceItems<Span>) -> Opentelemetry_Proto_Trace_V1_ResourceSpans {
        var message = Opentelemetry_Proto_Trace_V1_ResourceSpans()
        var resource = Opentelemetry_Proto_Resource_V1_Resource()
        resource.attributes = keyValues(items.resource.attributes)
        resource.droppedAttributesCount = items.resource.droppedAttributesCount
        message.resource = resource
        message.schemaURL = items.schemaURL
        message.scopeSpans = items.scopes.map { scoped in
            var scopeSpans = Opentelemetry_Proto_Trace_V1_ScopeSpans()
            scopeSpans.scope = scope(scoped.scope)
            scopeSpans.schemaURL = scoped.schemaURL
            scopeSpans.spans = scoped.items.map(span)
            return scopeSpans
        }
        return message
    }

    /// One span as an OTLP `Span`.
    public static func span(_ span: Span) -> Opentelemetry_Proto_Trace_V1_Span {
        var message = Opentelemetry_Proto_Trace_V1_Span()
        message.traceID = Data(span.traceID.bytes)
        message.spanID = Data(span.spanID.bytes)
        message.parentSpanID = span.parentSpanID.isZero ? Data() : Data(span.parentSpanID.bytes)
        message.traceState = span.traceState
        message.flags = span.flags
        message.name = span.name
        message.kind = Opentelemetry_Proto_Trace_V1_Span.SpanKind(rawValue: Int(span.kind.rawValue)) ?? .unspecified
        message.startTimeUnixNano = span.startTimeUnixNano
        message.endTimeUnixNano = span.endTimeUnixNano
        message.attributes = keyValues(span.attributes)
        message.droppedAttributesCount = span.droppedAttributesCount
        message.events = span.events.map { event in
            var e = Opentelemetry_Proto_Trace_V1_Span.Event()
            e.timeUnixNano = event.timeUnixNano
            e.name = event.name
            e.attributes = keyValues(event.attributes)
            e.droppedAttributesCount = event.droppedAttributesCount
            return e
        }
        message.droppedEventsCount = span.droppedEventsCount
        message.links = span.links.map { link in
            var l = Opentelemetry_Proto_Trace_V1_Span.Link()
            l.traceID = Data(link.traceID.bytes)
            l.spanID = Data(link.spanID.bytes)
            l.traceState = link.traceState
            l.flags = link.flags
            l.attributes = keyValues(link.attributes)
            l.droppedAttributesCount = link.droppedAttributesCount
            return l
        }
        message.droppedLinksCount = span.droppedLinksCount
        var status = Opentelemetry_Proto_Trace_V1_Status()
        status.code = Opentelemetry_Proto_Trace_V1_Status.StatusCode(rawValue: Int(span.status.code.rawValue)) ?? .unset
        status.message = span.status.message
        // Only sent when it says something, as SDKs do; absent and unset mean the same.
        if status.code != .unset || !status.message.isEmpty { message.status = status }
        return message
    }

    /// An instrumentation scope as OTLP's message.
    public static func scope(_ scope: InstrumentationScope) -> Opentelemetry_Proto_Common_V1_InstrumentationScope {
        var message = Opentelemetry_Proto_Common_V1_InstrumentationScope()
        message.name = scope.name
        message.version = scope.version
        message.attributes = keyValues(scope.attributes)
        message.droppedAttributesCount = scope.droppedAttributesCount
        return message
    }

    /// Attributes as OTLP `KeyValue`s, order kept.
    public static func keyValues(_ attributes: [Attribute]) -> [Opentelemetry_Proto_Common_V1_KeyValue] {
        attributes.map { attribute in
            var kv = Opentelemetry_Proto_Common_V1_KeyValue()
            kv.key = attribute.key
            kv.value = anyValue(attribute.value)
            return kv
        }
    }

    /// A value as an OTLP `AnyValue`; `.empty` becomes an `AnyValue` with no case set.
    public static func anyValue(_ value: AttributeValue) -> Opentelemetry_Proto_Common_V1_AnyValue {
        var message = Opentelemetry_Proto_Common_V1_AnyValue()
        switch value {
        case .empty: break
        case .string(let s): message.stringValue = s
        case .bool(let b): message.boolValue = b
        case .int(let i): message.intValue = i
        case .double(let d): message.doubleValue = d
        case .bytes(let b): message.bytesValue = Data(b)
        case .array(let values):
            var array = Opentelemetry_Proto_Common_V1_ArrayValue()
            array.values = values.map(anyValue)
            message.arrayValue = array
        case .keyValueList(let attributes):
            var list = Opentelemetry_Proto_Common_V1_KeyValueList()
            list.values = keyValues(attributes)
            message.kvlistValue = list
        }
        return message
    }
}
