/// A parsed LogQL query: either a log query or a metric query.
public enum LogQLExpr: Sendable, Hashable, CustomStringConvertible {
    /// `{app="api"} |= "error" | json`.
    case log(LogQLLogQuery)
    /// `sum by (app) (rate({app="api"}[5m]))`.
    case metric(LogQLMetricExpr)

    /// Canonical LogQL text; parsing it again yields an equal value.
    public var description: String {
        switch self {
        case .log(let query): return query.description
        case .metric(let expr): return expr.description
        }
    }

    /// Every stream selector the query reads, left to right.
    public var selectors: [LogQLStreamSelector] {
        switch self {
        case .log(let query): return [query.selector]
        case .metric(let expr): return expr.selectors
        }
    }
}
