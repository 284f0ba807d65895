import KansokuModel

/// A primitive attribute value, as tag listings show one: what the trace
/// store's attribute catalogue keeps. Empty values, bytes, arrays and maps
/// have no listable value; they only show in ``TraceAttributeTypes``.
///
/// Ordered by type (string < int < double < bool), then by value: a capped
/// list keeps the *smallest* values in this order, which is what lets capped
/// lists from many blocks be merged into an exact prefix of the whole
/// (``TraceAttributeSummary``). Doubles compare and hash by IEEE 754 total
/// order (their bit pattern), so NaN equals itself and sets stay sound.
public enum TraceAttributeValue: Sendable, Hashable, Comparable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)

    /// The listable value of `value`; nil for empty, bytes, arrays and maps.
    public init?(_ value: AttributeValue) {
        switch value {
        case .string(let s): self = .string(s)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .bool(let b): self = .bool(b)
        case .empty, .bytes, .array, .keyValueList: return nil
        }
    }

    /// The type bit of the value.
    public var type: TraceAttributeTypes {
        switch self {
        case .string: .string
        case .int: .int
        case .double: .double
        case .bool: .bool
        }
    }

    private var rank: Int {
        switch self {
        case .string: 0
        case .int: 1
        case .double: 2
        case .bool: 3
        }
    }

    public static func == (a: TraceAttributeValue, b: TraceAttributeValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.double(let x), .double(let y)): x.bitPattern == y.bitPattern
        case (.bool(let x), .bool(let y)): x == y
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rank)
        switch self {
        case .string(let s): hasher.combine(s)
        case .int(let i): hasher.combine(i)
        case .double(let d): hasher.combine(d.bitPattern)
        case .bool(let b): hasher.combine(b)
        }
    }

    public static func < (a: TraceAttributeValue, b: TraceAttributeValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x < y
        case (.int(let x), .int(let y)): x < y
        case (.double(let x), .double(let y)): x.bitPattern != y.bitPattern && x.isTotallyOrdered(belowOrEqualTo: y)
        case (.bool(let x), .bool(let y)): !x && y
        default: a.rank < b.rank
        }
    }
}

/// The kinds of value an attribute key was seen with, as a bit set; every
/// kind counts here, listable or not.
public struct TraceAttributeTypes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let string = TraceAttributeTypes(rawValue: 1 << 0)
    public static let int = TraceAttributeTypes(rawValue: 1 << 1)
    public static let double = TraceAttributeTypes(rawValue: 1 << 2)
    public static let bool = TraceAttributeTypes(rawValue: 1 << 3)
    public static let bytes = TraceAttributeTypes(rawValue: 1 << 4)
    public static let array = TraceAttributeTypes(rawValue: 1 << 5)
    public static let keyValueList = TraceAttributeTypes(rawValue: 1 << 6)
    public static let empty = TraceAttributeTypes(rawValue: 1 << 7)

    /// The bit of `value`'s kind.
    public init(of value: AttributeValue) {
        switch value {
        case .string: self = .string
        case .int: self = .int
        case .double: self = .double
        case .bool: self = .bool
        case .bytes: self = .bytes
        case .array: self = .array
        case .keyValueList: self = .keyValueList
        case .empty: self = .empty
        }
    }
}
