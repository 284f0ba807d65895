/// The argument of a range aggregation: a log query over a time window,
/// e.g. `{app="api"} |= "error" [5m] offset 1h` or
/// `{app="api"} | json | unwrap latency [1m]`.
public struct LogQLLogRange: Sendable, Hashable, CustomStringConvertible {
    /// The log query producing the lines.
    public var query: LogQLLogQuery
    /// The window length (`[5m]`).
    public var range: LogQLDuration
    /// `offset 1h`, if present.
    public var offset: LogQLDuration?
    /// The unwrap stage, required by value-based aggregations.
    public var unwrap: LogQLUnwrap?

    /// Creates a log range.
    public init(query: LogQLLogQuery, range: LogQLDuration, offset: LogQLDuration? = nil, unwrap: LogQLUnwrap? = nil) {
        self.query = query
        self.range = range
        self.offset = offset
        self.unwrap = unwrap
    }

    // Printed in the pipeline-first form Loki itself prints; any of the
    // accepted spellings (range first, parenthesised) parses to this value.
    public var description: String {
        var out = query.description
        if let unwrap { out += " " + unwrap.description }
        // `{app="api"}[5m]` reads naturally; after a pipeline a space keeps
        // the window visually separate from the last stage.
        out += (query.pipeline.isEmpty && unwrap == nil ? "" : " ") + "[\(range)]"
        if let offset { out += " offset \(offset)" }
        return out
    }
}
