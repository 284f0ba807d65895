import KansokuModel
import KansokuQuery
import KansokuStorage

/// Lets the LogQL engine read a ``LogSignalStore``: the selector's matchers
/// become the store's stream predicate, and entries become LogQL entries
/// with their structured metadata.
struct StoreLogQLSource: LogQLSource {
    let store: any LogSignalStore
    /// Whether query hints are passed down to skip blocks (off only to compare results in tests).
    var usesIndexes = true

    func select(_ selector: LogQLStreamSelector, start: Int64, end: Int64) throws -> [LogQLStream] {
        try select(selector, start: start, end: end, hints: .none)
    }

    func select(_ selector: LogQLStreamSelector, start: Int64, end: Int64, hints: LogQLQueryHints) throws -> [LogQLStream] {
        let matchers = try selector.matchers.map { matcher throws(LogQLEvaluationError) in try LogQLCompiledMatcher(matcher) }
        let streams = try store.streams(matching: { labels in matchers.allSatisfy { $0.matches(labels[$0.name] ?? "") } },
                                        start: start, end: end, mustContain: [], traceID: nil,
                                        requiring: usesIndexes ? hints.requirement : nil)
        return streams.map { stream in
            LogQLStream(labels: LogQLLabels(stream.labels.map { LogQLLabel($0.0, $0.1) }),
                        entries: stream.entries.map(Self.entry))
        }
    }

    func runs(_ selector: LogQLStreamSelector, start: Int64, end: Int64, hints: LogQLQueryHints) throws -> [LogQLStreamRun] {
        let matchers = try selector.matchers.map { matcher throws(LogQLEvaluationError) in try LogQLCompiledMatcher(matcher) }
        let chunks = try store.chunks(matching: { labels in matchers.allSatisfy { $0.matches(labels[$0.name] ?? "") } },
                                      start: start, end: end, mustContain: [], traceID: nil,
                                      requiring: usesIndexes ? hints.requirement : nil)
        var converted: [LogStreamLabels: LogQLLabels] = [:]
        return chunks.map { chunk in
            let labels = converted[chunk.labels] ?? LogQLLabels(chunk.labels.pairs.map { LogQLLabel($0.0, $0.1) })
            converted[chunk.labels] = labels
            return LogQLStreamRun(labels: labels, minTime: chunk.minTimeNanos, maxTime: chunk.maxTimeNanos) {
                try chunk.entries().map(Self.entry)
            }
        }
    }

    private static func entry(_ entry: LogStoreEntry) -> LogQLEntry {
        LogQLEntry(timestamp: entry.timestampNanos, line: entry.line,
                   structuredMetadata: entry.structuredMetadata.map { LogQLLabel($0.0, $0.1) })
    }
}
