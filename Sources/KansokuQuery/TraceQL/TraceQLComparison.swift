/// `field op value`, the basic condition inside a span set filter.
public struct TraceQLComparison: Sendable, Hashable, CustomStringConvertible {
    public var field: TraceQLField
    public var op: TraceQLComparisonOperator
    public var value: TraceQLStatic

    public init(field: TraceQLField, op: TraceQLComparisonOperator, value: TraceQLStatic) {
        self.field = field
        self.op = op
        self.value = value
    }

    public var description: String { "\(field) \(op.rawValue) \(value)" }
}
