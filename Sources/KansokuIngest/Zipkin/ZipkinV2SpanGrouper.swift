import KansokuModel

/// Builds the resource → scope → spans tree of converted Zipkin spans, keeping
/// first-appearance order: one `ResourceItems` per local service name (spans
/// without one share a resource with no attributes) and, within it, one
/// `ScopedItems` per instrumentation scope.
struct ZipkinV2SpanGrouper {
    private(set) var batch = SpanBatch()
    /// Resource position by local service name (nil: no service name).
    private var resourceIndex: [String?: Int] = [:]
    /// Scope position by resource position, scope name and version.
    private var scopeIndex: [ScopeKey: Int] = [:]

    private struct ScopeKey: Hashable {
        var resource: Int
        var name: String
        var version: String
    }

    mutating func add(_ converted: ZipkinV2SpanConverter.Converted) {
        let r: Int
        if let existing = resourceIndex[converted.serviceName] {
            r = existing
        } else {
            // Like the Collector, the first span of a service decides its resource.
            r = batch.resources.count
            batch.resources.append(ResourceItems(resource: converted.resource, scopes: []))
            resourceIndex[converted.serviceName] = r
        }
        let key = ScopeKey(resource: r, name: converted.scope.name, version: converted.scope.version)
        if let s = scopeIndex[key] {
            batch.resources[r].scopes[s].items.append(converted.span)
        } else {
            scopeIndex[key] = batch.resources[r].scopes.count
            batch.resources[r].scopes.append(ScopedItems(scope: converted.scope, items: [converted.span]))
        }
    }
}
