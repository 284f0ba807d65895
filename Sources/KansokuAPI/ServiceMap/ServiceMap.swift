import KansokuModel
import KansokuStorage

/// Which services call which, computed from the spans that started in a
/// time window: the nodes (services) and edges (caller → callee) with call
/// counts, error counts and callee latency.
public struct ServiceMap: Sendable, Hashable {
    /// The window's first nanosecond (Unix time), inclusive.
    public var startNanos: UInt64
    /// The window's last nanosecond (Unix time), inclusive.
    public var endNanos: UInt64
    /// Every service seen, real or virtual, sorted by name.
    public var nodes: [ServiceNode]
    /// Every caller → callee pair seen, sorted by source then target.
    public var edges: [ServiceEdge]

    public init(startNanos: UInt64, endNanos: UInt64, nodes: [ServiceNode] = [], edges: [ServiceEdge] = []) {
        self.startNanos = startNanos
        self.endNanos = endNanos
        self.nodes = nodes
        self.edges = edges
    }

    /// Builds the map of the stored spans whose start lies in `[startNanos,
    /// endNanos]`, from the store's span overviews with the peer attributes
    /// only (no other attributes, events or links are read). Reads from disk
    /// and blocks: call it off the event loops.
    public static func compute(in store: some TraceSignalStore, startNanos: UInt64, endNanos: UInt64) throws -> ServiceMap {
        var builder = ServiceMapBuilder(startNanos: startNanos, endNanos: endNanos)
        guard startNanos <= endNanos else { return builder.build() }
        try store.forEachSpanOverview(matching: SpanSearchFilter(startTimes: startNanos...endNanos),
                                      attributeKeys: ServiceMapBuilder.peerAttributes) { span in
            builder.add(span)
        }
        return builder.build()
    }
}
