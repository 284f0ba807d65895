import KansokuModel

/// A span without its attributes, events and links: what request rate, error
/// and duration statistics need, and what a store can hand out from its
/// narrow columns without materialising spans.
public struct SpanOverview: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    /// `service.name` of the recording resource (`""` when it has none).
    public var service: String
    public var name: String
    public var kind: SpanKind
    public var statusCode: SpanStatus.Code
    public var startTimeUnixNano: UInt64
    public var durationNanos: UInt64

    public init(traceID: TraceID, spanID: SpanID, service: String, name: String, kind: SpanKind,
                statusCode: SpanStatus.Code, startTimeUnixNano: UInt64, durationNanos: UInt64) {
        self.traceID = traceID
        self.spanID = spanID
        self.service = service
        self.name = name
        self.kind = kind
        self.statusCode = statusCode
        self.startTimeUnixNano = startTimeUnixNano
        self.durationNanos = durationNanos
    }

    /// The overview of `span`, recorded by a resource of service `service`.
    public init(_ span: Span, service: String) {
        self.init(traceID: span.traceID, spanID: span.spanID, service: service, name: span.name, kind: span.kind,
                  statusCode: span.status.code, startTimeUnixNano: span.startTimeUnixNano, durationNanos: span.durationNanos)
    }
}
