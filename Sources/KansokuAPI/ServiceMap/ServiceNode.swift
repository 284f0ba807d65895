/// One service of the service map and the requests it handled in the window.
public struct ServiceNode: Sendable, Hashable {
    /// The `service.name`, or the peer name of a virtual node.
    public var service: String
    /// The service's SERVER/CONSUMER spans, or all its spans when it has none
    /// (a batch job, a pure client). For a virtual node: the calls into it.
    public var requests: UInt64
    /// How many of those spans (calls) have status ERROR.
    public var errors: UInt64
    /// Whether the service sent no spans and is known only from its callers.
    public var isVirtual: Bool

    public init(service: String, requests: UInt64 = 0, errors: UInt64 = 0, isVirtual: Bool = false) {
        self.service = service
        self.requests = requests
        self.errors = errors
        self.isVirtual = isVirtual
    }

    /// `errors / requests`, 0 when there were none.
    public var errorRate: Double { requests == 0 ? 0 : Double(errors) / Double(requests) }
}
