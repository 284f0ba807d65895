/// One log line or event.
public struct LogRecord: Sendable, Hashable {
    public var timeUnixNano: UInt64
    public var observedTimeUnixNano: UInt64
    /// OTLP severity number: 1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR, 21–24 FATAL; 0 unspecified.
    public var severityNumber: Int32
    public var severityText: String
    public var body: AttributeValue
    public var attributes: [Attribute]
    public var droppedAttributesCount: UInt32
    public var flags: UInt32
    /// `.zero` when the record is not tied to a trace.
    public var traceID: TraceID
    public var spanID: SpanID
    public var eventName: String

    public init(
        timeUnixNano: UInt64 = 0, observedTimeUnixNano: UInt64 = 0, severityNumber: Int32 = 0, severityText: String = "",
        body: AttributeValue = .empty, attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0, flags: UInt32 = 0,
        traceID: TraceID = .zero, spanID: SpanID = .zero, eventName: String = ""
    ) {
        self.timeUnixNano = timeUnixNano
        self.observedTimeUnixNano = observedTimeUnixNano
        self.severityNumber = severityNumber
        self.severityText = severityText
        self.body = body
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.flags = flags
        self.traceID = traceID
        self.spanID = spanID
        self.eventName = eventName
    }
}
