import KansokuModel

/// Reads one Zipkin v2 JSON span (an object) into a `ZipkinV2Span`, checking
/// each field's type and value; the first problem rejects the span with a
/// message naming the field and what was there.
struct ZipkinV2JSONSpanReader {
    typealias Rejection = ZipkinV2Span.Rejection

    /// `spans[3]`, prefixed to every rejection message.
    let path: String

    func read(_ object: JSONValue) throws(Rejection) -> ZipkinV2Span {
        let ids = try identifiers(object)
        var span = ZipkinV2Span(traceID: ids.trace, spanID: ids.span)
        span.parentSpanID = ids.parent
        span.tags = try tags(object["tags"])
        span.localEndpoint = try endpoint(object["localEndpoint"], field: "localEndpoint")
        span.remoteEndpoint = try endpoint(object["remoteEndpoint"], field: "remoteEndpoint")
        span.timestampNanos = try microseconds(object["timestamp"], field: "timestamp")
        span.durationNanos = try microseconds(object["duration"], field: "duration")
        span.name = try optionalString(object["name"], field: "name") ?? ""
        span.kind = Self.kind(try optionalString(object["kind"], field: "kind"))
        span.annotations = try annotations(object["annotations"])
        return span
    }

    private func reject(_ message: String) -> Rejection { Rejection(message: "\(path).\(message)") }

    private func identifiers(_ object: JSONValue) throws(Rejection) -> (trace: TraceID, span: SpanID, parent: SpanID) {
        guard let traceHex = try optionalString(object["traceId"], field: "traceId") else { throw reject("traceId: required") }
        guard let trace = ZipkinIDs.traceID(traceHex), !trace.isZero else {
            throw reject("traceId: \(Self.quoted(traceHex)) is not a non-zero trace id of 16 or 32 hex digits")
        }
        guard let spanHex = try optionalString(object["id"], field: "id") else { throw reject("id: required") }
        guard let span = ZipkinIDs.spanID(spanHex), !span.isZero else {
            throw reject("id: \(Self.quoted(spanHex)) is not a non-zero span id of 16 hex digits")
        }
        var parent = SpanID.zero
        if let parentHex = try optionalString(object["parentId"], field: "parentId"), !parentHex.isEmpty {
            guard let id = ZipkinIDs.spanID(parentHex) else {
                throw reject("parentId: \(Self.quoted(parentHex)) is not a span id of 16 hex digits")
            }
            // A span naming itself as parent is a root, as in the Collector.
            if id != span { parent = id }
        }
        return (trace, span, parent)
    }

    private func optionalString(_ value: JSONValue?, field: String) throws(Rejection) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw reject("\(field): expected a string, got \(other.typeName)")
        }
    }

    /// A non-negative integer count of microseconds, as nanoseconds; 0 when absent.
    private func microseconds(_ value: JSONValue?, field: String) throws(Rejection) -> UInt64 {
        guard let value, value != .null else { return 0 }
        guard let micros = value.unsignedIntegerValue else {
            throw reject("\(field): expected a non-negative integer of microseconds, got \(Self.describe(value))")
        }
        let (nanos, overflow) = micros.multipliedReportingOverflow(by: 1_000)
        guard !overflow else { throw reject("\(field): \(micros) microseconds is out of range") }
        return nanos
    }

    /// Tags as a dictionary (Zipkin tags are a string map). Numbers and booleans
    /// are taken as their JSON text; null values are skipped.
    private func tags(_ value: JSONValue?) throws(Rejection) -> [String: String] {
        guard let value, value != .null else { return [:] }
        guard case .object(let members) = value else { throw reject("tags: expected an object, got \(value.typeName)") }
        var tags: [String: String] = [:]
        for (key, member) in members {
            switch member {
            case .string(let text), .number(let text): tags[key] = text
            case .bool(let flag): tags[key] = flag ? "true" : "false"
            case .null: continue
            case .array, .object: throw reject("tags.\(key): expected a string, got \(member.typeName)")
            }
        }
        return tags
    }

    private func endpoint(_ value: JSONValue?, field: String) throws(Rejection) -> ZipkinV2Span.Endpoint? {
        guard let value, value != .null else { return nil }
        guard case .object = value else { throw reject("\(field): expected an object, got \(value.typeName)") }
        var endpoint = ZipkinV2Span.Endpoint()
        endpoint.serviceName = try optionalString(value["serviceName"], field: "\(field).serviceName")
        for family in ["ipv4", "ipv6"] {
            guard let text = try optionalString(value[family], field: "\(field).\(family)"), !text.isEmpty else { continue }
            guard let ip = ZipkinIPAddress.canonical(text) else {
                throw reject("\(field).\(family): \(Self.quoted(text)) is not an IP address")
            }
            if family == "ipv4" { endpoint.ipv4 = ip } else { endpoint.ipv6 = ip }
        }
        if let port = value["port"], port != .null {
            guard let number = port.unsignedIntegerValue, let valid = UInt16(exactly: number) else {
                throw reject("\(field).port: \(Self.describe(port)) is not a port number (0 to 65535)")
            }
            endpoint.port = valid
        }
        return endpoint
    }

    private func annotations(_ value: JSONValue?) throws(Rejection) -> [ZipkinV2Span.Annotation] {
        guard let value, value != .null else { return [] }
        guard case .array(let elements) = value else { throw reject("annotations: expected an array, got \(value.typeName)") }
        var annotations: [ZipkinV2Span.Annotation] = []
        annotations.reserveCapacity(elements.count)
        for (index, annotation) in elements.enumerated() {
            let field = "annotations[\(index)]"
            guard case .object = annotation else { throw reject("\(field): expected an object, got \(annotation.typeName)") }
            // Zipkin requires an annotation timestamp; so does zipkin-go, which the Collector uses.
            let time = try microseconds(annotation["timestamp"], field: "\(field).timestamp")
            guard time > 0 else { throw reject("\(field).timestamp: required and positive") }
            let text = try optionalString(annotation["value"], field: "\(field).value") ?? ""
            annotations.append(ZipkinV2Span.Annotation(timeUnixNano: time, value: text))
        }
        return annotations
    }

    /// Zipkin's kind names; any other value is no kind (the tags may then give one).
    private static func kind(_ name: String?) -> ZipkinV2Span.Kind? {
        switch name {
        case "CLIENT": .client
        case "SERVER": .server
        case "PRODUCER": .producer
        case "CONSUMER": .consumer
        default: nil
        }
    }

    private static func quoted(_ text: String) -> String {
        let shown = text.count > 64 ? String(text.prefix(64)) + "…" : text
        return "\"\(shown)\""
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .number(let text): text
        case .string(let text): "\"\(text.prefix(64))\""
        default: value.typeName
        }
    }
}
