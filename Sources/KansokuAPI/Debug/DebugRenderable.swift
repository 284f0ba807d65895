import KansokuModel

/// Item types the debug read endpoint can render: `Span` and `LogRecord`.
/// Lets `DebugResponse` (and a route generic over the signal) pick the right
/// renderer from the type alone.
public protocol DebugRenderable: Sendable, Hashable {
    /// The signal named in the response's `"signal"` member.
    static var debugSignal: Signal { get }

    /// Appends the JSON item objects for `batch`; see `DebugItemRenderer`.
    static func appendDebugItems(of batch: TelemetryBatch<Self>, matching filter: DebugFilter,
                                 to json: inout JSONWriter, limit: Int) -> Int
}

extension Span: DebugRenderable {
    public static var debugSignal: Signal { .traces }

    public static func appendDebugItems(of batch: SpanBatch, matching filter: DebugFilter,
                                        to json: inout JSONWriter, limit: Int) -> Int {
        DebugItemRenderer.appendSpans(of: batch, matching: filter, to: &json, limit: limit)
    }
}

extension LogRecord: DebugRenderable {
    public static var debugSignal: Signal { .logs }

    public static func appendDebugItems(of batch: LogBatch, matching filter: DebugFilter,
                                        to json: inout JSONWriter, limit: Int) -> Int {
        DebugItemRenderer.appendLogs(of: batch, matching: filter, to: &json, limit: limit)
    }
}
