import KansokuModel

/// A span without its events and links and with only the attributes asked
/// for: what request rate, error and duration statistics and the service map
/// need, and what a store can hand out from its narrow columns without
/// materialising spans.
public struct SpanOverview: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    public var parentSpanID: SpanID
    /// `service.name` of the recording resource (`""` when it has none).
    public var service: String
    public var name: String
    public var kind: SpanKind
    public var statusCode: SpanStatus.Code
    public var startTimeUnixNano: UInt64
    public var durationNanos: UInt64
    /// The span's attributes with one of the keys the reader asked for, in stored order.
    public var attributes: [Attribute]

    public init(traceID: TraceID, spanID: SpanID, parentSpanID: SpanID, service: String, name: String, kind: SpanKind,
                statusCode: SpanStatus.Code, startTimeUnixNano: UInt64, durationNanos: UInt64, attributes: [Attribute] = []) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.service = service
        self.name = name
        self.kind = kind
        self.statusCode = statusCode
        self.startTimeUnixNano = startTimeUnixNano
        self.durationNanos = durationNanos
        self.attributes = attributes
    }

    /// The overview of `span`, recorded by a resource of service `service`,
    /// keeping the attributes whose key is in `attributeKeys`.
    public init(_ span: Span, service: String, attributeKeys: [String] = []) {
        self.init(traceID: span.traceID, spanID: span.spanID, parentSpanID: span.parentSpanID, service: service, name: span.name,
                  kind: span.kind, statusCode: span.status.code, startTimeUnixNano: span.startTimeUnixNano,
                  durationNanos: span.durationNanos,
                  attributes: attributeKeys.isEmpty ? [] : span.attributes.filter { attributeKeys.contains($0.key) })
    }
}
