/// A run of one stored stream's entries whose time span is known before its
/// lines are read (a storage chunk), so that the engine can read runs in
/// time order, one at a time, and stop once no further run can change a
/// query's answer.
public struct LogQLStreamRun: Sendable {
    /// The stored stream's labels.
    public let labels: LogQLLabels
    /// Earliest and latest entry time of the run (ns, inclusive).
    public let minTime: Int64
    public let maxTime: Int64
    private let load: @Sendable () throws -> [LogQLEntry]

    /// Creates a run whose entries `load` reads (ascending by time, inside the selected range).
    public init(labels: LogQLLabels, minTime: Int64, maxTime: Int64, load: @escaping @Sendable () throws -> [LogQLEntry]) {
        self.labels = labels
        self.minTime = minTime
        self.maxTime = maxTime
        self.load = load
    }

    /// A run of entries already in memory (ascending by time, not empty).
    public init(labels: LogQLLabels, entries: [LogQLEntry]) {
        self.init(labels: labels, minTime: entries.first?.timestamp ?? 0, maxTime: entries.last?.timestamp ?? 0) { entries }
    }

    /// Reads the entries.
    public func entries() throws -> [LogQLEntry] { try load() }
}
