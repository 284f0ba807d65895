/// A value carried by an attribute, a log body or an array/map inside them.
///
/// Mirrors OTLP's `AnyValue` so that nothing a client sends is lost, but it is
/// Kansoku's own type: nothing past the receivers sees generated protobuf code.
///
/// Not `indirect`: the nested cases are already boxed by their arrays, and so
/// a string value (every log line's body) needs no allocation of its own.
public enum AttributeValue: Sendable, Hashable {
    case empty
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case bytes([UInt8])
    case array([AttributeValue])
    case keyValueList([Attribute])
}

/// One key/value pair; order is kept as the client sent it.
public struct Attribute: Sendable, Hashable {
    public var key: String
    public var value: AttributeValue

    public init(key: String, value: AttributeValue) {
        self.key = key
        self.value = value
    }
}

extension Array where Element == Attribute {
    /// The value of the first attribute named `key`, if any.
    public subscript(key key: String) -> AttributeValue? {
        first { $0.key == key }?.value
    }
}

extension AttributeValue {
    /// The string payload when this is a `.string`, otherwise nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
