/// A function computing one number from a span set (`count()`, `avg(duration)`).
public struct TraceQLAggregate: Sendable, Hashable, CustomStringConvertible {
    public enum Function: String, Sendable, Hashable, CaseIterable {
        case count, avg, min, max, sum
    }

    public var function: Function
    /// The field aggregated; nil only for `count()`.
    public var field: TraceQLField?

    public init(function: Function, field: TraceQLField? = nil) {
        self.function = function
        self.field = field
    }

    public var description: String { "\(function.rawValue)(\(field.map(\.description) ?? ""))" }
}
