import KansokuModel
import KansokuStorage

/// Builds a `ServiceMap` from span batches fed one at a time, pairing spans
/// the way the OpenTelemetry Collector's servicegraph connector and Jaeger's
/// dependency links do.
///
/// Only spans whose start lies in `[startNanos, endNanos]` count. While
/// batches are added, each such span is kept as a small `SpanSummary` in a
/// per-trace index; `build()` then pairs children with parents:
///
/// - A span of service B whose parent span (same trace) belongs to service
///   A ≠ B is one call A → B. When the parent is a CLIENT/PRODUCER span that
///   has SERVER/CONSUMER children in other services, only those children
///   count (the proper client/server pair); otherwise every cross-service
///   child does. The call failed if the child's status is ERROR or the
///   calling CLIENT/PRODUCER span's is; its latency is the child's duration.
/// - A CLIENT/PRODUCER span with no child in another service (and no nested
///   CLIENT/PRODUCER span of its own service, which would account for the
///   call instead) that names its peer in `peer.service`, `server.address`
///   or `net.peer.name` is one call to that name, timed by the client span.
///   When no span of that name was seen in the window the target is a
///   virtual node, as the servicegraph connector's `virtual_node_peer_attributes`
///   makes it.
///
/// A parent that started before the window, or that was never stored,
/// yields no edge for its children.
public struct ServiceMapBuilder: Sendable {
    /// The window's first nanosecond, inclusive.
    public let startNanos: UInt64
    /// The window's last nanosecond, inclusive.
    public let endNanos: UInt64

    /// The attributes naming the peer of a CLIENT/PRODUCER span, in order of preference.
    public static let peerAttributes = ["peer.service", "server.address", "net.peer.name"]

    private var names = StringTable()
    private var index = TraceSpanIndex()

    public init(startNanos: UInt64, endNanos: UInt64) {
        self.startNanos = startNanos
        self.endNanos = endNanos
    }

    /// Indexes the spans of `batch` that started in the window.
    public mutating func add(_ batch: SpanBatch) {
        for group in batch.resources {
            let service = group.resource.serviceName ?? ""
            for scoped in group.scopes {
                for span in scoped.items { add(SpanOverview(span, service: service, attributeKeys: Self.peerAttributes)) }
            }
        }
    }

    /// Indexes `span` if it started in the window; of its attributes only
    /// `peerAttributes` are looked at.
    public mutating func add(_ span: SpanOverview) {
        guard span.startTimeUnixNano >= startNanos && span.startTimeUnixNano <= endNanos else { return }
        // Jaeger's name for a resource without a service name.
        let service = names.intern(span.service.isEmpty ? JaegerProcessTable.noServiceName : span.service)
        var peer: Int32 = -1
        if span.kind == .client || span.kind == .producer, let name = Self.peerName(in: span.attributes) {
            peer = names.intern(name)
        }
        let summary = SpanSummary(parentSpanID: span.parentSpanID, service: service, peer: peer, kind: span.kind,
                                  isError: span.statusCode == .error, durationNanos: span.durationNanos)
        index.insert(summary, traceID: span.traceID, spanID: span.spanID)
    }

    /// The first non-empty string among `peerAttributes` in `attributes`.
    static func peerName(in attributes: [Attribute]) -> String? {
        for key in peerAttributes {
            if let value = attributes[key: key]?.stringValue, !value.isEmpty { return value }
        }
        return nil
    }

    /// The map of everything added so far.
    public func build() -> ServiceMap {
        var nodes: [Int32: NodeCounts] = [:]
        var edges: [EdgeKey: ServiceEdge] = [:]

        func record(source: Int32, target: Int32, failed: Bool, durationNanos: UInt64) {
            let key = EdgeKey(source: source, target: target)
            if edges[key] == nil { edges[key] = ServiceEdge(source: names[source], target: names[target]) }
            edges[key]!.calls += 1
            if failed { edges[key]!.errors += 1 }
            edges[key]!.latency.record(nanos: durationNanos)
        }

        for spans in index.traces.values {
            var crossChildren: [SpanID: [SpanSummary]] = [:]
            var hasNestedCaller = Set<SpanID>()
            for summary in spans.values {
                nodes[summary.service, default: NodeCounts()].add(summary)
                guard !summary.parentSpanID.isZero, let parent = spans[summary.parentSpanID] else { continue }
                if parent.service != summary.service {
                    crossChildren[summary.parentSpanID, default: []].append(summary)
                } else if summary.isCaller {
                    hasNestedCaller.insert(summary.parentSpanID)
                }
            }
            for (parentID, children) in crossChildren {
                let parent = spans[parentID]!
                let callees = parent.isCaller ? children.filter(\.isCallee) : []
                for child in callees.isEmpty ? children : callees {
                    record(source: parent.service, target: child.service,
                           failed: child.isError || (parent.isCaller && parent.isError),
                           durationNanos: child.durationNanos)
                }
            }
            for (spanID, span) in spans where span.peer >= 0 && span.peer != span.service
                && crossChildren[spanID] == nil && !hasNestedCaller.contains(spanID) {
                record(source: span.service, target: span.peer, failed: span.isError, durationNanos: span.durationNanos)
            }
        }

        var virtualNodes: [Int32: ServiceNode] = [:]
        for (key, edge) in edges where nodes[key.target] == nil {
            virtualNodes[key.target, default: ServiceNode(service: edge.target, isVirtual: true)].requests += edge.calls
            virtualNodes[key.target]!.errors += edge.errors
            edges[key]!.targetIsVirtual = true
        }
        let realNodes = nodes.map { id, counts in
            ServiceNode(service: names[id], requests: counts.requests, errors: counts.errors)
        }
        return ServiceMap(
            startNanos: startNanos, endNanos: endNanos,
            nodes: (realNodes + virtualNodes.values).sorted { $0.service < $1.service },
            edges: edges.values.sorted { ($0.source, $0.target) < ($1.source, $1.target) })
    }
}

/// An edge's identity while building: interned source and target.
private struct EdgeKey: Hashable {
    var source: Int32
    var target: Int32
}

/// A real service's span counts while building.
private struct NodeCounts {
    var calleeSpans: UInt64 = 0
    var calleeErrors: UInt64 = 0
    var allSpans: UInt64 = 0
    var allErrors: UInt64 = 0

    mutating func add(_ span: SpanSummary) {
        allSpans += 1
        if span.isError { allErrors += 1 }
        if span.isCallee {
            calleeSpans += 1
            if span.isError { calleeErrors += 1 }
        }
    }

    /// SERVER/CONSUMER spans, or all spans when the service has none.
    var requests: UInt64 { calleeSpans > 0 ? calleeSpans : allSpans }
    var errors: UInt64 { calleeSpans > 0 ? calleeErrors : allErrors }
}
