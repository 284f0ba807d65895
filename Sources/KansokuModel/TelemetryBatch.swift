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
    public var itemCount: Int {
        resources.reduce(0) { total, r in r.scopes.reduce(total) { $0 + $1.items.count } }
    }

    public var isEmpty: Bool { itemCount == 0 }
}

public typealias SpanBatch = TelemetryBatch<Span>
public typealias LogBatch = TelemetryBatch<LogRecord>
public typealias MetricBatch = TelemetryBatch<Metric>
