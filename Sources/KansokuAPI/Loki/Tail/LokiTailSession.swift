import KansokuQuery
import KansokuStorage
import NIOPosix

/// One live tail: subscribes to new durable entries first, then sends the
/// last `limit` stored lines since `start` (oldest first), then every live
/// line the query keeps, each held back `delay_for` so late lines can be
/// put in time order, with whatever the subscription had to drop reported
/// as `dropped_entries`.
struct LokiTailSession: Sendable {
    /// Entries a slow client may have waiting before new ones are dropped.
    static let bufferCapacity = 10_000
    /// Loki's `maxEntriesPerTailResponse`: larger batches go out as several messages.
    static let maxEntriesPerMessage = 100

    let request: LokiTailRequest
    let store: any LogSignalStore
    let hub: LogTailHub

    /// Runs until the calling task is cancelled; `send` writes one text message.
    func run(send: @Sendable (String) async throws -> Void) async throws {
        let filter = request.filter
        let subscription = try hub.subscribe(capacity: Self.bufferCapacity) { Self.apply(filter, to: $0) }
        defer { subscription.cancel() }

        let history = try await backfill(until: LokiTailRequest.nowNanos())
        for part in history.chunked(by: Self.maxEntriesPerMessage) { try await send(LokiTailFrame.json(entries: part)) }

        // Lines made durable while the history was read can be in both: skip them once.
        var historyKeys: Set<EntryKey>? = Set(history.map(EntryKey.init))
        var queue = LokiTailDelayQueue(delay: request.delayFor)
        while let delivery = await subscription.next(timeout: queue.timeUntilNextRelease(now: LokiTailRequest.nowNanos())) {
            var arrived = delivery.entries
            if let keys = historyKeys, !arrived.isEmpty {
                arrived.removeAll { keys.contains(EntryKey($0)) }
                historyKeys = nil
            }
            queue.add(arrived, now: LokiTailRequest.nowNanos())
            let ready = queue.release(now: LokiTailRequest.nowNanos())
            guard !ready.isEmpty || !delivery.dropped.isEmpty else { continue }
            let parts = ready.chunked(by: Self.maxEntriesPerMessage)
            for (index, part) in parts.enumerated() {
                try await send(LokiTailFrame.json(entries: part, dropped: index == 0 ? delivery.dropped : []))
            }
            if parts.isEmpty { try await send(LokiTailFrame.json(entries: [], dropped: delivery.dropped)) }
        }
    }

    /// The newest `limit` matching lines in `[start, end)`, oldest first. Store reads block: off the event loops.
    private func backfill(until end: Int64) async throws -> [LogTailEntry] {
        let request = self.request, store = self.store
        return try await NIOThreadPool.singleton.runIfActive {
            let engine = LogQLEngine(source: StoreLogQLSource(store: store))
            let streams = try engine.select(request.query, start: request.start, end: end, direction: .backward, limit: request.limit)
            let entries = streams.flatMap { stream in
                stream.entries.map { entry in
                    LogTailEntry(labels: stream.labels.pairs.map { ($0.name, $0.value) }, timestampNanos: entry.timestamp, line: entry.line)
                }
            }
            return entries.sorted { $0.timestampNanos < $1.timestampNanos }
        }
    }

    /// Runs the query's selector and pipeline on a published entry.
    static func apply(_ filter: LogQLEntryFilter, to entry: LogTailEntry) -> LogTailEntry? {
        let stream = LogQLLabels(entry.labels.map { LogQLLabel($0.0, $0.1) })
        guard filter.selects(stream) else { return nil }
        let input = LogQLEntry(timestamp: entry.timestampNanos, line: entry.line,
                               structuredMetadata: entry.structuredMetadata.map { LogQLLabel($0.0, $0.1) })
        guard let (line, labels) = filter.apply(input, stream: stream) else { return nil }
        return LogTailEntry(labels: labels.pairs.map { ($0.name, $0.value) }, timestampNanos: entry.timestampNanos, line: line)
    }

    /// What makes two deliveries of a line the same line.
    private struct EntryKey: Hashable {
        var timestamp: Int64
        var line: String
        var labels: [String]

        init(_ entry: LogTailEntry) {
            timestamp = entry.timestampNanos
            line = entry.line
            labels = entry.labels.flatMap { [$0.0, $0.1] }
        }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    fileprivate func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
