import KansokuModel

/// Rate, errors and duration of one operation over a time window: the
/// `calls` and `duration` series the spanmetrics connector produces for one
/// (service, span name, span kind).
public struct REDSeries: Sendable, Hashable {
    public var service: String
    public var spanName: String
    public var spanKind: SpanKind
    /// How many spans started in the window.
    public var requests: UInt64
    /// How many of them have status ERROR.
    public var errors: UInt64
    /// `requests` divided by the window's length in seconds (0 for an empty window).
    public var ratePerSecond: Double
    /// The spans' durations.
    public var latency: LatencyHistogram

    public init(service: String, spanName: String, spanKind: SpanKind, requests: UInt64 = 0, errors: UInt64 = 0,
                ratePerSecond: Double = 0, latency: LatencyHistogram = LatencyHistogram()) {
        self.service = service
        self.spanName = spanName
        self.spanKind = spanKind
        self.requests = requests
        self.errors = errors
        self.ratePerSecond = ratePerSecond
        self.latency = latency
    }

    /// `errors / requests`, 0 when there were none.
    public var errorRate: Double { requests == 0 ? 0 : Double(errors) / Double(requests) }

    /// The kind as the spanmetrics connector labels it: `SPAN_KIND_SERVER`,
    /// `SPAN_KIND_CLIENT`, … `SPAN_KIND_UNSPECIFIED`.
    public var spanKindLabel: String { Self.label(of: spanKind) }

    /// The spanmetrics `span.kind` label of `kind`.
    public static func label(of kind: SpanKind) -> String {
        switch kind {
        case .unspecified: "SPAN_KIND_UNSPECIFIED"
        case .internal: "SPAN_KIND_INTERNAL"
        case .server: "SPAN_KIND_SERVER"
        case .client: "SPAN_KIND_CLIENT"
        case .producer: "SPAN_KIND_PRODUCER"
        case .consumer: "SPAN_KIND_CONSUMER"
        }
    }
}
