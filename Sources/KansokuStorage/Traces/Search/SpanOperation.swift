import KansokuModel

/// A kind of span one service records: what Jaeger lists as a service's
/// operations and the services list is made of.
public struct SpanOperation: Sendable, Hashable, Comparable {
    /// `service.name` of the recording resource (`""` when it has none).
    public var service: String
    public var name: String
    public var kind: SpanKind

    public init(service: String, name: String, kind: SpanKind) {
        self.service = service
        self.name = name
        self.kind = kind
    }

    public static func < (a: SpanOperation, b: SpanOperation) -> Bool {
        (a.service, a.name, a.kind.rawValue) < (b.service, b.name, b.kind.rawValue)
    }
}
