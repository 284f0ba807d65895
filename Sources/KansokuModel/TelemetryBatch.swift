/// The three signals Kansoku stores; each has its own write-ahead log and store.
public enum Signal: String, Sendable, CaseIterable, Hashable {
    case traces
    case metrics
    case logs
}

/// Items recorded by one instrumentation scope.
public struct ScopedItems<Item: Sendable & Hashable>: Sendable, Hashable {
    public var scope: InstrumentationScope
    public var schemaURL: String
    public var items: [Item]

    public init(scope: InstrumentationScope, schemaURL: String = "", items: [Item]) {
        self.scope = scope
        self.schemaURL = schemaURL
        self.items = items
    }
}

/// Items produced by one resource, grouped by scope.
public struct ResourceItems<Item: Sendable & Hashable>: Sendable, Hashable {
    public var resource: Resource
    public var schemaURL: String
    public var scopes: [ScopedItems<Item>]

    public init(resource: Resource, schemaURL: String = "", scopes: [ScopedItems<Item>]) {
        self.resource = resource
        self.schemaURL = schemaURL
        self.scopes = scopes
    }
}

/// One accepted export request, in Kansoku's model: the unit that is written
/// to the write-ahead log and acknowledged to the client.
public struct TelemetryBatch<Item: Sendable & Hashable>: Sendable, Hashable {
    public var resources: [ResourceItems<Item>]

    public init(resources: [ResourceItems<Item>] = []) {
        self.resources = resources
    }

    /// How many spans, log records or metric data points the batch holds.
    @inlinable
    public var itemCount: Int {
        // Plain loops, inlinable: the generic `reduce` this once was ran
        // unspecialized, looking up metadata for every scope.
        var total = 0
        for resource in resources {
            for scope in resource.scopes { total += scope.items.count }
        }
        return total
    }

    /// Whether the batch holds no item (resources and scopes without items do not count).
    @inlinable
    public var isEmpty: Bool {
        for resource in resources {
            for scope in resource.scopes where !scope.items.isEmpty { return false }
        }
        return true
    }
}

public typealias SpanBatch = TelemetryBatch<Span>
public typealias LogBatch = TelemetryBatch<LogRecord>
public typealias MetricBatch = TelemetryBatch<Metric>

/// Resource identity for grouping: attributes and schema URL.
private struct ResourceKey: Hashable {
    var resource: Resource
    var schemaURL: String
}

/// Scope identity for grouping: name, version, attributes and schema URL.
private struct ScopeKey: Hashable {
    var scope: InstrumentationScope
    var schemaURL: String
}

extension TelemetryBatch {
    /// The same items with equal resources (attributes and schema URL) grouped
    /// into one entry, and equal scopes within it likewise, in order of first
    /// appearance. Batches that arrived separately read as one.
    public func mergingEqualResources() -> TelemetryBatch {
        var merged = TelemetryBatch()
        var resourceIndex = [ResourceKey: Int]()
        var scopeIndex = [[ScopeKey: Int]]()
        for resource in resources {
            let key = ResourceKey(resource: resource.resource, schemaURL: resource.schemaURL)
            let r: Int
            if let existing = resourceIndex[key] {
                r = existing
            } else {
                r = merged.resources.count
                resourceIndex[key] = r
                merged.resources.append(ResourceItems(resource: resource.resource, schemaURL: resource.schemaURL, scopes: []))
                scopeIndex.append([:])
            }
            for scoped in resource.scopes {
                let scopeKey = ScopeKey(scope: scoped.scope, schemaURL: scoped.schemaURL)
                if let s = scopeIndex[r][scopeKey] {
                    merged.resources[r].scopes[s].items += scoped.items
                } else {
                    scopeIndex[r][scopeKey] = merged.resources[r].scopes.count
                    merged.resources[r].scopes.append(scoped)
                }
            }
        }
        return merged
    }
}
