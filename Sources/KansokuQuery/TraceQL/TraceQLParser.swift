/// Entry point for parsing TraceQL.
///
/// ```swift
/// let query = try TraceQLParser.parse(#"{ resource.service.name = "frontend" && duration > 100ms }"#)
/// let spans = TraceQLEvaluator.matchingSpans(query, in: trace)
/// ```
///
/// Errors are `TraceQLParseError`s whose `description` is worded like
/// Tempo's own parse errors, so it can be returned to Grafana unchanged.
public enum TraceQLParser {
    /// Parses a span set query, optionally followed by `|` pipeline stages
    /// (`{ }` filters and `count()`/`avg()`/`min()`/`max()`/`sum()` comparisons).
    public static func parse(_ query: String) throws(TraceQLParseError) -> TraceQLQuery {
        var engine = TraceQLParserEngine(tokens: try TraceQLLexer.tokenize(query))
        let root = try engine.parsePipeline()
        guard engine.current.kind == .eof else { throw engine.unexpected() }
        return TraceQLQuery(root: root)
    }
}
