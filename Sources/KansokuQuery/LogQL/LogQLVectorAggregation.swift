/// `sum by (app) (rate(...))`, `topk(5, ...)`.
public struct LogQLVectorAggregation: Sendable, Hashable, CustomStringConvertible {
    /// The aggregation.
    public var operation: LogQLVectorOperation
    /// `k` of `topk`/`bottomk`.
    public var parameter: Int?
    /// `by`/`without`, written before or after the argument.
    public var grouping: LogQLGrouping?
    /// The aggregated expression.
    public var expr: LogQLMetricExpr

    /// Creates a vector aggregation.
    public init(operation: LogQLVectorOperation, parameter: Int? = nil, grouping: LogQLGrouping? = nil,
                expr: LogQLMetricExpr) {
        self.operation = operation
        self.parameter = parameter
        self.grouping = grouping
        self.expr = expr
    }

    public var description: String {
        var out = operation.rawValue
        if let grouping { out += " " + grouping.description + " " }
        out += "("
        if let parameter { out += "\(parameter), " }
        return out + expr.description + ")"
    }
}
