/// A log query compiled to judge one entry at a time, as live tailing needs:
/// the stream selector's matchers, then the pipeline, giving the processed
/// line and the final labels exactly as a `query_range` of the same query
/// would show them.
///
/// ```swift
/// let filter = try LogQLEntryFilter(LogQLParser.parseLogQuery(#"{app="api"} |= "error" | json"#))
/// if let (line, labels) = filter.apply(entry, stream: streamLabels) { … }
/// ```
public struct LogQLEntryFilter: Sendable {
    private let matchers: [LogQLCompiledMatcher]
    private let pipeline: LogQLPipeline

    /// Compiles `query`; fails on invalid regexes, patterns and templates.
    public init(_ query: LogQLLogQuery) throws(LogQLEvaluationError) {
        var matchers: [LogQLCompiledMatcher] = []
        for matcher in query.selector.matchers { matchers.append(try LogQLCompiledMatcher(matcher)) }
        self.matchers = matchers
        self.pipeline = try LogQLPipeline(query.pipeline)
    }

    /// Whether a stream with these labels is selected.
    public func selects(_ stream: LogQLLabels) -> Bool {
        matchers.allSatisfy { $0.matches(stream[$0.name] ?? "") }
    }

    /// The processed line and final labels of `entry` from `stream`, or nil
    /// when the selector or a pipeline stage drops it.
    public func apply(_ entry: LogQLEntry, stream: LogQLLabels) -> (line: String, labels: LogQLLabels)? {
        guard selects(stream), let (line, labels) = pipeline.process(entry, stream: stream) else { return nil }
        return (line, labels.labels)
    }
}
