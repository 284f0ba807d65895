import KansokuModel
import Testing
@testable import KansokuIngest

/// A minimal protobuf writer, enough to build `zipkin.proto3` messages by field number.
private struct Proto {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func key(_ field: UInt64, _ wireType: UInt64) { varint(field << 3 | wireType) }
    mutating func varint(_ field: UInt64, _ value: UInt64) { key(field, 0); varint(value) }
    mutating func fixed64(_ field: UInt64, _ value: UInt64) {
        key(field, 1)
        bytes += (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
    mutating func fixed32(_ field: UInt64, _ value: UInt32) {
        key(field, 5)
        bytes += (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
    mutating func bytes(_ field: UInt64, _ value: [UInt8]) { key(field, 2); varint(UInt64(value.count)); bytes += value }
    mutating func string(_ field: UInt64, _ value: String) { bytes(field, Array(value.utf8)) }
    mutating func message(_ field: UInt64, _ value: Proto) { bytes(field, value.bytes) }
}

/// `Endpoint`: service_name 1, ipv4 2, ipv6 3, port 4.
private func endpoint(_ service: String? = nil, ipv4: [UInt8] = [], ipv6: [UInt8] = [], port: Int32 = 0) -> Proto {
    var p = Proto()
    if let service { p.string(1, service) }
    if !ipv4.isEmpty { p.bytes(2, ipv4) }
    if !ipv6.isEmpty { p.bytes(3, ipv6) }
    if port != 0 { p.varint(4, UInt64(bitPattern: Int64(port))) }  // int32: negatives are sign-extended to 10 bytes
    return p
}

/// `Span` (field numbers from zipkin.proto); ids are hex, as in the JSON twin.
private func span(
    trace: String, id: String, parent: String? = nil, kind: UInt64 = 0, name: String = "",
    timestamp: UInt64 = 0, duration: UInt64 = 0, local: Proto? = nil, remote: Proto? = nil,
    annotations: [(UInt64, String)] = [], tags: [(String, String)] = [], debug: Bool = false, shared: Bool = false
) -> Proto {
    var p = Proto()
    p.bytes(1, Hex.decode(trace) ?? [])
    if let parent { p.bytes(2, Hex.decode(parent) ?? []) }
    p.bytes(3, Hex.decode(id) ?? [])
    if kind != 0 { p.varint(4, kind) }
    if !name.isEmpty { p.string(5, name) }
    if timestamp != 0 { p.fixed64(6, timestamp) }
    if duration != 0 { p.varint(7, duration) }
    if let local { p.message(8, local) }
    if let remote { p.message(9, remote) }
    for (time, value) in annotations {
        var a = Proto()
        a.fixed64(1, time)
        a.string(2, value)
        p.message(10, a)
    }
    for (key, value) in tags {
        var entry = Proto()
        entry.string(1, key)
        entry.string(2, value)
        p.message(11, entry)
    }
    if debug { p.varint(12, 1) }
    if shared { p.varint(13, 1) }
    return p
}

/// `ListOfSpans`: spans 1.
private func list(_ spans: [Proto]) -> [UInt8] {
    var p = Proto()
    for s in spans { p.message(1, s) }
    return p.bytes
}

private func decode(_ spans: [Proto]) throws -> ConversionOutcome<Span> {
    try ZipkinV2ProtoDecoder.decode(list(spans))
}

/// The message of the `.malformed` error decoding `bytes` throws, or nil.
private func malformedMessage(_ bytes: [UInt8]) -> String? {
    do {
        _ = try ZipkinV2ProtoDecoder.decode(bytes)
        return nil
    } catch {
        guard case .malformed(let message) = error else { return nil }
        return message
    }
}

extension SpanBatch {
    fileprivate var allSpans: [Span] { resources.flatMap { $0.scopes.flatMap(\.items) } }
}

@Suite struct ZipkinV2ProtoDecoderTests {
    static let trace = "4e441824ec2b6a44ffdc9bb9a6453df3"
    static let root = "6b221d5bc9e6496c", client = "352bff9a74ca9ad2", annotated = "5f1a2b3c4d5e6f70"
    static let sharedID = "0000000000000abc", short = "00000000000000aa"
    static let v6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]
    static let mapped: [UInt8] = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 10, 0, 0, 2]

    /// Root server span, client child calling an IPv6 remote, a span with
    /// annotations and tags, a shared server span, and a 64-bit trace.
    fileprivate static let protoSpans: [Proto] = [
        span(trace: trace, id: root, kind: 2, name: "get /cart", timestamp: 1_700_000_000_000_000, duration: 30_000,
             local: endpoint("frontend", ipv4: [10, 0, 0, 1], port: 8080), tags: [("http.method", "GET")]),
        span(trace: trace, id: client, parent: root, kind: 1, name: "call backend", timestamp: 1_700_000_000_001_000,
             duration: 25_000, local: endpoint("frontend"), remote: endpoint("backend", ipv6: v6, port: 9000)),
        span(trace: trace, id: annotated, parent: client, name: "query", timestamp: 1_700_000_000_002_000, duration: 1_000,
             local: endpoint("backend"),
             annotations: [(1_700_000_000_002_100, "ws"), (1_700_000_000_002_900, #"exception|{"exception.type":"IOError"}|0"#)],
             tags: [("error", "Internal Server Error"), ("otel.library.name", "db"), ("otel.library.version", "1.2"),
                    ("w3c.tracestate", "k=v"), ("otel.status_code", "STATUS_CODE_ERROR"), ("db.system", "postgres"),
                    ("otlp.link.0", "\(trace)|\(root)||{}|0")]),
        span(trace: trace, id: sharedID, parent: client, kind: 2, name: "call backend", timestamp: 1_700_000_000_001_500,
             duration: 20_000, local: endpoint("backend", ipv6: mapped, port: 9000), shared: true),
        span(trace: "5af7183fb1d4cf5f", id: short, parent: short, name: "render", timestamp: 1_700_000_000_100_000,
             duration: 250, local: endpoint("frontend"), tags: [("span.kind", "internal")], debug: true),
    ]

    static let json = #"""
    [
      {"traceId": "4e441824ec2b6a44ffdc9bb9a6453df3", "id": "6b221d5bc9e6496c", "kind": "SERVER", "name": "get /cart",
       "timestamp": 1700000000000000, "duration": 30000,
       "localEndpoint": {"serviceName": "frontend", "ipv4": "10.0.0.1", "port": 8080}, "tags": {"http.method": "GET"}},
      {"traceId": "4e441824ec2b6a44ffdc9bb9a6453df3", "id": "352bff9a74ca9ad2", "parentId": "6b221d5bc9e6496c", "kind": "CLIENT",
       "name": "call backend", "timestamp": 1700000000001000, "duration": 25000, "localEndpoint": {"serviceName": "frontend"},
       "remoteEndpoint": {"serviceName": "backend", "ipv6": "2001:db8::1", "port": 9000}},
      {"traceId": "4e441824ec2b6a44ffdc9bb9a6453df3", "id": "5f1a2b3c4d5e6f70", "parentId": "352bff9a74ca9ad2", "name": "query",
       "timestamp": 1700000000002000, "duration": 1000, "localEndpoint": {"serviceName": "backend"},
       "annotations": [{"timestamp": 1700000000002100, "value": "ws"},
                       {"timestamp": 1700000000002900, "value": "exception|{\"exception.type\":\"IOError\"}|0"}],
       "tags": {"error": "Internal Server Error", "otel.library.name": "db", "otel.library.version": "1.2", "w3c.tracestate": "k=v",
                "otel.status_code": "STATUS_CODE_ERROR", "db.system": "postgres",
                "otlp.link.0": "4e441824ec2b6a44ffdc9bb9a6453df3|6b221d5bc9e6496c||{}|0"}},
      {"traceId": "4e441824ec2b6a44ffdc9bb9a6453df3", "id": "0000000000000abc", "parentId": "352bff9a74ca9ad2", "kind": "SERVER",
       "name": "call backend", "timestamp": 1700000000001500, "duration": 20000, "shared": true,
       "localEndpoint": {"serviceName": "backend", "ipv6": "::ffff:10.0.0.2", "port": 9000}},
      {"traceId": "5af7183fb1d4cf5f", "id": "00000000000000aa", "parentId": "00000000000000aa", "name": "render",
       "timestamp": 1700000000100000, "duration": 250, "debug": true, "localEndpoint": {"serviceName": "frontend"},
       "tags": {"span.kind": "internal"}}
    ]
    """#

    @Test func protobufAndJSONGiveTheSameBatch() throws {
        let proto = try decode(Self.protoSpans)
        let json = try ZipkinV2JSONDecoder.decode(Array(Self.json.utf8))
        #expect(proto.rejected == 0, "\(proto.errorMessage)")
        #expect(json.rejected == 0, "\(json.errorMessage)")
        #expect(proto.batch == json.batch)

        // And the batch is what the spans say, so the two cannot agree on being wrong.
        let spans = proto.batch.allSpans
        #expect(spans.count == 5)
        #expect(proto.batch.resources.map { $0.resource.serviceName } == ["frontend", "backend"])
        let byID = Dictionary(uniqueKeysWithValues: spans.map { ($0.spanID.hex, $0) })
        let rootSpan = try #require(byID[Self.root])
        #expect(rootSpan.traceID.hex == Self.trace)
        #expect(rootSpan.parentSpanID == .zero)
        #expect(rootSpan.kind == .server)
        #expect(rootSpan.startTimeUnixNano == 1_700_000_000_000_000_000)
        #expect(rootSpan.endTimeUnixNano == 1_700_000_000_030_000_000)
        #expect(rootSpan.attributes == [
            Attribute(key: "http.method", value: .string("GET")),
            Attribute(key: "net.host.ip", value: .string("10.0.0.1")),
            Attribute(key: "net.host.port", value: .int(8080)),
        ])
        let clientSpan = try #require(byID[Self.client])
        #expect(clientSpan.parentSpanID.hex == Self.root)
        #expect(clientSpan.kind == .client)
        #expect(clientSpan.attributes[key: "net.peer.ip"] == .string("2001:db8::1"))
        #expect(clientSpan.attributes[key: "peer.service"] == .string("backend"))
        #expect(clientSpan.attributes[key: "net.peer.port"] == .int(9000))
        let annotatedSpan = try #require(byID[Self.annotated])
        #expect(annotatedSpan.events.map(\.name) == ["ws", "exception"])
        #expect(annotatedSpan.events.map(\.timeUnixNano) == [1_700_000_000_002_100_000, 1_700_000_000_002_900_000])
        #expect(annotatedSpan.status == SpanStatus(code: .error, message: "Internal Server Error"))
        #expect(annotatedSpan.traceState == "k=v")
        #expect(annotatedSpan.links.map(\.spanID.hex) == [Self.root])
        #expect(annotatedSpan.attributes.map(\.key) == ["db.system", "error"])
        let sharedSpan = try #require(byID[Self.sharedID])
        #expect(sharedSpan.kind == .server)
        #expect(sharedSpan.attributes[key: "net.host.ip"] == .string("10.0.0.2"))
        let render = try #require(byID[Self.short])
        #expect(render.traceID == TraceID(high: 0, low: 0x5af7_183f_b1d4_cf5f))
        #expect(render.parentSpanID == .zero, "a span naming itself as parent is a root")
        #expect(render.kind == .internal)
        #expect(render.durationNanos == 250_000)
    }

    @Test func emptyBodyIsAnEmptyBatch() throws {
        let outcome = try ZipkinV2ProtoDecoder.decode([])
        #expect(outcome.batch.isEmpty)
        #expect(outcome.rejected == 0)
    }

    @Test func unknownFieldsAreSkipped() throws {
        let plain = try decode([span(trace: Self.trace, id: Self.root, kind: 2, name: "n", timestamp: 5,
                                     local: endpoint("svc", ipv4: [10, 0, 0, 1]), annotations: [(6, "a")], tags: [("k", "v")])])
        var unknown = Proto()
        unknown.varint(99, 7)
        unknown.fixed32(100, 1)
        unknown.fixed64(101, 2)
        unknown.string(102, "later schema")
        var local = endpoint("svc", ipv4: [10, 0, 0, 1])
        local.bytes += unknown.bytes
        var withUnknown = span(trace: Self.trace, id: Self.root, kind: 2, name: "n", timestamp: 5, local: local, tags: [("k", "v")])
        var annotation = Proto()
        annotation.fixed64(1, 6)
        annotation.bytes += unknown.bytes
        annotation.string(2, "a")
        withUnknown.message(10, annotation)
        withUnknown.bytes += unknown.bytes
        let outcome = try ZipkinV2ProtoDecoder.decode(unknown.bytes + list([withUnknown]) + unknown.bytes)
        #expect(outcome.rejected == 0, "\(outcome.errorMessage)")
        #expect(outcome.batch == plain.batch)
        #expect(outcome.batch.itemCount == 1)
    }

    @Test func repeatedEndpointsMergeAndRepeatedScalarsKeepTheLast() throws {
        var twice = span(trace: Self.trace, id: Self.root, name: "first", local: endpoint("svc", port: 80))
        twice.string(5, "second")
        twice.message(8, endpoint(ipv4: [10, 0, 0, 9]))
        let spanOut = try #require(try decode([twice]).batch.allSpans.first)
        #expect(spanOut.name == "second")
        #expect(spanOut.attributes[key: "net.host.ip"] == .string("10.0.0.9"))
        #expect(spanOut.attributes[key: "net.host.port"] == .int(80))
    }

    @Test func invalidSpansAreRejectedOneByOne() throws {
        let good = span(trace: Self.trace, id: Self.root, local: endpoint("svc"))
        var truncated = Proto()
        truncated.bytes(1, Hex.decode(Self.trace) ?? [])
        truncated.bytes += [0x20, 0x80]  // kind: a varint that never ends
        var wrongType = Proto()
        wrongType.varint(1, 5)  // trace_id as a varint
        let outcome = try decode([
            good,
            span(trace: "0102030405", id: Self.client),
            span(trace: Self.trace, id: "01020304"),
            span(trace: "", id: Self.client),
            span(trace: Self.trace, id: ""),
            span(trace: String(repeating: "0", count: 32), id: Self.client),
            span(trace: Self.trace, id: "0000000000000000"),
            span(trace: Self.trace, id: Self.client, parent: "010203"),
            truncated,
            wrongType,
            span(trace: "5af7183fb1d4cf5f", id: Self.short),
        ])
        #expect(outcome.batch.allSpans.map(\.spanID.hex) == [Self.root, Self.short])
        #expect(outcome.rejected == 9)
        #expect(outcome.errorMessage == [
            #"spans[1].trace_id: 5 bytes "0102030405", expected 8 or 16"#,
            #"spans[2].id: 4 bytes "01020304", expected 8"#,
            "spans[3].trace_id: required",
            "spans[4].id: required",
            #"spans[5].trace_id: 16 bytes "00000000000000000000000000000000" is all zero"#,
        ].joined(separator: "; ") + " (and 4 more)")

        // The ones past the first five, one at a time.
        let cases: [(Proto, String)] = [
            (span(trace: Self.trace, id: "0000000000000000"), #"spans[0].id: 8 bytes "0000000000000000" is all zero"#),
            (span(trace: Self.trace, id: Self.client, parent: "010203"), #"spans[0].parent_id: 3 bytes "010203", expected 8"#),
            // Offsets count from the start of the body: list key+length (2), trace_id (18), kind key (1).
            (truncated, "spans[0]: truncated varint at byte 22"),
            (wrongType, "spans[0]: field trace_id has wire type 0, want 2 at byte 3"),
        ]
        for (bad, expected) in cases {
            let single = try decode([bad, good])
            #expect(single.rejected == 1)
            #expect(single.batch.itemCount == 1)
            #expect(single.errorMessage == expected)
        }
    }

    @Test func otherInvalidFieldsRejectTheSpan() throws {
        func with(_ build: (inout Proto) -> Void) -> Proto {
            var p = span(trace: "5af7183fb1d4cf5f", id: "0000000000000001")
            build(&p)
            return p
        }
        let cases: [(Proto, String)] = [
            (span(trace: "5af7183fb1d4cf5f", id: "0000000000000001", local: endpoint(ipv4: [0x2c, 1, 1, 1, 1])),
             #"spans[0].local_endpoint.ipv4: 5 bytes "2c01010101" is not an IP address (4 or 16 bytes)"#),
            (span(trace: "5af7183fb1d4cf5f", id: "0000000000000001", remote: endpoint(ipv6: [1, 2, 3])),
             #"spans[0].remote_endpoint.ipv6: 3 bytes "010203" is not an IP address (4 or 16 bytes)"#),
            (span(trace: "5af7183fb1d4cf5f", id: "0000000000000001", remote: endpoint(port: 70000)),
             "spans[0].remote_endpoint.port: 70000 is not a port number (0 to 65535)"),
            (span(trace: "5af7183fb1d4cf5f", id: "0000000000000001", local: endpoint(port: -1)),
             "spans[0].local_endpoint.port: -1 is not a port number (0 to 65535)"),
            (with { $0.message(10, { var a = Proto(); a.string(2, "x"); return a }()) },
             "spans[0].annotations[0].timestamp: required and positive"),
            (with { $0.fixed64(6, UInt64.max) }, "spans[0].timestamp: 18446744073709551615 microseconds is out of range"),
            (with { $0.fixed64(6, 18_000_000_000_000_000); $0.varint(7, 1_000_000_000_000_000) },
             "spans[0].timestamp + duration overflows 64-bit nanoseconds"),
            // Offsets count from the start of the body; the fields added here start at byte 22.
            (with { $0.key(6, 0); $0.varint(1) }, "spans[0]: field timestamp has wire type 0, want 1 at byte 23"),
            (with { $0.key(13, 2); $0.varint(0) }, "spans[0]: field shared has wire type 2, want 0 at byte 23"),
            (with { $0.message(8, { var e = Proto(); e.varint(1, 3); return e }()) },
             "spans[0]: field endpoint.service_name has wire type 0, want 2 at byte 25"),
            (with { $0.key(15, 3) }, "spans[0]: wire type 3 (group) is not used by Zipkin at byte 23"),
            (with { $0.bytes(11, [0x80]) }, "spans[0]: truncated varint at byte 25"),
        ]
        for (bad, expected) in cases {
            let outcome = try decode([bad])
            #expect(outcome.rejected == 1, "\(expected)")
            #expect(outcome.batch.isEmpty)
            #expect(outcome.errorMessage == expected)
        }
    }

    @Test func aBrokenListIsMalformed() {
        #expect(malformedMessage([0x0A]) == "invalid protobuf ListOfSpans: truncated varint at byte 1")
        #expect(malformedMessage([0x0A, 0x05, 0x01]) == "invalid protobuf ListOfSpans: length 5 runs past the end of the message at byte 2")
        #expect(malformedMessage([0x08, 0x01]) == "invalid protobuf ListOfSpans: field spans has wire type 0, want 2 at byte 1")
        // A JSON list sent as protobuf: `[` is field 11 with wire type 3.
        #expect(malformedMessage(Array("[]".utf8)) == "invalid protobuf ListOfSpans: wire type 3 (group) is not used by Zipkin at byte 1")
        #expect(malformedMessage([0x0F]) == "invalid protobuf ListOfSpans: invalid field key 15 at byte 1")
        #expect(malformedMessage([0x10] + [UInt8](repeating: 0xFF, count: 10) + [0x01])
            == "invalid protobuf ListOfSpans: varint overflows 64 bits at byte 11")
    }
}
