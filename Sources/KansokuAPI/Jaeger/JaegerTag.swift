import KansokuModel

/// One Jaeger key/value (a span tag, a process tag or a log field), typed as
/// Jaeger's JSON model types it: `string`, `bool`, `int64`, `float64` or
/// `binary`.
///
/// Built from OpenTelemetry attributes the way the OpenTelemetry→Jaeger
/// translator (`pkg/translator/jaeger` in opentelemetry-collector-contrib)
/// does: arrays and key/value lists become a string holding their JSON, an
/// empty value becomes the empty string.
struct JaegerTag: Sendable, Hashable {
    /// A Jaeger tag value.
    enum Value: Sendable, Hashable {
        case string(String)
        case bool(Bool)
        case int64(Int64)
        case float64(Double)
        case binary([UInt8])
    }

    var key: String
    var value: Value

    init(key: String, value: Value) {
        self.key = key
        self.value = value
    }

    init(_ attribute: Attribute) {
        self.init(key: attribute.key, value: Value(attribute.value))
    }

    /// Writes `{"key":…,"type":…,"value":…}`.
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("key"); json.string(key)
        json.key("type")
        switch value {
        case .string(let s): json.string("string"); json.key("value"); json.string(s)
        case .bool(let b): json.string("bool"); json.key("value"); json.bool(b)
        case .int64(let i): json.string("int64"); json.key("value"); json.number(i)
        case .float64(let d): json.string("float64"); json.key("value"); json.number(d)
        case .binary(let b): json.string("binary"); json.key("value"); json.base64String(b)
        }
        json.endObject()
    }
}

extension JaegerTag.Value {
    /// The Jaeger value of an OpenTelemetry attribute value.
    init(_ value: AttributeValue) {
        switch value {
        case .empty: self = .string("")
        case .string(let s): self = .string(s)
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int64(i)
        case .double(let d): self = .float64(d)
        case .bytes(let b): self = .binary(b)
        case .array, .keyValueList:
            var json = JSONWriter()
            json.value(value)
            self = .string(String(decoding: json.bytes, as: UTF8.self))
        }
    }

    /// Whether a query's tag value (always text) names this value: strings
    /// compare exactly, booleans as `true`/`false`, numbers numerically
    /// (so `500` matches both an `int64` 500 and a `float64` 500.0), binary
    /// values by their base64 text.
    func matches(_ text: String) -> Bool {
        switch self {
        case .string(let s): return s == text
        case .bool(let b): return (b ? "true" : "false") == text
        case .int64(let i):
            if let parsed = Int64(text) { return parsed == i }
            if let parsed = Double(text) { return parsed == Double(i) }
            return false
        case .float64(let d):
            guard let parsed = Double(text) else { return false }
            return parsed == d
        case .binary(let b):
            var json = JSONWriter()
            json.base64String(b)
            return json.bytes == Array("\"\(text)\"".utf8)
        }
    }
}

extension JaegerTag {
    /// The span kind as Jaeger names it, or nil for `unspecified` (which the
    /// translator leaves out).
    static func spanKindName(_ kind: SpanKind) -> String? {
        switch kind {
        case .unspecified: nil
        case .internal: "internal"
        case .server: "server"
        case .client: "client"
        case .producer: "producer"
        case .consumer: "consumer"
        }
    }

    /// The tags of `span` as the translator derives them, in its order: the
    /// span's attributes, then `otel.scope.name`/`otel.scope.version` (when
    /// not empty), `span.kind`, `otel.status_code`, `error`,
    /// `otel.status_description` and `w3c.tracestate`. A derived tag is left
    /// out when the span already has an attribute of that key.
    static func spanTags(of span: Span, scope: InstrumentationScope) -> [JaegerTag] {
        var tags = span.attributes.map(JaegerTag.init)
        func add(_ key: String, _ value: Value) {
            if span.attributes[key: key] == nil { tags.append(JaegerTag(key: key, value: value)) }
        }
        if !scope.name.isEmpty { add("otel.scope.name", .string(scope.name)) }
        if !scope.version.isEmpty { add("otel.scope.version", .string(scope.version)) }
        if let kind = spanKindName(span.kind) { add("span.kind", .string(kind)) }
        switch span.status.code {
        case .unset: break
        case .ok: add("otel.status_code", .string("OK"))
        case .error:
            add("otel.status_code", .string("ERROR"))
            add("error", .bool(true))
        }
        if !span.status.message.isEmpty { add("otel.status_description", .string(span.status.message)) }
        if !span.traceState.isEmpty { add("w3c.tracestate", .string(span.traceState)) }
        return tags
    }

    /// The fields of one Jaeger log: `event` (the event's name, unless empty
    /// or an attribute is already called `event`), then the attributes.
    static func logFields(of event: SpanEvent) -> [JaegerTag] {
        var fields: [JaegerTag] = []
        fields.reserveCapacity(event.attributes.count + 1)
        if !event.name.isEmpty && event.attributes[key: "event"] == nil {
            fields.append(JaegerTag(key: "event", value: .string(event.name)))
        }
        fields.append(contentsOf: event.attributes.map(JaegerTag.init))
        return fields
    }
}
