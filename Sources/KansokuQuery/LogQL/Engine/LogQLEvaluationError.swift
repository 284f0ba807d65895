/// An error raised while evaluating a parsed LogQL query.
///
/// `description` follows Loki's wording where Loki has one, since Grafana
/// shows it verbatim.
public enum LogQLEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A regex Swift's engine cannot compile (Loki: `error parsing regexp`).
    case invalidRegex(String)
    /// `regexp` parser without named groups.
    case regexpWithoutNamedGroups
    /// A `pattern` expression Loki would reject.
    case invalidPattern(String)
    /// A Go template outside the supported subset, or malformed.
    case invalidTemplate(String)
    /// A sample carried `__error__` into a metric result (Loki's PipelineError).
    case pipelineError(errorType: String, series: LogQLLabels)
    /// Two series ended up with the same labels in one result.
    case duplicateSeries(LogQLLabels)
    /// A many-to-many match without `group_left`/`group_right`.
    case manyToMany(side: String, labels: LogQLLabels)
    /// Range query with a non-positive step.
    case invalidStep
    /// A feature the engine does not implement.
    case unsupported(String)
    /// The source failed.
    case source(String)

    public var description: String {
        switch self {
        case .invalidRegex(let pattern): return "error parsing regexp: invalid regular expression: `\(pattern)`"
        case .regexpWithoutNamedGroups: return "at least one named capture must be supplied"
        case .invalidPattern(let message): return message
        case .invalidTemplate(let message): return "invalid line template: \(message)"
        case .pipelineError(let errorType, let series):
            return "pipeline error: '\(errorType)' for series: '\(series)'.\n"
                + "Use a label filter to intercept this error.\n"
                + "(e.g `| __error__=\"\"`)\n"
                + "See https://grafana.com/docs/loki/latest/logql/#pipeline-errors for more details."
        case .duplicateSeries: return "vector cannot contain metrics with the same labelset"
        case .manyToMany(let side, let labels):
            return "found duplicate series for the match group \(labels) on the \(side) hand-side of the operation: "
                + "many-to-many matching not allowed: matching labels must be unique on one side"
        case .invalidStep:
            return "zero or negative query resolution step widths are not accepted. Try a positive integer"
        case .unsupported(let what): return "unsupported: \(what)"
        case .source(let message): return message
        }
    }
}
