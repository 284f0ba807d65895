import KansokuModel

/// The kinds of static value, used for parse-time type checks.
public enum TraceQLStaticType: String, Sendable, Hashable {
    case string, int, float, bool, duration, status, kind, `nil`
}

/// A literal on the right-hand side of a comparison.
public enum TraceQLStatic: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case float(Double)
    case bool(Bool)
    /// A duration in nanoseconds.
    case duration(Int64)
    case status(SpanStatus.Code)
    case kind(SpanKind)
    /// `nil`: `= nil` matches a missing attribute, `!= nil` a present one.
    case `nil`

    public var type: TraceQLStaticType {
        switch self {
        case .string: .string
        case .int: .int
        case .float: .float
        case .bool: .bool
        case .duration: .duration
        case .status: .status
        case .kind: .kind
        case .nil: .nil
        }
    }

    /// The keyword statics (`true`, `error`, `server`, `nil`, ...) by spelling.
    static func keyword(_ word: String) -> TraceQLStatic? {
        switch word {
        case "true": .bool(true)
        case "false": .bool(false)
        case "nil": .nil
        case "ok": .status(.ok)
        case "error": .status(.error)
        case "unset": .status(.unset)
        case "server": .kind(.server)
        case "client": .kind(.client)
        case "producer": .kind(.producer)
        case "consumer": .kind(.consumer)
        case "internal": .kind(.internal)
        case "unspecified": .kind(.unspecified)
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .string(let s): s.debugDescription
        case .int(let v): String(v)
        case .float(let v): String(v)
        case .bool(let v): String(v)
        case .duration(let nanos): TraceQLDurationLiteral.format(nanos)
        case .status(let code): String(describing: code)
        case .kind(let kind): String(describing: kind)
        case .nil: "nil"
        }
    }
}
