/// One log line.
public struct LogQLEntry: Sendable, Hashable {
    /// Nanoseconds since the Unix epoch.
    public var timestamp: Int64
    /// The line text.
    public var line: String
    /// Structured metadata attached at ingestion; usable as labels in queries.
    public var structuredMetadata: [LogQLLabel]

    /// Creates an entry.
    public init(timestamp: Int64, line: String, structuredMetadata: [LogQLLabel] = []) {
        self.timestamp = timestamp
        self.line = line
        self.structuredMetadata = structuredMetadata
    }
}

/// A stream: a label set and its entries in ascending time order.
public struct LogQLStream: Sendable, Hashable {
    /// The stream labels (for query results: the labels after the pipeline).
    public var labels: LogQLLabels
    /// Entries; ascending for stored streams, in query direction for results.
    public var entries: [LogQLEntry]

    /// Creates a stream.
    public init(labels: LogQLLabels, entries: [LogQLEntry]) {
        self.labels = labels
        self.entries = entries
    }
}

/// The seam between the LogQL engine and storage.
public protocol LogQLSource: Sendable {
    /// The streams matching `selector`, with their entries whose timestamp is
    /// in `[start, end)` (nanoseconds), ascending. Streams without such
    /// entries may be omitted.
    func select(_ selector: LogQLStreamSelector, start: Int64, end: Int64) throws -> [LogQLStream]

    /// Like ``select(_:start:end:)``, but `hints` state what every entry the
    /// query keeps satisfies, so stored data that cannot match may be left
    /// out (the engine still filters every entry exactly).
    func select(_ selector: LogQLStreamSelector, start: Int64, end: Int64, hints: LogQLQueryHints) throws -> [LogQLStream]

    /// The entries ``select(_:start:end:hints:)`` returns, as runs of one
    /// stream each (``LogQLStreamRun``) in the order the source stores them;
    /// runs of one stream do not overlap unless entries arrived out of order.
    /// The default is one run per selected stream.
    func runs(_ selector: LogQLStreamSelector, start: Int64, end: Int64, hints: LogQLQueryHints) throws -> [LogQLStreamRun]
}

extension LogQLSource {
    public func runs(_ selector: LogQLStreamSelector, start: Int64, end: Int64,
                     hints: LogQLQueryHints) throws -> [LogQLStreamRun] {
        try select(selector, start: start, end: end, hints: hints).compactMap { stream in
            stream.entries.isEmpty ? nil : LogQLStreamRun(labels: stream.labels, entries: stream.entries)
        }
    }
}

/// An in-memory source for tests and small embedded uses.
public struct InMemoryLogQLSource: LogQLSource {
    /// The stored streams, keyed by labels.
    public private(set) var streams: [LogQLLabels: [LogQLEntry]] = [:]

    /// An empty source.
    public init() {}

    /// Builds a source from streams.
    public init(_ streams: [LogQLStream]) {
        for stream in streams {
            for entry in stream.entries { add(stream.labels, entry) }
        }
    }

    /// Appends an entry, keeping the stream sorted by time (stable for ties).
    public mutating func add(_ labels: LogQLLabels, _ entry: LogQLEntry) {
        var entries = streams[labels, default: []]
        let index = entries.lastIndex { $0.timestamp <= entry.timestamp }.map { $0 + 1 } ?? 0
        entries.insert(entry, at: index)
        streams[labels] = entries
    }

    public func select(_ selector: LogQLStreamSelector, start: Int64, end: Int64) throws -> [LogQLStream] {
        let matchers = try selector.matchers.map(LogQLCompiledMatcher.init)
        var out: [LogQLStream] = []
        for (labels, entries) in streams where matchers.allSatisfy({ $0.matches(labels[$0.name] ?? "") }) {
            let window = entries.filter { $0.timestamp >= start && $0.timestamp < end }
            if !window.isEmpty { out.append(LogQLStream(labels: labels, entries: window)) }
        }
        return out.sorted { $0.labels < $1.labels }
    }
}
