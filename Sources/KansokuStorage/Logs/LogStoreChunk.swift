/// A run of one stream's entries whose time span is known before its lines
/// are read, so that a query can order runs by time, read them one at a
/// time and stop once no further run can change its answer.
///
/// For blocks a run is one chunk (read and decompressed by ``entries()``);
/// for the WAL tail it is one resource section of a WAL record, already
/// decoded. Entries are ascending by time (ties in arrival order) and are
/// filtered like ``LogSignalStore/streams(matching:start:end:mustContain:traceID:requiring:)``
/// filters them.
public struct LogStoreChunk: Sendable {
    /// The stream's labels.
    public let labels: LogStreamLabels
    /// Earliest and latest entry time of the run (ns, inclusive); entries
    /// outside the query range are left out by ``entries()``.
    public let minTimeNanos: Int64
    public let maxTimeNanos: Int64
    private let load: @Sendable () throws -> [LogStoreEntry]

    public init(labels: LogStreamLabels, minTimeNanos: Int64, maxTimeNanos: Int64,
                load: @escaping @Sendable () throws -> [LogStoreEntry]) {
        self.labels = labels
        self.minTimeNanos = minTimeNanos
        self.maxTimeNanos = maxTimeNanos
        self.load = load
    }

    /// Reads the run's entries (for a block chunk: reads, checks and decompresses it).
    public func entries() throws -> [LogStoreEntry] { try load() }
}

extension Array where Element == LogStoreChunk {
    /// Orders runs for a query reading in time order: by earliest entry for
    /// `newestFirst == false`, by latest entry descending otherwise; ties by
    /// labels, then by the given order.
    public func sortedForReading(newestFirst: Bool) -> [LogStoreChunk] {
        enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if newestFirst, x.maxTimeNanos != y.maxTimeNanos { return x.maxTimeNanos > y.maxTimeNanos }
            if !newestFirst, x.minTimeNanos != y.minTimeNanos { return x.minTimeNanos < y.minTimeNanos }
            if x.labels != y.labels { return x.labels < y.labels }
            return a.offset < b.offset
        }.map(\.element)
    }
}
