/// One field Loki's `detected_fields` reports: a structured metadata label or
/// a label a parser extracts from the lines a query returns.
public struct LogQLDetectedField: Sendable, Hashable {
    /// Loki's value types, detected from a value the way Loki does
    /// (Go `ParseInt`, then `ParseFloat`, `ParseBool`, `time.ParseDuration`,
    /// humanize `ParseBytes`, else string).
    public enum ValueType: String, Sendable, Hashable {
        case string, int, float, boolean, duration, bytes
    }

    /// The label name.
    public var label: String
    /// The type of the last value seen.
    public var type: ValueType
    /// Distinct values seen.
    public var cardinality: Int
    /// Parsers that produced it (`json`, `logfmt`); nil for structured
    /// metadata only (Loki's `null`).
    public var parsers: [String]?

    /// Creates a field.
    public init(label: String, type: ValueType, cardinality: Int, parsers: [String]?) {
        self.label = label
        self.type = type
        self.cardinality = cardinality
        self.parsers = parsers
    }

    /// The type Loki gives `value`.
    public static func detectType(_ value: String) -> ValueType {
        if Int64(value) != nil { return .int }
        if logqlParseFloat(value) != nil { return .float }
        if ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"].contains(value) { return .boolean }
        if LogQLDuration(parsing: value) != nil { return .duration }
        if LogQLByteSize(parsing: value.filter { $0 != " " }) != nil { return .bytes }
        return .string
    }
}
