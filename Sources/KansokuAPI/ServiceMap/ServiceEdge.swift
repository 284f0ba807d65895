/// Calls from one service to another within a time window: one edge of the
/// service map, as the servicegraph connector's `traces_service_graph_request_*`
/// series and Jaeger's dependency links describe it.
public struct ServiceEdge: Sendable, Hashable {
    /// The calling service (the parent span's `service.name`).
    public var source: String
    /// The called service (the child span's `service.name`), or for a
    /// virtual node the peer name a CLIENT/PRODUCER span names.
    public var target: String
    /// Whether `target` sent no spans of its own in the window and is known
    /// only from the caller's `peer.service`/`server.address`/`net.peer.name`.
    public var targetIsVirtual: Bool
    /// How many calls were seen.
    public var calls: UInt64
    /// How many of them failed: the child span's status is ERROR, or the
    /// calling CLIENT/PRODUCER span's status is.
    public var errors: UInt64
    /// The durations of the called side's spans (the SERVER/CONSUMER child;
    /// the CLIENT span itself for a virtual node).
    public var latency: LatencyHistogram

    public init(source: String, target: String, targetIsVirtual: Bool = false,
                calls: UInt64 = 0, errors: UInt64 = 0, latency: LatencyHistogram = LatencyHistogram()) {
        self.source = source
        self.target = target
        self.targetIsVirtual = targetIsVirtual
        self.calls = calls
        self.errors = errors
        self.latency = latency
    }

    /// `errors / calls`, 0 when there were no calls.
    public var errorRate: Double { calls == 0 ? 0 : Double(errors) / Double(calls) }
}
