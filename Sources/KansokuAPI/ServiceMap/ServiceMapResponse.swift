/// JSON bodies for the service map: Jaeger's `/api/dependencies` shape, for
/// Jaeger UI and Grafana's Jaeger data source, and Kansoku's own richer one.
public enum ServiceMapResponse {
    /// Jaeger's `/api/dependencies` body:
    /// `{"data":[{"parent":"a","child":"b","callCount":N},…],"total":0,"limit":0,"offset":0,"errors":null}`,
    /// one link per edge in the order given (virtual targets included).
    public static func jaegerDependencies(_ edges: [ServiceEdge]) -> [UInt8] {
        var json = JSONWriter(reservingCapacity: 64 + edges.count * 64)
        json.beginObject()
        json.key("data")
        json.beginArray()
        for edge in edges {
            json.beginObject()
            json.key("parent"); json.string(edge.source)
            json.key("child"); json.string(edge.target)
            json.key("callCount"); json.number(edge.calls)
            json.endObject()
        }
        json.endArray()
        json.key("total"); json.number(Int64(0))
        json.key("limit"); json.number(Int64(0))
        json.key("offset"); json.number(Int64(0))
        json.key("errors"); json.null()
        json.endObject()
        return json.bytes
    }

    /// Kansoku's service map body:
    ///
    /// ```
    /// {"start":"<ns>","end":"<ns>",
    ///  "nodes":[{"service":…,"requests":N,"errors":N,"virtual":false},…],
    ///  "edges":[{"source":…,"target":…,"calls":N,"errors":N,"errorRate":0.1,
    ///            "p50Seconds":…,"p95Seconds":…,"p99Seconds":…,
    ///            "buckets":[{"le":"0.002","count":N},…,{"le":"+Inf","count":N}]},…]}
    /// ```
    ///
    /// Timestamps are strings (they exceed 2^53); bucket counts are
    /// cumulative, as Prometheus `le` buckets are; percentiles are null only
    /// for an edge without calls. Nodes and edges keep the map's order.
    public static func kansoku(_ map: ServiceMap) -> [UInt8] {
        var json = JSONWriter(reservingCapacity: 128 + map.nodes.count * 80 + map.edges.count * 700)
        json.beginObject()
        json.key("start"); json.quotedNumber(map.startNanos)
        json.key("end"); json.quotedNumber(map.endNanos)
        json.key("nodes")
        json.beginArray()
        for node in map.nodes {
            json.beginObject()
            json.key("service"); json.string(node.service)
            json.key("requests"); json.number(node.requests)
            json.key("errors"); json.number(node.errors)
            json.key("virtual"); json.bool(node.isVirtual)
            json.endObject()
        }
        json.endArray()
        json.key("edges")
        json.beginArray()
        for edge in map.edges {
            json.beginObject()
            json.key("source"); json.string(edge.source)
            json.key("target"); json.string(edge.target)
            json.key("virtual"); json.bool(edge.targetIsVirtual)
            json.key("calls"); json.number(edge.calls)
            json.key("errors"); json.number(edge.errors)
            json.key("errorRate"); json.number(edge.errorRate)
            json.percentileMembers(of: edge.latency)
            json.key("buckets"); json.cumulativeBuckets(of: edge.latency)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
