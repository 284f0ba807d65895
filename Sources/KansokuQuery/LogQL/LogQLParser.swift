/// Entry points for parsing LogQL.
///
/// ```swift
/// let expr = try LogQLParser.parse(#"sum by (app) (rate({env="prod"} |= "error" [5m]))"#)
/// print(expr) // canonical LogQL
/// ```
///
/// All functions throw `LogQLParseError` whose `description` is worded like
/// Loki's own parse errors, so it can be returned to Grafana unchanged.
public enum LogQLParser {
    /// Parses a log or metric query and runs Loki's parse-time validation.
    public static func parse(_ query: String) throws(LogQLParseError) -> LogQLExpr {
        var engine = LogQLParserEngine(tokens: try LogQLLexer.tokenize(query))
        let expr = try engine.parseExpr()
        guard engine.current.kind == .eof else { throw engine.unexpected() }
        // Loki validates selectors only after the whole query parsed, so a
        // syntax error later in the query wins over this check.
        for selector in expr.selectors where !selector.hasNonEmptyCompatibleMatcher {
            throw LogQLParseError(message: LogQLParseError.emptyCompatibleMatchersMessage)
        }
        return expr
    }

    /// Parses a query that must be a log query (for `/loki/api/v1/tail`
    /// and similar endpoints).
    public static func parseLogQuery(_ query: String) throws(LogQLParseError) -> LogQLLogQuery {
        guard case .log(let logQuery) = try parse(query) else {
            throw LogQLParseError(message: "only log selector is supported")
        }
        return logQuery
    }

    /// Parses a query that must be a metric query (Loki's wording when a
    /// log query is given where samples are required).
    public static func parseMetricQuery(_ query: String) throws(LogQLParseError) -> LogQLMetricExpr {
        guard case .metric(let metric) = try parse(query) else {
            throw LogQLParseError(message: "only sample expression supported")
        }
        return metric
    }
}
