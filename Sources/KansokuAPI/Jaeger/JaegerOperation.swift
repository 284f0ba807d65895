/// One operation of a service, as `/api/operations` lists it: a span name and
/// the span kind it was recorded with (`server`, `client`, `producer`,
/// `consumer`, `internal`, or `""` for an unspecified kind).
public struct JaegerOperation: Sendable, Hashable, Comparable {
    public var name: String
    public var spanKind: String

    public init(name: String, spanKind: String) {
        self.name = name
        self.spanKind = spanKind
    }

    /// By name, then span kind.
    public static func < (a: JaegerOperation, b: JaegerOperation) -> Bool {
        (a.name, a.spanKind) < (b.name, b.spanKind)
    }
}
