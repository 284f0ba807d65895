/// A log query: a stream selector followed by an optional pipeline,
/// e.g. `{app="api"} |= "error" | json | status >= 500`.
public struct LogQLLogQuery: Sendable, Hashable, CustomStringConvertible {
    /// Which streams to read.
    public var selector: LogQLStreamSelector
    /// Stages applied to each line, in order.
    public var pipeline: [LogQLPipelineStage]

    /// Creates a log query.
    public init(selector: LogQLStreamSelector, pipeline: [LogQLPipelineStage] = []) {
        self.selector = selector
        self.pipeline = pipeline
    }

    public var description: String {
        ([selector.description] + pipeline.map(\.description)).joined(separator: " ")
    }
}
