import KansokuModel

/// OTLP/JSON (the protobuf JSON mapping as OpenTelemetry specifies it) written
/// straight from the model, for Tempo's JSON trace responses.
///
/// Follows the mapping exactly: lowerCamelCase keys, 64-bit integers as
/// decimal strings, enums as integers, `bytesValue` as base64 — except that
/// trace and span ids are hex, as OTLP/JSON requires (plain protobuf JSON
/// would make them base64). Like proto3 JSON, fields holding their default
/// (zero, empty string, empty list) are left out; `resource` and `scope` are
/// always written, and `status` only when it is not the default. This is the
/// same text `OTLPTraceEncoder`'s messages print as with swift-protobuf's
/// JSON encoder (enums as integers), ids aside.
extension JSONWriter {
    /// One resource and its scopes as an OTLP/JSON `ResourceSpans` object.
    public mutating func otlpResourceSpans(_ items: ResourceItems<Span>) {
        beginObject()
        key("resource")
        beginObject()
        if !items.resource.attributes.isEmpty { key("attributes"); otlpKeyValues(items.resource.attributes) }
        otlpCount("droppedAttributesCount", items.resource.droppedAttributesCount)
        endObject()
        if !items.scopes.isEmpty {
            key("scopeSpans")
            beginArray()
            for scoped in items.scopes { otlpScopeSpans(scoped) }
            endArray()
        }
        otlpString("schemaUrl", items.schemaURL)
        endObject()
    }

    /// Spans of one scope as an OTLP/JSON `ScopeSpans` object.
    public mutating func otlpScopeSpans(_ scoped: ScopedItems<Span>) {
        beginObject()
        key("scope")
        beginObject()
        otlpString("name", scoped.scope.name)
        otlpString("version", scoped.scope.version)
        if !scoped.scope.attributes.isEmpty { key("attributes"); otlpKeyValues(scoped.scope.attributes) }
        otlpCount("droppedAttributesCount", scoped.scope.droppedAttributesCount)
        endObject()
        if !scoped.items.isEmpty {
            key("spans")
            beginArray()
            for span in scoped.items { otlpSpan(span) }
            endArray()
        }
        otlpString("schemaUrl", scoped.schemaURL)
        endObject()
    }

    /// One span as an OTLP/JSON `Span` object.
    public mutating func otlpSpan(_ span: Span) {
        beginObject()
        key("traceId"); string(span.traceID.hex)
        key("spanId"); string(span.spanID.hex)
        otlpString("traceState", span.traceState)
        if !span.parentSpanID.isZero { key("parentSpanId"); string(span.parentSpanID.hex) }
        otlpCount("flags", span.flags)
        otlpString("name", span.name)
        if span.kind != .unspecified { key("kind"); number(Int64(span.kind.rawValue)) }
        otlpTime("startTimeUnixNano", span.startTimeUnixNano)
        otlpTime("endTimeUnixNano", span.endTimeUnixNano)
        if !span.attributes.isEmpty { key("attributes"); otlpKeyValues(span.attributes) }
        otlpCount("droppedAttributesCount", span.droppedAttributesCount)
        if !span.events.isEmpty {
            key("events")
            beginArray()
            for event in span.events {
                beginObject()
                otlpTime("timeUnixNano", event.timeUnixNano)
                otlpString("name", event.name)
                if !event.attributes.isEmpty { key("attributes"); otlpKeyValues(event.attributes) }
                otlpCount("droppedAttributesCount", event.droppedAttributesCount)
                endObject()
            }
            endArray()
        }
        otlpCount("droppedEventsCount", span.droppedEventsCount)
        if !span.links.isEmpty {
            key("links")
            beginArray()
            for link in span.links {
                beginObject()
                key("traceId"); string(link.traceID.hex)
                key("spanId"); string(link.spanID.hex)
                otlpString("traceState", link.traceState)
                if !link.attributes.isEmpty { key("attributes"); otlpKeyValues(link.attributes) }
                otlpCount("droppedAttributesCount", link.droppedAttributesCount)
                otlpCount("flags", link.flags)
                endObject()
            }
            endArray()
        }
        otlpCount("droppedLinksCount", span.droppedLinksCount)
        if span.status.code != .unset || !span.status.message.isEmpty {
            key("status")
            beginObject()
            otlpString("message", span.status.message)
            if span.status.code != .unset { key("code"); number(Int64(span.status.code.rawValue)) }
            endObject()
        }
        endObject()
    }

    /// Attributes as an array of OTLP/JSON `KeyValue` objects, order kept.
    public mutating func otlpKeyValues(_ attributes: [Attribute]) {
        beginArray()
        for attribute in attributes {
            beginObject()
            otlpString("key", attribute.key)
            key("value"); otlpAnyValue(attribute.value)
            endObject()
        }
        endArray()
    }

    /// A value as an OTLP/JSON `AnyValue` object (`{}` for `.empty`).
    public mutating func otlpAnyValue(_ value: AttributeValue) {
        beginObject()
        switch value {
        case .empty: break
        case .string(let s): key("stringValue"); string(s)
        case .bool(let b): key("boolValue"); bool(b)
        case .int(let i): key("intValue"); otlpInt64String(i)
        case .double(let d): key("doubleValue"); otlpDouble(d)
        case .bytes(let b): key("bytesValue"); base64String(b)
        case .array(let values):
            key("arrayValue")
            beginObject()
            if !values.isEmpty {
                key("values")
                beginArray()
                for v in values { otlpAnyValue(v) }
                endArray()
            }
            endObject()
        case .keyValueList(let attributes):
            key("kvlistValue")
            beginObject()
            if !attributes.isEmpty { key("values"); otlpKeyValues(attributes) }
            endObject()
        }
        endObject()
    }

    // MARK: Scalars, left out when default

    private mutating func otlpString(_ name: String, _ value: String) {
        guard !value.isEmpty else { return }
        key(name); string(value)
    }

    private mutating func otlpCount(_ name: String, _ value: UInt32) {
        guard value != 0 else { return }
        key(name); number(UInt64(value))
    }

    private mutating func otlpTime(_ name: String, _ value: UInt64) {
        guard value != 0 else { return }
        key(name); quotedNumber(value)
    }

    /// A signed 64-bit integer as a quoted decimal string (the proto JSON form).
    private mutating func otlpInt64String(_ value: Int64) {
        string(String(value))
    }

    /// A double as proto JSON writes it: a number when finite, otherwise the
    /// strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
    private mutating func otlpDouble(_ value: Double) {
        if value.isNaN {
            string("NaN")
        } else if value.isInfinite {
            string(value < 0 ? "-Infinity" : "Infinity")
        } else {
            number(value)
        }
    }
}
