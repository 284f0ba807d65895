import Synchronization

/// One live tail's view of ``LogTailHub``: a bounded buffer of the entries
/// its filter accepted, read with ``next(timeout:)``.
///
/// When the buffer is full, newly published entries are dropped and
/// counted (the first ``maxDropsListed`` with their labels and time), and
/// the next delivery reports them, as Loki's `dropped_entries` do.
public final class LogTailSubscription: Sendable {
    /// How many dropped entries a delivery lists individually; the rest are only counted.
    public static let maxDropsListed = 1000

    /// The most entries held for the reader.
    public let capacity: Int
    private let filter: @Sendable (LogTailEntry) -> LogTailEntry?
    private let onCancel: @Sendable () -> Void

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var buffered: [LogTailEntry] = []
        var dropped: [LogTailDrop] = []
        var droppedCount = 0
        var cancelled = false
        var waiter: Waiter?
        var waits: UInt64 = 0
        /// The wait whose timeout fired before it started waiting.
        var expiredWait: UInt64?

        var hasNews: Bool { !buffered.isEmpty || droppedCount > 0 }

        mutating func take() -> LogTailDelivery {
            defer { buffered = []; dropped = []; droppedCount = 0 }
            return LogTailDelivery(entries: buffered, dropped: dropped, droppedCount: droppedCount)
        }
    }

    private let state = Mutex(State())

    init(capacity: Int, filter: @escaping @Sendable (LogTailEntry) -> LogTailEntry?, onCancel: @escaping @Sendable () -> Void) {
        self.capacity = max(1, capacity)
        self.filter = filter
        self.onCancel = onCancel
    }

    /// Filters `entries` (outside the lock) and buffers what fits; wakes the reader.
    func offer(_ entries: [LogTailEntry]) {
        let accepted = entries.compactMap(filter)
        guard !accepted.isEmpty else { return }
        let waiter = state.withLock { state -> Waiter? in
            guard !state.cancelled else { return nil }
            for entry in accepted {
                if state.buffered.count < capacity {
                    state.buffered.append(entry)
                } else {
                    state.droppedCount += 1
                    if state.dropped.count < Self.maxDropsListed {
                        state.dropped.append(LogTailDrop(labels: entry.labels, timestampNanos: entry.timestampNanos))
                    }
                }
            }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.continuation.resume()
    }

    /// Waits until something was buffered or dropped, then takes it all.
    /// With a `timeout`, returns an empty delivery when it passes first.
    /// Returns nil once the subscription is cancelled; cancelling the
    /// calling task cancels the subscription.
    public func next(timeout: Duration? = nil) async -> LogTailDelivery? {
        let wait = state.withLock { state -> UInt64 in
            state.waits += 1
            return state.waits
        }
        let timer = timeout.map { timeout in
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { self?.expire(wait) }
            }
        }
        defer { timer?.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.hasNews || state.cancelled || state.expiredWait == wait { return true }
                    state.waiter = Waiter(id: wait, continuation: continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            cancel()
        }
        return state.withLock { state in state.cancelled ? nil : state.take() }
    }

    /// Stops deliveries, wakes a waiting reader and leaves the hub. Idempotent.
    public func cancel() {
        let (waiter, first) = state.withLock { state -> (Waiter?, Bool) in
            let first = !state.cancelled
            state.cancelled = true
            state.buffered = []
            defer { state.waiter = nil }
            return (state.waiter, first)
        }
        waiter?.continuation.resume()
        if first { onCancel() }
    }

    private func expire(_ wait: UInt64) {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiter, waiter.id == wait else {
                state.expiredWait = wait
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.continuation.resume()
    }
}
