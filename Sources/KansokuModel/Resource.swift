/// The entity that produced telemetry (a service instance, a pod, a host).
public struct Resource: Sendable, Hashable {
    public var attributes: [Attribute]
    public var droppedAttributesCount: UInt32

    public init(attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0) {
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }

    /// The `service.name` attribute, which most views group by.
    public var serviceName: String? { attributes[key: "service.name"]?.stringValue }
}

/// The library or component that recorded the telemetry.
public struct InstrumentationScope: Sendable, Hashable {
    public var name: String
    public var version: String
    public var attributes: [Attribute]
    public var droppedAttributesCount: UInt32

    public init(name: String = "", version: String = "", attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0) {
        self.name = name
        self.version = version
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }
}
