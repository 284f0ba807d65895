import KansokuModel

/// Which items a debug read returns: the query parameters of
/// `GET /api/kansoku/v1/debug/{traces|logs}` (see docs/CONTRACTS.md).
public struct DebugFilter: Sendable, Hashable {
    /// The limit when the request names none.
    public static let defaultLimit = 100_000

    /// Only spans and log records of this trace.
    public var traceID: TraceID?
    /// Only items whose resource has this `service.name`.
    public var serviceName: String?
    /// At most this many items (spans or log records) in the whole
    /// response; zero or less returns none.
    public var limit: Int

    /// A filter; the defaults match everything, up to `defaultLimit` items.
    public init(traceID: TraceID? = nil, serviceName: String? = nil, limit: Int = DebugFilter.defaultLimit) {
        self.traceID = traceID
        self.serviceName = serviceName
        self.limit = limit
    }

    /// Whether items of `resource` can match at all.
    func matches(_ resource: Resource) -> Bool {
        guard let serviceName else { return true }
        return resource.serviceName == serviceName
    }

    /// Whether an item of trace `id` matches.
    func matches(_ id: TraceID) -> Bool {
        guard let traceID else { return true }
        return id == traceID
    }
}
