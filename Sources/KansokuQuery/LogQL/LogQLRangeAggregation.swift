/// `rate({app="api"}[5m])`, `quantile_over_time(0.99, ... | unwrap x [1m]) by (pod)`.
public struct LogQLRangeAggregation: Sendable, Hashable, CustomStringConvertible {
    /// The function.
    public var operation: LogQLRangeOperation
    /// The quantile of `quantile_over_time`; `nil` otherwise.
    public var parameter: Double?
    /// The log range aggregated.
    public var range: LogQLLogRange
    /// Grouping, only allowed on some unwrapped aggregations.
    public var grouping: LogQLGrouping?

    /// Creates a range aggregation.
    public init(operation: LogQLRangeOperation, parameter: Double? = nil, range: LogQLLogRange,
                grouping: LogQLGrouping? = nil) {
        self.operation = operation
        self.parameter = parameter
        self.range = range
        self.grouping = grouping
    }

    public var description: String {
        var out = operation.rawValue + "("
        if let parameter { out += LogQLNumberFormat.format(parameter) + ", " }
        out += range.description + ")"
        if let grouping { out += " " + grouping.description }
        return out
    }
}
