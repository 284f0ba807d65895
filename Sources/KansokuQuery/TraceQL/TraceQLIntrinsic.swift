/// The built-in fields of a span or its trace.
public enum TraceQLIntrinsic: String, Sendable, Hashable, CaseIterable {
    /// The span name (string).
    case name
    /// The span status (`ok`, `error`, `unset`).
    case status
    /// The span status message (string).
    case statusMessage
    /// The span kind (`server`, `client`, ...).
    case kind
    /// The span's own duration.
    case duration
    /// The name of the trace's root span (string).
    case rootName
    /// The `service.name` of the trace's root span (string).
    case rootServiceName
    /// From the earliest span start to the latest span end in the trace.
    case traceDuration

    /// Recognises both the classic spelling (`duration`, `rootServiceName`)
    /// and Tempo's scoped one (`span:duration`, `trace:rootService`).
    init?(keyword: String) {
        switch keyword {
        case "name", "span:name": self = .name
        case "status", "span:status": self = .status
        case "statusMessage", "span:statusMessage": self = .statusMessage
        case "kind", "span:kind": self = .kind
        case "duration", "span:duration": self = .duration
        case "rootName", "trace:rootName": self = .rootName
        case "rootServiceName", "trace:rootService": self = .rootServiceName
        case "traceDuration", "trace:duration": self = .traceDuration
        default: return nil
        }
    }

    /// The kind of static value this intrinsic compares against.
    var valueType: TraceQLStaticType {
        switch self {
        case .name, .statusMessage, .rootName, .rootServiceName: .string
        case .status: .status
        case .kind: .kind
        case .duration, .traceDuration: .duration
        }
    }
}
