import KansokuModel

/// The processes of one Jaeger trace: one per distinct resource, with ids
/// `p1`, `p2`, … in order of first appearance.
///
/// A process is the resource as the OpenTelemetry→Jaeger translator maps it:
/// `service.name` becomes `serviceName` (`OTLP_ResourceNoServiceName` when
/// absent, as the translator writes it) and every other resource attribute
/// becomes a process tag.
struct JaegerProcessTable {
    /// The service name the translator uses for a resource without one.
    static let noServiceName = "OTLP_ResourceNoServiceName"

    private var indexByAttributes: [[Attribute]: Int] = [:]
    private(set) var resources: [Resource] = []

    /// The id (`p1`, …) of `resource`'s process, adding it if it is new.
    /// Resources with the same attributes share a process.
    mutating func processID(for resource: Resource) -> String {
        if let index = indexByAttributes[resource.attributes] { return Self.id(index) }
        let index = resources.count
        indexByAttributes[resource.attributes] = index
        resources.append(resource)
        return Self.id(index)
    }

    /// Writes the `processes` object: `{"p1":{"serviceName":…,"tags":[…]},…}`.
    func write(to json: inout JSONWriter) {
        json.beginObject()
        for (index, resource) in resources.enumerated() {
            json.key(Self.id(index))
            json.beginObject()
            json.key("serviceName"); json.string(Self.serviceName(of: resource))
            json.key("tags")
            json.beginArray()
            for attribute in resource.attributes where attribute.key != "service.name" {
                JaegerTag(attribute).write(to: &json)
            }
            json.endArray()
            json.endObject()
        }
        json.endObject()
    }

    /// The Jaeger service name of `resource`.
    static func serviceName(of resource: Resource) -> String {
        guard let name = resource.serviceName, !name.isEmpty else { return noServiceName }
        return name
    }

    private static func id(_ index: Int) -> String { "p\(index + 1)" }
}
