import KansokuModel

/// What the service map needs to know of one span: enough to pair it with
/// its parent, nothing else (no name, attributes or events).
struct SpanSummary: Sendable, Hashable {
    /// `.zero` for a root span.
    var parentSpanID: SpanID
    /// The span's `service.name`, interned.
    var service: Int32
    /// For a CLIENT/PRODUCER span, the interned peer name it calls
    /// (`peer.service`, `server.address` or `net.peer.name`); -1 if none.
    var peer: Int32
    var kind: SpanKind
    var isError: Bool
    var durationNanos: UInt64

    /// Whether the span is the calling side of a request or message.
    var isCaller: Bool { kind == .client || kind == .producer }
    /// Whether the span is the called side of a request or message.
    var isCallee: Bool { kind == .server || kind == .consumer }
}

/// The spans of a time window by trace, then span id, so that a parent and
/// its child pair up whichever batches they arrived in. A span stored twice
/// is kept once.
struct TraceSpanIndex: Sendable {
    private(set) var traces: [TraceID: [SpanID: SpanSummary]] = [:]

    /// Records `summary` as span `spanID` of `traceID`; a repeated span id
    /// (the same span stored twice) replaces the earlier copy.
    mutating func insert(_ summary: SpanSummary, traceID: TraceID, spanID: SpanID) {
        traces[traceID, default: [:]][spanID] = summary
    }
}
