import KansokuModel

/// Converts one Zipkin v2 span (a JSON object) into Kansoku's `Span`, the way
/// the OpenTelemetry Collector's `zipkinv2.ToTranslator` does, and says which
/// resource and instrumentation scope it belongs to.
struct ZipkinV2SpanConverter {
    /// A converted span with what decides its grouping.
    struct Converted {
        var span: Span
        /// `localEndpoint.serviceName`; nil when absent or empty (the Collector
        /// then leaves the resource without attributes).
        var serviceName: String?
        /// The resource this span would create: the service name under
        /// `service.name`, or under the key named by `otlp.service.name.source`.
        var resource: Resource
        var scope: InstrumentationScope
    }

    /// Why a span was rejected; the message names the field and the value.
    struct Rejection: Error {
        var message: String
    }

    /// `spans[3]`, prefixed to every rejection message.
    let path: String

    func convert(_ object: JSONValue) throws(Rejection) -> Converted {
        let ids = try identifiers(object)
        var tags = try self.tags(object["tags"])
        let local = try endpoint(object["localEndpoint"], field: "localEndpoint")
        let remote = try endpoint(object["remoteEndpoint"], field: "remoteEndpoint")
        let timestamp = try microseconds(object["timestamp"], field: "timestamp")
        let duration = try microseconds(object["duration"], field: "duration")

        let serviceName = local?.serviceName.flatMap { $0.isEmpty ? nil : $0 }
        let resource = Self.resource(serviceName: serviceName, tags: &tags)
        let scope = Self.scope(tags: &tags)

        var span = Span(traceID: ids.trace, spanID: ids.span, parentSpanID: ids.parent,
                        name: try optionalString(object["name"], field: "name") ?? "",
                        startTimeUnixNano: 0, endTimeUnixNano: 0)
        if let state = tags.removeValue(forKey: ZipkinTagKeys.traceState) { span.traceState = state }
        span.kind = Self.kind(try optionalString(object["kind"], field: "kind"), tags: &tags)
        span.status = Self.status(tags: &tags)
        span.links = try links(tags: &tags)

        // Remaining tags are string attributes (the receiver's default, parse_string_tags: false),
        // in key order because the Collector's tag map has none.
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
            span.attributes.append(Attribute(key: key, value: .string(value)))
        }
        if let local {
            if let ip = local.ipv4 { span.attributes.upsert(ZipkinTagKeys.hostIP, .string(ip)) }
            if let ip = local.ipv6 { span.attributes.upsert(ZipkinTagKeys.hostIP, .string(ip)) }
            if local.port > 0 { span.attributes.upsert(ZipkinTagKeys.hostPort, .int(Int64(local.port))) }
        }
        if let remote {
            if let name = remote.serviceName, !name.isEmpty { span.attributes.upsert(ZipkinTagKeys.peerService, .string(name)) }
            if let ip = remote.ipv4 { span.attributes.upsert(ZipkinTagKeys.peerIP, .string(ip)) }
            if let ip = remote.ipv6 { span.attributes.upsert(ZipkinTagKeys.peerIP, .string(ip)) }
            if remote.port > 0 { span.attributes.upsert(ZipkinTagKeys.peerPort, .int(Int64(remote.port))) }
        }

        // No timestamp: start at the Unix epoch and flag it, as the Collector does.
        if timestamp == 0 { span.attributes.upsert(ZipkinTagKeys.startTimeAbsent, .bool(true)) }
        span.startTimeUnixNano = timestamp
        let (end, overflow) = timestamp.addingReportingOverflow(duration)
        guard !overflow else { throw reject("timestamp + duration overflows 64-bit nanoseconds") }
        span.endTimeUnixNano = end

        span.events = try events(object["annotations"])
        return Converted(span: span, serviceName: serviceName, resource: resource, scope: scope)
    }

    // MARK: Fields

    private func reject(_ message: String) -> Rejection { Rejection(message: "\(path).\(message)") }

    private func identifiers(_ object: JSONValue) throws(Rejection) -> (trace: TraceID, span: SpanID, parent: SpanID) {
        guard let traceHex = try optionalString(object["traceId"], field: "traceId") else { throw reject("traceId: required") }
        guard let trace = ZipkinIDs.traceID(traceHex), !trace.isZero else {
            throw reject("traceId: \(quoted(traceHex)) is not a non-zero trace id of 16 or 32 hex digits")
        }
        guard let spanHex = try optionalString(object["id"], field: "id") else { throw reject("id: required") }
        guard let span = ZipkinIDs.spanID(spanHex), !span.isZero else {
            throw reject("id: \(quoted(spanHex)) is not a non-zero span id of 16 hex digits")
        }
        var parent = SpanID.zero
        if let parentHex = try optionalString(object["parentId"], field: "parentId"), !parentHex.isEmpty {
            guard let id = ZipkinIDs.spanID(parentHex) else {
                throw reject("parentId: \(quoted(parentHex)) is not a span id of 16 hex digits")
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

    private struct Endpoint {
        var serviceName: String?
        var ipv4: String?
        var ipv6: String?
        var port: UInt16 = 0
    }

    private func endpoint(_ value: JSONValue?, field: String) throws(Rejection) -> Endpoint? {
        guard let value, value != .null else { return nil }
        guard case .object = value else { throw reject("\(field): expected an object, got \(value.typeName)") }
        var endpoint = Endpoint()
        endpoint.serviceName = try optionalString(value["serviceName"], field: "\(field).serviceName")
        for family in ["ipv4", "ipv6"] {
            guard let text = try optionalString(value[family], field: "\(field).\(family)"), !text.isEmpty else { continue }
            guard let ip = ZipkinIPAddress.canonical(text) else { throw reject("\(field).\(family): \(quoted(text)) is not an IP address") }
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

    private func events(_ value: JSONValue?) throws(Rejection) -> [SpanEvent] {
        guard let value, value != .null else { return [] }
        guard case .array(let annotations) = value else { throw reject("annotations: expected an array, got \(value.typeName)") }
        var events: [SpanEvent] = []
        events.reserveCapacity(annotations.count)
        for (index, annotation) in annotations.enumerated() {
            let field = "annotations[\(index)]"
            guard case .object = annotation else { throw reject("\(field): expected an object, got \(annotation.typeName)") }
            // Zipkin requires an annotation timestamp; so does zipkin-go, which the Collector uses.
            let time = try microseconds(annotation["timestamp"], field: "\(field).timestamp")
            guard time > 0 else { throw reject("\(field).timestamp: required and positive") }
            let text = try optionalString(annotation["value"], field: "\(field).value") ?? ""
            events.append(ZipkinEncodedParts.event(annotation: text, timeUnixNano: time))
        }
        return events
    }

    private func links(tags: inout [String: String]) throws(Rejection) -> [SpanLink] {
        var links: [SpanLink] = []
        for index in 0..<ZipkinTagKeys.maxLinks {
            let key = ZipkinTagKeys.linkPrefix + String(index)
            guard let encoded = tags.removeValue(forKey: key) else { break }
            do {
                if let link = try ZipkinEncodedParts.link(encoded) { links.append(link) }
            } catch {
                throw reject("tags.\(key): \(error.message)")
            }
        }
        return links
    }

    // MARK: Tag-driven mapping

    private static func resource(serviceName: String?, tags: inout [String: String]) -> Resource {
        let source = tags.removeValue(forKey: ZipkinTagKeys.serviceNameSource)
        guard let serviceName else { return Resource() }
        let key = source.flatMap { $0.isEmpty ? nil : $0 } ?? ZipkinTagKeys.serviceName
        return Resource(attributes: [Attribute(key: key, value: .string(serviceName))])
    }

    /// `otel.scope.*` (today's SDKs) or `otel.library.*` (what the Collector reads);
    /// both are removed from the tags. A version without a name is dropped, as in the Collector.
    private static func scope(tags: inout [String: String]) -> InstrumentationScope {
        let libraryName = tags.removeValue(forKey: ZipkinTagKeys.libraryName)
        let libraryVersion = tags.removeValue(forKey: ZipkinTagKeys.libraryVersion)
        let scopeName = tags.removeValue(forKey: ZipkinTagKeys.scopeName)
        let scopeVersion = tags.removeValue(forKey: ZipkinTagKeys.scopeVersion)
        if let name = scopeName, !name.isEmpty { return InstrumentationScope(name: name, version: scopeVersion ?? libraryVersion ?? "") }
        if let name = libraryName, !name.isEmpty { return InstrumentationScope(name: name, version: libraryVersion ?? scopeVersion ?? "") }
        return InstrumentationScope()
    }

    private static func kind(_ kind: String?, tags: inout [String: String]) -> SpanKind {
        switch kind {
        case "CLIENT": return .client
        case "SERVER": return .server
        case "PRODUCER": return .producer
        case "CONSUMER": return .consumer
        default:
            // No (or an unknown) Zipkin kind: a `span.kind` tag of "internal" gives INTERNAL.
            guard let tag = tags.removeValue(forKey: ZipkinTagKeys.spanKind) else { return .unspecified }
            return tag == "internal" ? .internal : .unspecified
        }
    }

    private static func status(tags: inout [String: String]) -> SpanStatus {
        var status = SpanStatus()
        if let code = tags.removeValue(forKey: ZipkinTagKeys.statusCode) {
            status.code = ZipkinTagKeys.statusCodes[code] ?? .unset
            if let description = tags.removeValue(forKey: ZipkinTagKeys.statusDescription) { status.message = description }
        }
        if let error = tags[ZipkinTagKeys.error] {
            // Any `error` tag marks the span failed. "true" says nothing more and is
            // removed; any other value is Zipkin's error message: the Collector keeps it as
            // the `error` attribute, and Kansoku also makes it the status message.
            status.code = .error
            if error == "true" {
                tags.removeValue(forKey: ZipkinTagKeys.error)
            } else if status.message.isEmpty {
                status.message = error
            }
        }
        return status
    }

    // MARK: Helpers

    private func quoted(_ text: String) -> String {
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

extension Array where Element == Attribute {
    /// Replaces the value of the attribute named `key`, or appends it (pdata's `Put*`).
    fileprivate mutating func upsert(_ key: String, _ value: AttributeValue) {
        if let index = firstIndex(where: { $0.key == key }) {
            self[index].value = value
        } else {
            append(Attribute(key: key, value: value))
        }
    }
}
