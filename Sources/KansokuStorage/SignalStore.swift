import KansokuModel

/// Where one signal's data is kept. The embedded engine implements it today;
/// a ClickHouse-backed store is meant to slot in behind the same protocol.
public protocol SignalStore<Item>: Sendable {
    associatedtype Item: Sendable & Hashable

    /// Persists `batch`; returns only once it is durable.
    func append(_ batch: TelemetryBatch<Item>) async throws

    /// Visits stored batches oldest first until `visit` returns false.
    /// Reads from disk: call it off the event loops.
    func forEachBatch(_ visit: (TelemetryBatch<Item>) throws -> Bool) throws

    /// Makes everything appended so far durable and releases files.
    func close() async
}

/// A span store that can also find one trace without reading everything.
public protocol TraceSignalStore: SignalStore where Item == Span {
    /// Every stored span of `traceID`, however many batches and services it arrived in.
    /// Reads from disk: call it off the event loops.
    func spans(ofTrace traceID: TraceID) throws -> SpanBatch

    /// Several traces at once, each complete; traces with no stored span are absent.
    /// One pass over unindexed data however many traces are asked for.
    func spans(ofTraces traceIDs: Set<TraceID>) throws -> [TraceID: SpanBatch]

    /// Like `forEachBatch`, but may skip stored data that cannot hold a span
    /// starting in `startTimes` (nanoseconds) for one of `services`
    /// (`service.name`; nil = any). Visited batches may still hold other
    /// spans: callers filter.
    func forEachBatch(startingIn startTimes: ClosedRange<UInt64>?, services: Set<String>?,
                      _ visit: (SpanBatch) throws -> Bool) throws

    /// The `limit` traces whose most recently started span that passes
    /// `filter` (and `predicate`, when given) started last, most recent first
    /// (ties by descending trace id). What a trace search asks before it
    /// fetches the traces it shows.
    func recentTraces(matching filter: SpanSearchFilter, limit: Int,
                      where predicate: SpanSearchPredicate?) throws -> [TraceSearchHit]

    /// Every distinct (service, span name, kind) stored; for service and operation lists.
    func operations() throws -> Set<SpanOperation>

    /// Calls `visit` with every stored span that passes `filter`, without its
    /// events and links and with only the attributes keyed by one of
    /// `attributeKeys`; for rate, error and duration statistics and the
    /// service map. A span stored twice is visited twice. Reads from disk:
    /// call it off the event loops.
    func forEachSpanOverview(matching filter: SpanSearchFilter, attributeKeys: [String],
                             _ visit: (SpanOverview) throws -> Void) throws

    /// Every resource and span attribute key stored, with the kinds of value
    /// seen and at most `limitValues` distinct values per key, plus status
    /// codes, status messages and root operations; for tag listings. A key
    /// whose summary is incomplete lists its smallest values only
    /// (``TraceAttributeSummary``): a store with a catalogue may know fewer
    /// than `limitValues` of them (at least ``TraceAttributeCatalog/valuesPerKey``).
    func attributeCatalog(limitValues: Int) throws -> TraceAttributeCatalog

    /// What is stored of one attribute key in `scope` (nil: resource and span
    /// attributes together) or of one intrinsic (scope `.intrinsic`, key a
    /// ``TraceAttributeCatalog/Intrinsic`` raw value), at most `limit` values;
    /// incomplete as ``attributeCatalog(limitValues:)`` describes.
    func attributeValues(scope: TraceAttributeScope?, key: String, limit: Int) throws -> TraceAttributeSummary
}

extension TraceSignalStore {
    /// Stores without a batched lookup fetch the traces one by one.
    public func spans(ofTraces traceIDs: Set<TraceID>) throws -> [TraceID: SpanBatch] {
        var found = [TraceID: SpanBatch]()
        for traceID in traceIDs {
            let batch = try spans(ofTrace: traceID)
            if !batch.isEmpty { found[traceID] = batch }
        }
        return found
    }

    /// Stores without their own search check every span they visit.
    public func recentTraces(matching filter: SpanSearchFilter, limit: Int,
                             where predicate: SpanSearchPredicate?) throws -> [TraceSearchHit] {
        var collector = RecentTraceCollector(limit: limit)
        try forEachBatch(startingIn: filter.startTimes, services: filter.services) { batch in
            for group in batch.resources {
                let service = group.resource.serviceName ?? ""
                for scoped in group.scopes {
                    for span in scoped.items where filter.matches(span, service: service)
                        && predicate?(span, scoped.scope, group.resource) ?? true {
                        collector.add(span.traceID, start: span.startTimeUnixNano)
                    }
                }
            }
            return true
        }
        return collector.hits()
    }

    /// Stores without narrow columns visit every span.
    public func forEachSpanOverview(matching filter: SpanSearchFilter, attributeKeys: [String],
                                    _ visit: (SpanOverview) throws -> Void) throws {
        try forEachBatch(startingIn: filter.startTimes, services: filter.services) { batch in
            for group in batch.resources {
                let service = group.resource.serviceName ?? ""
                for scoped in group.scopes {
                    for span in scoped.items where filter.matches(span, service: service) {
                        try visit(SpanOverview(span, service: service, attributeKeys: attributeKeys))
                    }
                }
            }
            return true
        }
    }

    /// Stores without a catalogue visit every span.
    public func operations() throws -> Set<SpanOperation> {
        var operations = Set<SpanOperation>()
        try forEachBatch { batch in
            for group in batch.resources {
                let service = group.resource.serviceName ?? ""
                for scoped in group.scopes {
                    for span in scoped.items { operations.insert(SpanOperation(service: service, name: span.name, kind: span.kind)) }
                }
            }
            return true
        }
        return operations
    }

    /// Stores without a catalogue visit every span.
    public func attributeCatalog(limitValues: Int) throws -> TraceAttributeCatalog {
        var builder = TraceAttributeCatalogBuilder(valuesPerKey: limitValues, resourceValuesPerKey: limitValues)
        try forEachBatch { builder.add($0); return true }
        return builder.build()
    }

    /// Stores without a catalogue visit every span, collecting only `key`.
    public func attributeValues(scope: TraceAttributeScope?, key: String, limit: Int) throws -> TraceAttributeSummary {
        var builder = TraceAttributeCatalogBuilder(valuesPerKey: limit, resourceValuesPerKey: limit, keys: scope == .intrinsic ? [] : [key])
        try forEachBatch { builder.add($0); return true }
        return builder.build().values(scope: scope, key: key, limit: limit)
    }

    /// The attribute keys stored, per attribute scope (resource and span),
    /// from ``attributeCatalog(limitValues:)`` without values.
    public func attributeNames() throws -> [TraceAttributeScope: Set<String>] {
        let catalog = try attributeCatalog(limitValues: 0)
        return [.resource: Set(catalog.resourceAttributes.keys), .span: Set(catalog.spanAttributes.keys)]
    }

    /// Stores without indexes visit everything.
    public func forEachBatch(startingIn startTimes: ClosedRange<UInt64>?, services: Set<String>?,
                             _ visit: (SpanBatch) throws -> Bool) throws {
        try forEachBatch(visit)
    }
}

/// A log store that answers stream queries (LogQL's selector and its
/// pre-filters) without reading everything.
public protocol LogSignalStore: SignalStore where Item == LogRecord {
    /// Persists `lines` as ``SignalStore/append(_:)`` persists
    /// `lines.logBatch()`, and returns only once they are durable.
    func append(_ lines: LogLineBatch) async throws

    /// Streams whose labels satisfy `predicate`, with their entries in
    /// `[start, end)` (ns), ascending. May skip stored data that cannot hold
    /// every token of `mustContain` or `traceID` (entries are filtered by
    /// `traceID`), or that cannot meet `requirement`; callers filter lines exactly.
    func streams(matching predicate: (LogStreamLabels) -> Bool, start: Int64, end: Int64,
                 mustContain tokens: [String], traceID: TraceID?,
                 requiring requirement: LogEntryRequirement?) throws -> [LogStoreStream]

    /// The same entries as ``streams(matching:start:end:mustContain:traceID:requiring:)``
    /// as runs of one stream each (``LogStoreChunk``) whose time spans are
    /// known before their lines are read, in arrival order; a query sorts
    /// them (``Swift/Array/sortedForReading(newestFirst:)``) and reads only
    /// those that can change its answer.
    func chunks(matching predicate: (LogStreamLabels) -> Bool, start: Int64, end: Int64,
                mustContain tokens: [String], traceID: TraceID?,
                requiring requirement: LogEntryRequirement?) throws -> [LogStoreChunk]

    /// Loki's index statistics of the streams whose labels satisfy `predicate`
    /// over `[start, end)` (ns), from block metadata where possible.
    func indexStats(matching predicate: (LogStreamLabels) -> Bool, start: Int64, end: Int64) throws -> LogIndexStats

    /// Label sets of the streams with data in `[start, end)`, without reading
    /// their lines (it may include a stream whose data only nears the range).
    func streamLabels(start: Int64, end: Int64) throws -> Set<LogStreamLabels>
}

extension LogSignalStore {
    /// Stores without a faster path convert the lines first.
    public func append(_ lines: LogLineBatch) async throws {
        try await append(lines.logBatch())
    }

    /// Stream label names with data in `[start, end)`, sorted.
    public func labelNames(start: Int64, end: Int64) throws -> [String] {
        Set(try streamLabels(start: start, end: end).flatMap(\.names)).sorted()
    }

    /// Values of stream label `name` with data in `[start, end)`, sorted.
    public func labelValues(name: String, start: Int64, end: Int64) throws -> [String] {
        Set(try streamLabels(start: start, end: end).compactMap { $0[name] }).sorted()
    }
}

/// Work a store does in the background to move data to its long-term form.
public protocol Compacting: Sendable {
    /// Does whatever is due; returns how many units (blocks) it wrote. Blocking.
    func compact() throws -> Int
}

/// The stores of all three signals, as the server wires them.
public struct TelemetryStorage: Sendable {
    public let traces: any TraceSignalStore
    public let logs: any LogSignalStore
    public let metrics: any MetricSeriesStore

    public init(traces: any TraceSignalStore, logs: any LogSignalStore, metrics: any MetricSeriesStore) {
        self.traces = traces
        self.logs = logs
        self.metrics = metrics
    }

    public func close() async {
        await traces.close()
        await logs.close()
        await metrics.close()
    }
}
