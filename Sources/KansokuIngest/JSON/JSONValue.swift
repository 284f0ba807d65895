import KansokuModel

/// A parsed JSON value, as the receivers that read JSON (Zipkin, Elasticsearch, Loki) need it.
///
/// Numbers keep their literal text so that integers (microsecond timestamps,
/// ports) are read exactly instead of through `Double`; objects keep their
/// members in the order they were written.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written, e.g. `1556604172355737` or `-1.5e3`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The value of the last member named `key` when this is an object (JSON
    /// parsers commonly let a repeated key win), otherwise nil.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// A short name of the JSON type, for error messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The text of a `.number` when it is a plain non-negative integer that
    /// fits in 64 bits (no sign, fraction or exponent); nil otherwise.
    var unsignedIntegerValue: UInt64? {
        guard case .number(let text) = self, !text.isEmpty,
              text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return UInt64(text)
    }

    /// A JSON number as an attribute value: `.int` when integral and in range,
    /// otherwise `.double`; nil when this is not a number. Integers written
    /// plainly never go through `Double`.
    var numericAttributeValue: AttributeValue? {
        guard case .number(let text) = self else { return nil }
        if let exact = Int64(text) { return .int(exact) }
        guard let double = Double(text) else { return nil }
        // Written as 1.0 or 1e3: integral, so an int, as the Collector's float64 → int64 path gives.
        if double.rounded() == double, let integral = Int64(exactly: double) { return .int(integral) }
        return .double(double)
    }
}
