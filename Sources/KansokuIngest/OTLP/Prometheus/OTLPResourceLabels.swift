import KansokuModel

/// What a resource contributes to translated series (spec "Resource
/// Attributes", as Prometheus's OTLP receiver applies it):
/// - `job` = `service.namespace/service.name` (or just `service.name`) and
///   `instance` = `service.instance.id`, on every series of the resource;
/// - the other resource attributes only on one `target_info` series, joined to
///   the others by `job`/`instance`. Like Prometheus, `target_info` is left out
///   when the resource has no other attributes (it would say nothing) or
///   neither `job` nor `instance` (nothing could join it).
struct OTLPResourceLabels {
    static let serviceName = "service.name"
    static let serviceNamespace = "service.namespace"
    static let serviceInstanceID = "service.instance.id"
    static let targetInfoName = "target_info"

    /// `instance` and `job`, sorted, either may be missing.
    let identity: [SeriesLabel]
    /// The whole `target_info` identity, or nil when none is emitted.
    let targetInfo: SeriesLabels?

    init(_ resource: Resource) {
        let attributes = resource.attributes
        var identity: [SeriesLabel] = []
        if let instance = attributes[key: Self.serviceInstanceID] {
            identity.append(SeriesLabel(name: "instance", value: OTLPAttributeText.string(instance)))
        }
        if let name = attributes[key: Self.serviceName] {
            var job = OTLPAttributeText.string(name)
            if let namespace = attributes[key: Self.serviceNamespace] {
                job = OTLPAttributeText.string(namespace) + "/" + job
            }
            identity.append(SeriesLabel(name: "job", value: job))
        }
        self.identity = identity

        let identifying: Set<String> = [Self.serviceName, Self.serviceNamespace, Self.serviceInstanceID]
        guard attributes.contains(where: { !identifying.contains($0.key) }) else {
            targetInfo = nil
            return
        }
        let own = PrometheusLabelList.fromAttributes(attributes, excluding: identifying)
        let labels = PrometheusLabelList.series(PrometheusLabelList.merge(own, identity), name: Self.targetInfoName)
        targetInfo = labels["job"] != nil || labels["instance"] != nil ? labels : nil
    }
}
