import KansokuModel

/// Converts one Zipkin v2 span, as read from JSON or protobuf, into Kansoku's
/// `Span`, the way the OpenTelemetry Collector's `zipkinv2.ToTranslator` does,
/// and says which resource and instrumentation scope it belongs to.
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

    typealias Rejection = ZipkinV2Span.Rejection

    /// `spans[3]`, prefixed to every rejection message.
    let path: String

    func convert(_ zipkin: ZipkinV2Span) throws(Rejection) -> Converted {
        var tags = zipkin.tags
        let local = zipkin.localEndpoint, remote = zipkin.remoteEndpoint
        let timestamp = zipkin.timestampNanos

        let serviceName = local?.serviceName.flatMap { $0.isEmpty ? nil : $0 }
        let resource = Self.resource(serviceName: serviceName, tags: &tags)
        let scope = Self.scope(tags: &tags)

        var span = Span(traceID: zipkin.traceID, spanID: zipkin.spanID, parentSpanID: zipkin.parentSpanID,
                        name: zipkin.name, startTimeUnixNano: 0, endTimeUnixNano: 0)
        if let state = tags.removeValue(forKey: ZipkinTagKeys.traceState) { span.traceState = state }
        span.kind = Self.kind(zipkin.kind, tags: &tags)
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
        let (end, overflow) = timestamp.addingReportingOverflow(zipkin.durationNanos)
        guard !overflow else { throw reject("timestamp + duration overflows 64-bit nanoseconds") }
        span.endTimeUnixNano = end

        span.events = zipkin.annotations.map { ZipkinEncodedParts.event(annotation: $0.value, timeUnixNano: $0.timeUnixNano) }
        return Converted(span: span, serviceName: serviceName, resource: resource, scope: scope)
    }

    private func reject(_ message: String) -> Rejection { Rejection(message: "\(path).\(message)") }

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

    private static func kind(_ kind: ZipkinV2Span.Kind?, tags: inout [String: String]) -> SpanKind {
        switch kind {
        case .client: return .client
        case .server: return .server
        case .producer: return .producer
        case .consumer: return .consumer
        case nil:
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
