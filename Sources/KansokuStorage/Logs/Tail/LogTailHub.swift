import KansokuModel
import Synchronization

/// The live side of the log store: the sink publishes every log batch here
/// once it is durable, and each live tail holds a ``LogTailSubscription``
/// that receives the entries its filter accepts into a bounded buffer.
///
/// Publishing never waits for a subscriber: a tail that reads too slowly
/// loses entries (counted and reported to it) instead of holding memory or
/// slowing ingest. With no subscriber a publish costs one lock.
public final class LogTailHub: Sendable {
    /// The label mapping the store uses, so live entries carry the labels a query of the store shows.
    public let mapping: LogLabelMapping
    /// The most tails open at once (Loki's `max_concurrent_tail_requests` plays this role).
    public let maxSubscribers: Int

    private struct State {
        var subscribers: [UInt64: LogTailSubscription] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    public init(mapping: LogLabelMapping = LogLabelMapping(), maxSubscribers: Int = 64) {
        self.mapping = mapping
        self.maxSubscribers = maxSubscribers
    }

    /// How many tails are open.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Opens a subscription holding at most `capacity` undelivered entries.
    /// `filter` runs on the publisher's task for every published entry and
    /// returns the entry to deliver (possibly rewritten) or nil to skip it.
    public func subscribe(capacity: Int,
                          filter: @escaping @Sendable (LogTailEntry) -> LogTailEntry?) throws(LogTailError) -> LogTailSubscription {
        try state.withLock { state throws(LogTailError) in
            guard state.subscribers.count < maxSubscribers else { throw .tooManyTails(limit: maxSubscribers) }
            state.nextID += 1
            let id = state.nextID
            let subscription = LogTailSubscription(capacity: capacity, filter: filter) { [weak self] in
                self?.unsubscribe(id)
            }
            state.subscribers[id] = subscription
            return subscription
        }
    }

    /// Offers every record of `batch` to the open subscriptions. Call it only
    /// after the store acknowledged `batch` as durable, so a tail never shows
    /// a line a query could not find.
    public func publish(_ batch: LogBatch) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        guard !subscribers.isEmpty else { return }
        let entries = self.entries(of: batch)
        guard !entries.isEmpty else { return }
        for subscriber in subscribers { subscriber.offer(entries) }
    }

    /// ``publish(_:)-(LogBatch)`` for lines not made into records yet: they
    /// are converted only when a tail is open.
    public func publish(_ lines: LogLineBatch) {
        guard subscriberCount > 0 else { return }
        publish(lines.logBatch())
    }

    /// The batch's records as entries with their stream labels and structured metadata.
    func entries(of batch: LogBatch) -> [LogTailEntry] {
        var entries: [LogTailEntry] = []
        for resourceItems in batch.resources {
            let labels = mapping.labels(for: resourceItems.resource).pairs
            let resource = mapping.resourceMetadata(resourceItems.resource)
            for scoped in resourceItems.scopes {
                for record in scoped.items {
                    entries.append(LogTailEntry(
                        labels: labels, timestampNanos: Int64(clamping: LogBlockEntryCodec.timestamp(of: record)), line: LogLine.render(record.body),
                        structuredMetadata: mapping.structuredMetadata(of: record, resource: resource)))
                }
            }
        }
        return entries
    }

    private func unsubscribe(_ id: UInt64) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: id) }
    }
}

/// Why a tail could not be opened.
public enum LogTailError: Error, Sendable, Hashable, CustomStringConvertible {
    case tooManyTails(limit: Int)

    public var description: String {
        switch self {
        case .tooManyTails(let limit): return "max concurrent tail requests limit exceeded (limit \(limit))"
        }
    }
}
