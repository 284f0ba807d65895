import KansokuModel

/// One span read back from a block, with the resource and scope it was
/// received with (shared storage: copying them per span is cheap).
public struct TraceBlockSpan: Sendable, Hashable {
    public var resource: Resource
    public var resourceSchemaURL: String
    public var scope: InstrumentationScope
    public var scopeSchemaURL: String
    public var span: Span

    public init(resource: Resource, resourceSchemaURL: String = "", scope: InstrumentationScope,
                scopeSchemaURL: String = "", span: Span) {
        self.resource = resource
        self.resourceSchemaURL = resourceSchemaURL
        self.scope = scope
        self.scopeSchemaURL = scopeSchemaURL
        self.span = span
    }
}

extension TelemetryBatch where Item == Span {
    /// Regroups spans read from blocks under their resources and scopes, in
    /// order of first appearance; spans keep their relative order.
    public init(blockSpans: [TraceBlockSpan]) {
        var resources: [ResourceItems<Span>] = []
        var resourceIndex: [TraceBlockResourceEntry: Int] = [:]
        var scopeIndex: [TraceBlockResourceEntry: [TraceBlockScopeEntry: Int]] = [:]
        for item in blockSpans {
            let rk = TraceBlockResourceEntry(resource: item.resource, schemaURL: item.resourceSchemaURL)
            let r: Int
            if let existing = resourceIndex[rk] {
                r = existing
            } else {
                r = resources.count
                resourceIndex[rk] = r
                resources.append(ResourceItems(resource: item.resource, schemaURL: item.resourceSchemaURL, scopes: []))
            }
            let sk = TraceBlockScopeEntry(scope: item.scope, schemaURL: item.scopeSchemaURL)
            if let s = scopeIndex[rk]?[sk] {
                resources[r].scopes[s].items.append(item.span)
            } else {
                scopeIndex[rk, default: [:]][sk] = resources[r].scopes.count
                resources[r].scopes.append(ScopedItems(scope: item.scope, schemaURL: item.scopeSchemaURL, items: [item.span]))
            }
        }
        self.init(resources: resources)
    }
}
