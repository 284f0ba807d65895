/// One log entry as live tailing sees it. Published by ``LogTailHub`` with
/// the stream labels and structured metadata it is stored under; a
/// subscription's filter may return it rewritten (a pipeline's final labels
/// and processed line).
public struct LogTailEntry: Sendable {
    /// Label pairs sorted by name.
    public var labels: [(String, String)]
    /// Nanoseconds since the Unix epoch.
    public var timestampNanos: Int64
    public var line: String
    /// Per-entry name/value pairs, in stored order.
    public var structuredMetadata: [(String, String)]

    public init(labels: [(String, String)], timestampNanos: Int64, line: String, structuredMetadata: [(String, String)] = []) {
        self.labels = labels
        self.timestampNanos = timestampNanos
        self.line = line
        self.structuredMetadata = structuredMetadata
    }
}

/// What a subscriber lost because it read too slowly: when and from which stream.
public struct LogTailDrop: Sendable {
    public var labels: [(String, String)]
    public var timestampNanos: Int64

    public init(labels: [(String, String)], timestampNanos: Int64) {
        self.labels = labels
        self.timestampNanos = timestampNanos
    }
}

/// What ``LogTailSubscription/next(timeout:)`` hands out: every entry
/// buffered since the last call, and what was dropped meanwhile.
public struct LogTailDelivery: Sendable {
    /// Entries in arrival order.
    public var entries: [LogTailEntry]
    /// The first dropped entries (at most ``LogTailSubscription/maxDropsListed``).
    public var dropped: [LogTailDrop]
    /// How many entries were dropped in all, listed or not.
    public var droppedCount: Int

    public var isEmpty: Bool { entries.isEmpty && droppedCount == 0 }
}
