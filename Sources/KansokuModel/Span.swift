/// One operation within a trace.
public struct Span: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    /// `.zero` for a root span.
    public var parentSpanID: SpanID
    public var traceState: String
    public var flags: UInt32
    public var name: String
    public var kind: SpanKind
    public var startTimeUnixNano: UInt64
    public var endTimeUnixNano: UInt64
    public var attributes: [Attribute]
    public var droppedAttributesCount: UInt32
    public var events: [SpanEvent]
    public var droppedEventsCount: UInt32
    public var links: [SpanLink]
    public var droppedLinksCount: UInt32
    public var status: SpanStatus

    public init(
        traceID: TraceID, spanID: SpanID, parentSpanID: SpanID = .zero, traceState: String = "", flags: UInt32 = 0,
        name: String, kind: SpanKind = .unspecified, startTimeUnixNano: UInt64, endTimeUnixNano: UInt64,
        attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0,
        events: [SpanEvent] = [], droppedEventsCount: UInt32 = 0,
        links: [SpanLink] = [], droppedLinksCount: UInt32 = 0,
        status: SpanStatus = SpanStatus()
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.traceState = traceState
        self.flags = flags
        self.name = name
        self.kind = kind
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.events = events
        self.droppedEventsCount = droppedEventsCount
        self.links = links
        self.droppedLinksCount = droppedLinksCount
        self.status = status
    }

    public var durationNanos: UInt64 { endTimeUnixNano &- startTimeUnixNano }
}

/// The role of a span in a call, with OTLP's numbering.
public enum SpanKind: Int32, Sendable, Hashable {
    case unspecified = 0
    case `internal` = 1
    case server = 2
    case client = 3
    case producer = 4
    case consumer = 5
}

/// Whether the operation succeeded, with OTLP's numbering.
public struct SpanStatus: Sendable, Hashable {
    public enum Code: Int32, Sendable, Hashable {
        case unset = 0
        case ok = 1
        case error = 2
    }

    public var code: Code
    public var message: String

    public init(code: Code = .unset, message: String = "") {
        self.code = code
        self.message = message
    }
}

/// Something that happened at a point in time during a span (an exception, a retry).
public struct SpanEvent: Sendable, Hashable {
    public var timeUnixNano: UInt64
    public var name: String
    public var attributes: [Attribute]
    public var droppedAttributesCount: UInt32

    public init(timeUnixNano: UInt64, name: String, attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0) {
        self.timeUnixNano = timeUnixNano
        self.name = name
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }
}

/// A reference from a span to a span of another (or the same) trace.
public struct SpanLink: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    public var traceState: String
    public var flags: UInt32
    public var attributes: [Attribute]
    public var droppedAttributesCount: UInt32

    public init(traceID: TraceID, spanID: SpanID, traceState: String = "", flags: UInt32 = 0,
                attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceState = traceState
        self.flags = flags
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }
}
