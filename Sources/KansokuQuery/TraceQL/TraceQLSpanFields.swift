import KansokuModel

/// How a field of a comparison gets its value from one span: shared by the
/// evaluator (which knows the whole trace) and the search hints (which see
/// spans one at a time), so both read attributes and intrinsics alike.
enum TraceQLSpanFields {
    /// The outcome of looking a field up on a single span.
    enum Resolution: Equatable {
        /// The span-level value; nil when the span has none (missing attribute).
        case value(TraceQLStatic?)
        /// A trace-level intrinsic (`rootName`, ...): one span cannot tell.
        case traceLevel(TraceQLIntrinsic)
    }

    /// The value of `field` for `span`, recorded by `resource`.
    static func resolve(_ field: TraceQLField, span: Span, resource: Resource) -> Resolution {
        switch field {
        case .attribute(let scope, let name):
            switch scope {
            case .span: return .value(convert(span.attributes[key: name]))
            case .resource: return .value(convert(resource.attributes[key: name]))
            case .unscoped: return .value(convert(span.attributes[key: name]) ?? convert(resource.attributes[key: name]))
            }
        case .intrinsic(let intrinsic):
            switch intrinsic {
            case .name: return .value(.string(span.name))
            case .status: return .value(.status(span.status.code))
            case .statusMessage: return .value(.string(span.status.message))
            case .kind: return .value(.kind(span.kind))
            case .duration: return .value(.duration(Int64(clamping: span.durationNanos)))
            case .rootName, .rootServiceName, .traceDuration: return .traceLevel(intrinsic)
            }
        }
    }

    /// Scalar attribute values as statics; arrays, maps, bytes and empty
    /// values count as missing.
    static func convert(_ value: AttributeValue?) -> TraceQLStatic? {
        switch value {
        case .string(let s): .string(s)
        case .int(let v): .int(v)
        case .double(let v): .float(v)
        case .bool(let v): .bool(v)
        default: nil
        }
    }

    /// Whether `condition` mentions a trace-level intrinsic anywhere.
    static func mentionsTraceLevel(_ condition: TraceQLFieldExpr) -> Bool {
        switch condition {
        case .constant: false
        case .and(let l, let r), .or(let l, let r): mentionsTraceLevel(l) || mentionsTraceLevel(r)
        case .comparison(let c):
            switch c.field {
            case .attribute: false
            case .intrinsic(let intrinsic): isTraceLevel(intrinsic)
            }
        }
    }

    /// Whether `intrinsic` describes the whole trace rather than one span.
    static func isTraceLevel(_ intrinsic: TraceQLIntrinsic) -> Bool {
        switch intrinsic {
        case .rootName, .rootServiceName, .traceDuration: true
        case .name, .status, .statusMessage, .kind, .duration: false
        }
    }
}
