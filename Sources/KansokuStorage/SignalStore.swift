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

/// The stores of all three signals, as the server wires them.
public struct TelemetryStorage: Sendable {
    public let traces: any SignalStore<Span>
    public let logs: any SignalStore<LogRecord>
    public let metrics: any SignalStore<Metric>

    public init(traces: any SignalStore<Span>, logs: any SignalStore<LogRecord>, metrics: any SignalStore<Metric>) {
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
