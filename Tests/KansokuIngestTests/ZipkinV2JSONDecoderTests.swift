import KansokuModel
import Testing
@testable import KansokuIngest

/// Decodes `json`, failing the test on a thrown error.
private func decode(_ json: String) throws -> ConversionOutcome<Span> {
    try ZipkinV2JSONDecoder.decode(Array(json.utf8))
}

/// The message of the `.malformed` error decoding `json` throws, or nil.
private func malformedMessage(_ json: String) -> String? {
    do {
        _ = try ZipkinV2JSONDecoder.decode(Array(json.utf8))
        return nil
    } catch {
        guard case .malformed(let message) = error else { return nil }
        return message
    }
}

extension SpanBatch {
    /// The resource whose `service.name` is `name`.
    fileprivate func resource(_ name: String) -> ResourceItems<Span>? {
        resources.first { $0.resource.serviceName == name }
    }

    fileprivate var allSpans: [Span] { resources.flatMap { $0.scopes.flatMap(\.items) } }

    fileprivate func span(_ hex: String) -> Span? { allSpans.first { $0.spanID.hex == hex } }
}

@Suite struct ZipkinV2JSONDecoderTests {
    /// A frontend CLIENT call to a backend SERVER span in one 128-bit trace, and an
    /// internal frontend span in another, 64-bit, trace.
    static let multiService = """
    [
      {
        "traceId": "4e441824ec2b6a44ffdc9bb9a6453df3",
        "id": "352bff9a74ca9ad2",
        "parentId": "6b221d5bc9e6496c",
        "name": "get /api",
        "kind": "CLIENT",
        "timestamp": 1556604172355737,
        "duration": 1431,
        "debug": true,
        "localEndpoint": {"serviceName": "frontend", "ipv4": "192.168.99.1", "port": 8080},
        "remoteEndpoint": {"serviceName": "backend", "ipv4": "172.19.0.2", "port": 9000},
        "annotations": [
          {"timestamp": 1556604172355800, "value": "ws"},
          {"timestamp": 1556604172357100, "value": "wr"}
        ],
        "tags": {
          "http.method": "GET",
          "http.path": "/api",
          "otel.library.name": "io.opentelemetry.okhttp-3.0",
          "otel.library.version": "1.32.0"
        }
      },
      {
        "traceId": "4e441824ec2b6a44ffdc9bb9a6453df3",
        "id": "5f1a2b3c4d5e6f70",
        "parentId": "352bff9a74ca9ad2",
        "name": "get /api",
        "kind": "SERVER",
        "timestamp": 1556604172355900,
        "duration": 1000,
        "shared": true,
        "localEndpoint": {"serviceName": "backend", "ipv6": "2001:0db8:0000:0000:0000:0000:0000:0001", "port": 9000},
        "remoteEndpoint": {"ipv4": "192.168.99.1", "port": 54321},
        "annotations": [{"timestamp": 1556604172356500, "value": "db.query.slow"}],
        "tags": {
          "error": "Internal Server Error",
          "http.status_code": "500",
          "w3c.tracestate": "vendor=opaque"
        }
      },
      {
        "traceId": "5af7183fb1d4cf5f",
        "id": "0000000000000abc",
        "name": "render",
        "timestamp": 1556604172400000,
        "duration": 250,
        "localEndpoint": {"serviceName": "frontend"},
        "tags": {"span.kind": "internal", "template": "home"}
      }
    ]
    """

    @Test func multiServiceTraceMapsEveryField() throws {
        let outcome = try decode(Self.multiService)
        #expect(outcome.rejected == 0)
        #expect(outcome.errorMessage == "")
        let batch = outcome.batch
        #expect(batch.itemCount == 3)
        #expect(batch.resources.count == 2)

        // Resources: one per local service, with only service.name.
        let frontend = try #require(batch.resource("frontend"))
        let backend = try #require(batch.resource("backend"))
        #expect(frontend.resource.attributes == [Attribute(key: "service.name", value: .string("frontend"))])
        #expect(backend.resource.attributes == [Attribute(key: "service.name", value: .string("backend"))])

        // Scopes: otel.library.* becomes the scope; spans without it share an empty scope.
        #expect(frontend.scopes.count == 2)
        #expect(frontend.scopes[0].scope == InstrumentationScope(name: "io.opentelemetry.okhttp-3.0", version: "1.32.0"))
        #expect(frontend.scopes[0].items.map(\.spanID.hex) == ["352bff9a74ca9ad2"])
        #expect(frontend.scopes[1].scope == InstrumentationScope())
        #expect(frontend.scopes[1].items.map(\.spanID.hex) == ["0000000000000abc"])
        #expect(backend.scopes.count == 1)
        #expect(backend.scopes[0].scope == InstrumentationScope())

        // The client span.
        let client = try #require(batch.span("352bff9a74ca9ad2"))
        #expect(client.traceID == TraceID(hex: "4e441824ec2b6a44ffdc9bb9a6453df3"))
        #expect(client.parentSpanID == SpanID(hex: "6b221d5bc9e6496c"))
        #expect(client.name == "get /api")
        #expect(client.kind == .client)
        #expect(client.startTimeUnixNano == 1_556_604_172_355_737_000)
        #expect(client.endTimeUnixNano == 1_556_604_172_355_737_000 + 1_431_000)
        #expect(client.status == SpanStatus())
        #expect(client.traceState == "")
        #expect(client.flags == 0)
        #expect(client.links.isEmpty)
        #expect(client.events == [
            SpanEvent(timeUnixNano: 1_556_604_172_355_800_000, name: "ws"),
            SpanEvent(timeUnixNano: 1_556_604_172_357_100_000, name: "wr"),
        ])
        #expect(client.attributes == [
            Attribute(key: "http.method", value: .string("GET")),
            Attribute(key: "http.path", value: .string("/api")),
            Attribute(key: "net.host.ip", value: .string("192.168.99.1")),
            Attribute(key: "net.host.port", value: .int(8080)),
            Attribute(key: "peer.service", value: .string("backend")),
            Attribute(key: "net.peer.ip", value: .string("172.19.0.2")),
            Attribute(key: "net.peer.port", value: .int(9000)),
        ])

        // The server span: same trace, child of the client, failed.
        let server = try #require(batch.span("5f1a2b3c4d5e6f70"))
        #expect(server.traceID == client.traceID)
        #expect(server.parentSpanID == client.spanID)
        #expect(server.kind == .server)
        #expect(server.startTimeUnixNano == 1_556_604_172_355_900_000)
        #expect(server.endTimeUnixNano == 1_556_604_172_356_900_000)
        #expect(server.status == SpanStatus(code: .error, message: "Internal Server Error"))
        #expect(server.traceState == "vendor=opaque")
        #expect(server.events == [SpanEvent(timeUnixNano: 1_556_604_172_356_500_000, name: "db.query.slow")])
        #expect(server.attributes == [
            // The Collector keeps an error tag that is not "true" as an attribute.
            Attribute(key: "error", value: .string("Internal Server Error")),
            Attribute(key: "http.status_code", value: .string("500")),
            Attribute(key: "net.host.ip", value: .string("2001:db8::1")),
            Attribute(key: "net.host.port", value: .int(9000)),
            Attribute(key: "net.peer.ip", value: .string("192.168.99.1")),
            Attribute(key: "net.peer.port", value: .int(54321)),
        ])

        // The 64-bit trace id is the low half of a 128-bit one; span.kind=internal gives INTERNAL.
        let render = try #require(batch.span("0000000000000abc"))
        #expect(render.traceID == TraceID(high: 0, low: 0x5af7_183f_b1d4_cf5f))
        #expect(render.traceID.hex == "00000000000000005af7183fb1d4cf5f")
        #expect(render.parentSpanID == .zero)
        #expect(render.kind == .internal)
        #expect(render.name == "render")
        #expect(render.durationNanos == 250_000)
        #expect(render.attributes == [Attribute(key: "template", value: .string("home"))])
    }

    @Test func emptyArrayIsAnEmptyBatch() throws {
        for body in ["[]", " [ ]\n"] {
            let outcome = try decode(body)
            #expect(outcome.batch.isEmpty)
            #expect(outcome.batch.resources.isEmpty)
            #expect(outcome.rejected == 0)
        }
    }

    @Test func invalidIdsAreRejectedOneByOne() throws {
        let outcome = try decode("""
        [
          {"traceId": "4e441824ec2b6a44ffdc9bb9a6453df3", "id": "352bff9a74ca9ad2", "timestamp": 1, "localEndpoint": {"serviceName": "a"}},
          {"traceId": "not-hex", "id": "352bff9a74ca9ad2"},
          {"traceId": "4e441824ec2b6a44ffdc9bb9a6453df3", "id": "352bff9a74ca9ad2ff"},
          {"traceId": "4e441824ec2b6a44ffdc9bb9a6453df3", "id": "352bff9a74ca9ad2", "parentId": "xyz"},
          {"traceId": "5af7183fb1d4cf5f", "id": "0000000000000002", "timestamp": 2, "localEndpoint": {"serviceName": "b"}},
          {"traceId": "4e441824ec2b6a44ffdc9bb9a6453df3", "id": "0000000000000000"},
          {"id": "352bff9a74ca9ad2"},
          {"traceId": "4e441824ec2b6a44ffdc9bb9a6453df3ab", "id": "352bff9a74ca9ad2"}
        ]
        """)
        #expect(outcome.batch.itemCount == 2)
        #expect(outcome.batch.allSpans.map(\.spanID.value) == [0x352b_ff9a_74ca_9ad2, 2])
        #expect(outcome.rejected == 6)
        let message = outcome.errorMessage
        #expect(message.contains(#"spans[1].traceId: "not-hex""#))
        #expect(message.contains(#"spans[2].id: "352bff9a74ca9ad2ff""#))
        #expect(message.contains(#"spans[3].parentId: "xyz""#))
        #expect(message.contains(#"spans[5].id: "0000000000000000""#))
        #expect(message.contains("spans[6].traceId: required"))
        #expect(message.hasSuffix("(and 1 more)"))
    }

    @Test func otherInvalidFieldsRejectTheSpan() throws {
        let base = #""traceId": "5af7183fb1d4cf5f", "id": "0000000000000001""#
        let cases: [(String, String)] = [
            (#"{\#(base), "timestamp": -5}"#, "spans[0].timestamp: expected a non-negative integer of microseconds, got -5"),
            (#"{\#(base), "duration": 1.5}"#, "spans[0].duration: expected a non-negative integer of microseconds, got 1.5"),
            (#"{\#(base), "timestamp": "1"}"#, #"spans[0].timestamp: expected a non-negative integer of microseconds, got "1""#),
            (#"{\#(base), "localEndpoint": {"ipv4": "300.1.1.1"}}"#, #"spans[0].localEndpoint.ipv4: "300.1.1.1" is not an IP address"#),
            (#"{\#(base), "remoteEndpoint": {"port": 70000}}"#, "spans[0].remoteEndpoint.port: 70000 is not a port number (0 to 65535)"),
            (#"{\#(base), "annotations": [{"value": "x"}]}"#, "spans[0].annotations[0].timestamp: required and positive"),
            (#"{\#(base), "tags": {"a": [1]}}"#, "spans[0].tags.a: expected a string, got an array"),
            (#"{\#(base), "name": 7}"#, "spans[0].name: expected a string, got a number"),
            (#"{\#(base), "timestamp": 18446744073709551615}"#, "spans[0].timestamp: 18446744073709551615 microseconds is out of range"),
        ]
        for (span, expected) in cases {
            let outcome = try decode("[\(span)]")
            #expect(outcome.rejected == 1, "\(span)")
            #expect(outcome.batch.isEmpty)
            #expect(outcome.errorMessage == expected)
        }
    }

    @Test func notAnArrayOfObjectsIsMalformed() {
        #expect(malformedMessage(#"{"traceId": "5af7183fb1d4cf5f"}"#) == "a Zipkin v2 span list must be a JSON array, got an object")
        #expect(malformedMessage("42") == "a Zipkin v2 span list must be a JSON array, got a number")
        #expect(malformedMessage(#"[{"traceId": "5af7183fb1d4cf5f", "id": "1"}, "span"]"#)
            == "spans[1]: a Zipkin v2 span must be a JSON object, got a string")
        #expect(malformedMessage("[null]") == "spans[0]: a Zipkin v2 span must be a JSON object, got null")
        #expect(malformedMessage(#"[{"traceId": "5af7183fb1d4cf5f""#) == "invalid JSON: unterminated object at byte 31")
        #expect(malformedMessage("") == "invalid JSON: empty body at byte 0")
        #expect(malformedMessage("[1,]")?.hasPrefix("invalid JSON: unexpected character ']'") == true)
        #expect(malformedMessage("[] []") == "invalid JSON: unexpected content after the JSON value at byte 3")
    }

    @Test func integersAreExactBeyondDoublePrecision() throws {
        // 2^53 + 1 µs: a Double would round it to 2^53.
        let outcome = try decode("""
        [{"traceId": "5af7183fb1d4cf5f", "id": "0000000000000001", "timestamp": 9007199254740993, "duration": 9007199254740993}]
        """)
        let span = try #require(outcome.batch.allSpans.first)
        #expect(span.startTimeUnixNano == 9_007_199_254_740_993_000)
        #expect(span.endTimeUnixNano == 18_014_398_509_481_986_000)
    }

    @Test func statusTagsFollowTheCollector() throws {
        let outcome = try decode("""
        [
          {"traceId": "5af7183fb1d4cf5f", "id": "0000000000000001",
           "tags": {"otel.status_code": "STATUS_CODE_ERROR", "otel.status_description": "deadline exceeded", "k": "v"}},
          {"traceId": "5af7183fb1d4cf5f", "id": "0000000000000002", "tags": {"otel.status_code": "Ok"}},
          {"traceId": "5af7183fb1d4cf5f", "id": "0000000000000003", "tags": {"error": "true"}},
          {"traceId": "5af7183fb1d4cf5f", "id": "0000000000000004", "tags": {"otel.status_description": "alone"}},
          {"traceId": "5af7183fb1d4cf5f", "id": "0000000000000005", "kind": "PRODUCER", "tags": {"span.kind": "internal"}},
          {"traceId": "5af7183fb1d4cf5f", "id": "0000000000000006", "kind": "CONSUMER", "parentId": "0000000000000006"}
        ]
        """)
        #expect(outcome.rejected == 0)
        let spans = outcome.batch.allSpans
        #expect(spans[0].status == SpanStatus(code: .error, message: "deadline exceeded"))
        #expect(spans[0].attributes.map(\.key) == ["k", "otel.zipkin.absentField.startTime"])
        #expect(spans[1].status == SpanStatus(code: .ok))
        #expect(spans[2].status == SpanStatus(code: .error))
        #expect(spans[2].attributes[key: "error"] == nil)
        // A description without a code stays a plain attribute, as in the Collector.
        #expect(spans[3].status == SpanStatus())
        #expect(spans[3].attributes[key: "otel.status_description"] == .string("alone"))
        // A real Zipkin kind wins; span.kind is then just a tag.
        #expect(spans[4].kind == .producer)
        #expect(spans[4].attributes[key: "span.kind"] == .string("internal"))
        // A span naming itself as parent is a root.
        #expect(spans[5].kind == .consumer)
        #expect(spans[5].parentSpanID == .zero)
    }

    @Test func missingServiceNameAndTimestampFollowTheCollector() throws {
        let outcome = try decode("""
        [
          {"traceId": "5af7183fb1d4cf5f", "id": "0000000000000001", "duration": 30},
          {"traceId": "5af7183fb1d4cf5f", "id": "0000000000000002", "localEndpoint": {"serviceName": ""}, "timestamp": 10},
          {"traceId": "5af7183fb1d4cf5f", "id": "0000000000000003", "localEndpoint": {"serviceName": "fn"},
           "tags": {"otlp.service.name.source": "faas.name", "otel.scope.name": "my.scope", "otel.scope.version": "2"}}
        ]
        """)
        #expect(outcome.batch.resources.count == 2)
        // No local service name: a resource without attributes, shared by both such spans.
        let anonymous = outcome.batch.resources[0]
        #expect(anonymous.resource.attributes.isEmpty)
        #expect(anonymous.scopes.flatMap(\.items).map(\.spanID.value) == [1, 2])
        let untimed = anonymous.scopes[0].items[0]
        #expect(untimed.startTimeUnixNano == 0)
        #expect(untimed.endTimeUnixNano == 30_000)
        #expect(untimed.attributes == [Attribute(key: "otel.zipkin.absentField.startTime", value: .bool(true))])
        #expect(anonymous.scopes[0].items[1].attributes.isEmpty)
        // otlp.service.name.source names the resource attribute; otel.scope.* is the scope.
        let fn = outcome.batch.resources[1]
        #expect(fn.resource.attributes == [Attribute(key: "faas.name", value: .string("fn"))])
        #expect(fn.scopes[0].scope == InstrumentationScope(name: "my.scope", version: "2"))
        #expect(fn.scopes[0].items[0].attributes.map(\.key) == ["otel.zipkin.absentField.startTime"])
    }

    @Test func collectorEncodedEventsAndLinksAreDecoded() throws {
        let outcome = try decode(#"""
        [{"traceId": "5af7183fb1d4cf5f", "id": "0000000000000001", "timestamp": 5,
          "annotations": [
            {"timestamp": 6, "value": "exception|{\"exception.type\":\"IOError\",\"retries\":3,\"ratio\":0.5,\"fatal\":false}|2"},
            {"timestamp": 7, "value": "cache|miss"},
            {"timestamp": 8, "value": "a|not json|x"}
          ],
          "tags": {
            "otlp.link.0": "4e441824ec2b6a44ffdc9bb9a6453df3|352bff9a74ca9ad2|k=v|{\"attr\":\"x|y\"}|1",
            "otlp.link.1": "too|short",
            "otlp.link.3": "skipped, as index 2 is missing"
          }}]
        """#)
        #expect(outcome.rejected == 0)
        let span = try #require(outcome.batch.allSpans.first)
        #expect(span.events == [
            SpanEvent(timeUnixNano: 6_000, name: "exception", attributes: [
                Attribute(key: "exception.type", value: .string("IOError")),
                Attribute(key: "fatal", value: .bool(false)),
                Attribute(key: "ratio", value: .double(0.5)),
                Attribute(key: "retries", value: .int(3)),
            ], droppedAttributesCount: 2),
            SpanEvent(timeUnixNano: 7_000, name: "cache|miss"),
            SpanEvent(timeUnixNano: 8_000, name: "a|not json|x"),
        ])
        #expect(span.links == [
            SpanLink(traceID: try #require(TraceID(hex: "4e441824ec2b6a44ffdc9bb9a6453df3")),
                     spanID: try #require(SpanID(hex: "352bff9a74ca9ad2")), traceState: "k=v",
                     attributes: [Attribute(key: "attr", value: .string("x|y"))], droppedAttributesCount: 1),
        ])
        #expect(span.attributes.map(\.key) == ["otlp.link.3"])

        let bad = try decode(#"[{"traceId": "5af7183fb1d4cf5f", "id": "0000000000000001", "tags": {"otlp.link.0": "abc|352bff9a74ca9ad2||{}|0"}}]"#)
        #expect(bad.rejected == 1)
        #expect(bad.errorMessage == #"spans[0].tags.otlp.link.0: "abc" is not a trace id of 32 hex digits"#)
    }

    @Test func shortIdsAreLeftPaddedAndEndpointsCanonicalised() throws {
        let outcome = try decode("""
        [{"traceId": "abc", "id": "1", "parentId": "", "localEndpoint": {"ipv4": "10.0.0.1", "ipv6": "::ffff:10.0.0.2", "port": 0},
          "remoteEndpoint": {"ipv6": "FE80:0:0:0:0:0:0:1", "serviceName": ""}, "tags": {"n": 5, "b": true, "z": null}}]
        """)
        let span = try #require(outcome.batch.allSpans.first)
        #expect(span.traceID == TraceID(high: 0, low: 0xabc))
        #expect(span.spanID == SpanID(1))
        #expect(span.parentSpanID == .zero)
        #expect(span.attributes == [
            Attribute(key: "b", value: .string("true")),
            Attribute(key: "n", value: .string("5")),
            // ipv6 overwrites ipv4 (pdata Put), a mapped address prints as IPv4, port 0 is omitted.
            Attribute(key: "net.host.ip", value: .string("10.0.0.2")),
            Attribute(key: "net.peer.ip", value: .string("fe80::1")),
            Attribute(key: "otel.zipkin.absentField.startTime", value: .bool(true)),
        ])
    }

    @Test func jsonStringsDecodeEscapes() throws {
        let value = try JSONParser.parse(Array(#"["a\"b\\c\/d\n\u00e9\ud83d\ude00", "日本"]"#.utf8))
        #expect(value == .array([.string("a\"b\\c/d\né😀"), .string("日本")]))
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(#"["\ud83d"]"#.utf8)) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x5B, 0x22, 0xFF, 0x22, 0x5D]) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array("[01]".utf8)) }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
    }
}
