import KansokuModel

/// Reads one `zipkin.proto3.Span` off the wire into a `ZipkinV2Span`, with the
/// same checks the JSON reader makes (field numbers from Zipkin's
/// `zipkin.proto`). Ids are raw big-endian bytes (trace id 8 or 16, span ids
/// 8), times are microseconds, endpoint addresses are 4 or 16 raw bytes.
///
/// Bytes that are not valid protobuf (a truncated varint, a known field with
/// the wrong wire type) and invalid values both reject this span only: its
/// length was read from the enclosing list, so the next span is still found.
/// Unknown fields are skipped; `debug` and `shared` are checked and dropped,
/// as the Collector's translation does.
struct ZipkinV2ProtoSpanReader {
    typealias Rejection = ZipkinV2Span.Rejection

    /// `spans[3]`, prefixed to every rejection message.
    let path: String

    func read(_ reader: inout ProtobufReader) throws(Rejection) -> ZipkinV2Span {
        let raw: Raw
        do {
            raw = try Self.fields(&reader)
        } catch {
            throw Rejection(message: "\(path): \(error)")
        }
        return try validate(raw)
    }

    // MARK: Wire

    /// The span's fields as sent, before their values are checked.
    private struct Raw {
        var traceID: [UInt8] = []
        var spanID: [UInt8] = []
        var parentID: [UInt8] = []
        var kind: UInt64 = 0
        var name = ""
        var timestampMicros: UInt64 = 0
        var durationMicros: UInt64 = 0
        var localEndpoint: RawEndpoint?
        var remoteEndpoint: RawEndpoint?
        var annotations: [(timestampMicros: UInt64, value: String)] = []
        var tags: [String: String] = [:]
    }

    private struct RawEndpoint {
        var serviceName = ""
        var ipv4: [UInt8] = []
        var ipv6: [UInt8] = []
        var port: Int32 = 0
    }

    private static func fields(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> Raw {
        var raw = Raw()
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .lengthDelimited, field: "trace_id"); raw.traceID = try reader.bytes()
            case 2: try reader.expect(type, .lengthDelimited, field: "parent_id"); raw.parentID = try reader.bytes()
            case 3: try reader.expect(type, .lengthDelimited, field: "id"); raw.spanID = try reader.bytes()
            case 4: try reader.expect(type, .varint, field: "kind"); raw.kind = try reader.varint()
            case 5: try reader.expect(type, .lengthDelimited, field: "name"); raw.name = try reader.string()
            case 6: try reader.expect(type, .fixed64, field: "timestamp"); raw.timestampMicros = try reader.fixed64()
            case 7: try reader.expect(type, .varint, field: "duration"); raw.durationMicros = try reader.varint()
            case 8:
                // A repeated message field merges into the earlier one, as protobuf specifies.
                try reader.expect(type, .lengthDelimited, field: "local_endpoint")
                var inner = try reader.message()
                raw.localEndpoint = try endpoint(&inner, merging: raw.localEndpoint ?? RawEndpoint())
            case 9:
                try reader.expect(type, .lengthDelimited, field: "remote_endpoint")
                var inner = try reader.message()
                raw.remoteEndpoint = try endpoint(&inner, merging: raw.remoteEndpoint ?? RawEndpoint())
            case 10:
                try reader.expect(type, .lengthDelimited, field: "annotations")
                var inner = try reader.message()
                raw.annotations.append(try annotation(&inner))
            case 11:
                try reader.expect(type, .lengthDelimited, field: "tags")
                var inner = try reader.message()
                let (key, value) = try tag(&inner)
                raw.tags[key] = value
            case 12: try reader.expect(type, .varint, field: "debug"); _ = try reader.varint()
            case 13: try reader.expect(type, .varint, field: "shared"); _ = try reader.varint()
            default: try skip(&reader, type)
            }
        }
        return raw
    }

    /// `Endpoint`: service_name 1, ipv4 2, ipv6 3, port 4.
    private static func endpoint(_ reader: inout ProtobufReader, merging earlier: RawEndpoint) throws(ProtobufWireError) -> RawEndpoint {
        var endpoint = earlier
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .lengthDelimited, field: "endpoint.service_name"); endpoint.serviceName = try reader.string()
            case 2: try reader.expect(type, .lengthDelimited, field: "endpoint.ipv4"); endpoint.ipv4 = try reader.bytes()
            case 3: try reader.expect(type, .lengthDelimited, field: "endpoint.ipv6"); endpoint.ipv6 = try reader.bytes()
            case 4:
                try reader.expect(type, .varint, field: "endpoint.port")
                endpoint.port = Int32(truncatingIfNeeded: try reader.varint())  // int32, as protobuf reads it
            default: try skip(&reader, type)
            }
        }
        return endpoint
    }

    /// `Annotation`: timestamp 1 (fixed64 µs), value 2.
    private static func annotation(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> (timestampMicros: UInt64, value: String) {
        var annotation: (timestampMicros: UInt64, value: String) = (0, "")
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .fixed64, field: "annotation.timestamp"); annotation.timestampMicros = try reader.fixed64()
            case 2: try reader.expect(type, .lengthDelimited, field: "annotation.value"); annotation.value = try reader.string()
            default: try skip(&reader, type)
            }
        }
        return annotation
    }

    /// One entry of the `tags` map: key 1, value 2 (either may be absent: empty).
    private static func tag(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> (key: String, value: String) {
        var entry = (key: "", value: "")
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .lengthDelimited, field: "tags.key"); entry.key = try reader.string()
            case 2: try reader.expect(type, .lengthDelimited, field: "tags.value"); entry.value = try reader.string()
            default: try skip(&reader, type)
            }
        }
        return entry
    }

    /// Skips an unknown field. Zipkin's schema (proto3) has no groups, so one is an encoding error.
    static func skip(_ reader: inout ProtobufReader, _ type: ProtobufReader.WireType) throws(ProtobufWireError) {
        guard type != .startGroup, type != .endGroup else {
            throw reader.error("wire type \(type.rawValue) (group) is not used by Zipkin")
        }
        try reader.skip(type)
    }

    // MARK: Values

    private func reject(_ message: String) -> Rejection { Rejection(message: "\(path).\(message)") }

    private func validate(_ raw: Raw) throws(Rejection) -> ZipkinV2Span {
        guard !raw.traceID.isEmpty else { throw reject("trace_id: required") }
        let traceID: TraceID
        switch raw.traceID.count {
        case 16: traceID = TraceID(bytes: raw.traceID) ?? .zero
        case 8: traceID = TraceID(high: 0, low: Self.bigEndian(raw.traceID))  // 64-bit: the low half, as in JSON
        default: throw reject("trace_id: \(Self.describe(raw.traceID)), expected 8 or 16")
        }
        guard !traceID.isZero else { throw reject("trace_id: \(Self.describe(raw.traceID)) is all zero") }

        guard !raw.spanID.isEmpty else { throw reject("id: required") }
        guard raw.spanID.count == 8 else { throw reject("id: \(Self.describe(raw.spanID)), expected 8") }
        let spanID = SpanID(Self.bigEndian(raw.spanID))
        guard !spanID.isZero else { throw reject("id: \(Self.describe(raw.spanID)) is all zero") }

        var span = ZipkinV2Span(traceID: traceID, spanID: spanID)
        if !raw.parentID.isEmpty {
            guard raw.parentID.count == 8 else { throw reject("parent_id: \(Self.describe(raw.parentID)), expected 8") }
            let parent = SpanID(Self.bigEndian(raw.parentID))
            // A span naming itself as parent is a root, as in the Collector.
            if parent != spanID { span.parentSpanID = parent }
        }
        span.tags = raw.tags
        if let local = raw.localEndpoint { span.localEndpoint = try endpoint(local, field: "local_endpoint") }
        if let remote = raw.remoteEndpoint { span.remoteEndpoint = try endpoint(remote, field: "remote_endpoint") }
        span.timestampNanos = try nanoseconds(raw.timestampMicros, field: "timestamp")
        span.durationNanos = try nanoseconds(raw.durationMicros, field: "duration")
        span.name = raw.name
        span.kind = Self.kind(raw.kind)
        span.annotations.reserveCapacity(raw.annotations.count)
        for (index, annotation) in raw.annotations.enumerated() {
            let field = "annotations[\(index)].timestamp"
            let time = try nanoseconds(annotation.timestampMicros, field: field)
            guard time > 0 else { throw reject("\(field): required and positive") }
            span.annotations.append(ZipkinV2Span.Annotation(timeUnixNano: time, value: annotation.value))
        }
        return span
    }

    private func endpoint(_ raw: RawEndpoint, field: String) throws(Rejection) -> ZipkinV2Span.Endpoint {
        var endpoint = ZipkinV2Span.Endpoint()
        endpoint.serviceName = raw.serviceName
        for (family, bytes) in [("ipv4", raw.ipv4), ("ipv6", raw.ipv6)] where !bytes.isEmpty {
            // Either family is accepted in either field, as Zipkin's own decoder does.
            guard let ip = ZipkinIPAddress.canonical(bytes: bytes) else {
                throw reject("\(field).\(family): \(Self.describe(bytes)) is not an IP address (4 or 16 bytes)")
            }
            if family == "ipv4" { endpoint.ipv4 = ip } else { endpoint.ipv6 = ip }
        }
        guard let port = UInt16(exactly: raw.port) else {
            throw reject("\(field).port: \(raw.port) is not a port number (0 to 65535)")
        }
        endpoint.port = port
        return endpoint
    }

    private func nanoseconds(_ micros: UInt64, field: String) throws(Rejection) -> UInt64 {
        let (nanos, overflow) = micros.multipliedReportingOverflow(by: 1_000)
        guard !overflow else { throw reject("\(field): \(micros) microseconds is out of range") }
        return nanos
    }

    /// `Span.Kind`; 0 (unspecified) and values Zipkin does not define are no kind.
    private static func kind(_ value: UInt64) -> ZipkinV2Span.Kind? {
        switch value {
        case 1: .client
        case 2: .server
        case 3: .producer
        case 4: .consumer
        default: nil
        }
    }

    /// The value of 8 big-endian bytes.
    private static func bigEndian(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// `5 bytes "0a0b0c0d0e"`, at most 32 bytes shown.
    private static func describe(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        for byte in bytes.prefix(32) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xF)])
        }
        let more = bytes.count > 32 ? "…" : ""
        return "\(bytes.count) bytes \"\(String(decoding: hex, as: UTF8.self))\(more)\""
    }
}
