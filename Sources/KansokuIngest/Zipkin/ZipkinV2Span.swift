import KansokuModel

/// One Zipkin v2 span as read from either encoding (JSON or `zipkin.proto3`),
/// already checked field by field: the ids are valid, times are nanoseconds,
/// IP addresses are canonical text. `ZipkinV2SpanConverter` maps it onto the
/// model, so both encodings map identically.
///
/// `debug` and `shared` are not here: the Collector's translation ignores
/// them, and so does Kansoku.
struct ZipkinV2Span {
    /// Zipkin's span kinds; a span without one (or with one Zipkin does not
    /// define) has `kind == nil`.
    enum Kind {
        case client, server, producer, consumer
    }

    struct Endpoint {
        var serviceName: String?
        /// Canonical text of the `ipv4` field (either family is accepted in either field, as Zipkin does).
        var ipv4: String?
        var ipv6: String?
        /// 0 when absent.
        var port: UInt16 = 0
    }

    struct Annotation {
        /// Required and positive in both encodings.
        var timeUnixNano: UInt64
        var value: String
    }

    /// Non-zero; a 64-bit Zipkin trace id is the low half.
    var traceID: TraceID
    /// Non-zero.
    var spanID: SpanID
    /// `.zero` for a root span (no parent, or the span naming itself).
    var parentSpanID = SpanID.zero
    var name = ""
    var kind: Kind?
    /// Start, nanoseconds since the epoch; 0 when the span had no timestamp.
    var timestampNanos: UInt64 = 0
    /// Nanoseconds; 0 when absent.
    var durationNanos: UInt64 = 0
    var localEndpoint: Endpoint?
    var remoteEndpoint: Endpoint?
    var annotations: [Annotation] = []
    /// Zipkin tags are a string map; a repeated key keeps its last value.
    var tags: [String: String] = [:]

    init(traceID: TraceID, spanID: SpanID) {
        self.traceID = traceID
        self.spanID = spanID
    }
}

extension ZipkinV2Span {
    /// Why a span was rejected; the message names the span, the field and the value.
    struct Rejection: Error {
        var message: String
    }
}
