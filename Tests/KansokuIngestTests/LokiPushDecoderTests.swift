import CSnappy
import KansokuModel
import KansokuWire
import SwiftProtobuf
import Testing
@testable import KansokuIngest

// MARK: Helpers

/// Snappy block compression, as Promtail applies it to protobuf pushes (shared by the decoder tests).
func snappy(_ input: [UInt8]) -> [UInt8] {
    var length = snappy_max_compressed_length(input.count)
    var output = [UInt8](repeating: 0, count: length)
    let status = input.withUnsafeBufferPointer { inp in
        inp.withMemoryRebound(to: CChar.self) { inp in
            output.withUnsafeMutableBufferPointer { out in
                out.withMemoryRebound(to: CChar.self) { out in
                    snappy_compress(inp.baseAddress, inp.count, out.baseAddress, &length)
                }
            }
        }
    }
    precondition(status == SNAPPY_OK)
    return Array(output.prefix(length))
}

private func entry(_ seconds: Int64, _ nanos: Int32, _ line: String, metadata: [(String, String)] = []) -> Logproto_EntryAdapter {
    var e = Logproto_EntryAdapter()
    e.timestamp = Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos)
    e.line = line
    e.structuredMetadata = metadata.map { name, value in
        var pair = Logproto_LabelPairAdapter()
        pair.name = name
        pair.value = value
        return pair
    }
    return e
}

private func stream(_ labels: String, _ entries: [Logproto_EntryAdapter]) -> Logproto_StreamAdapter {
    var s = Logproto_StreamAdapter()
    s.labels = labels
    s.entries = entries
    return s
}

private func protobufBody(_ streams: [Logproto_StreamAdapter]) throws -> [UInt8] {
    var request = Logproto_PushRequest()
    request.streams = streams
    return snappy(try request.serializedBytes())
}

private let protobufType = "application/x-protobuf"
private let limit = 1 << 20

private func decodeProtobuf(_ streams: [Logproto_StreamAdapter]) throws -> ConversionOutcome<LogRecord> {
    try LokiPushDecoder.decode(try protobufBody(streams), contentType: protobufType, maxDecompressedBytes: limit)
}

private func decodeJSON(_ json: String) throws -> ConversionOutcome<LogRecord> {
    try LokiPushDecoder.decode(Array(json.utf8), contentType: "application/json", maxDecompressedBytes: limit)
}

/// The error `body` throws, or nil when it decodes.
private func thrown(_ body: [UInt8], contentType: String = protobufType, limit: Int = limit) -> IngestError? {
    do {
        _ = try LokiPushDecoder.decode(body, contentType: contentType, maxDecompressedBytes: limit)
        return nil
    } catch {
        return error
    }
}

private func malformedMessage(_ body: [UInt8], contentType: String = protobufType) -> String? {
    guard case .malformed(let message)? = thrown(body, contentType: contentType) else { return nil }
    return message
}

/// Protobuf encoding by hand, for inputs the generated types cannot produce.
private func varint(_ value: UInt64) -> [UInt8] {
    var v = value
    var out: [UInt8] = []
    while v >= 0x80 {
        out.append(UInt8(v & 0x7F) | 0x80)
        v >>= 7
    }
    return out + [UInt8(v)]
}

private func field(_ number: UInt64, _ bytes: [UInt8]) -> [UInt8] { varint(number << 3 | 2) + varint(UInt64(bytes.count)) + bytes }
private func field(_ number: UInt64, varint value: UInt64) -> [UInt8] { varint(number << 3) + varint(value) }

private func labels(_ attributes: [Attribute]) -> [String] {
    attributes.map { "\($0.key)=\($0.value.stringValue ?? "?")" }
}

extension LogBatch {
    fileprivate var records: [LogRecord] { resources.flatMap { $0.scopes.flatMap(\.items) } }
}

// MARK: Protobuf

@Suite struct LokiPushProtobufTests {
    @Test func mapsStreamsAndEntries() throws {
        let outcome = try decodeProtobuf([
            stream(#"{env="prod", app="api"}"#, [
                entry(1_700_000_000, 123_456_789, "GET /health 200"),
                entry(1_700_000_001, 0, "GET /cart 500", metadata: [("trace_id", "abc"), ("user", "42")]),
            ]),
            stream(#"{app="worker", level="error"}"#, [entry(1, 2, "boom")]),
        ])
        #expect(outcome.rejected == 0)
        #expect(outcome.errorMessage.isEmpty)
        let resources = outcome.batch.resources
        try #require(resources.count == 2)
        #expect(labels(resources[0].resource.attributes) == ["app=api", "env=prod"], "sorted by name")
        #expect(labels(resources[1].resource.attributes) == ["app=worker", "level=error"])
        #expect(resources[0].scopes.count == 1)
        #expect(resources[0].scopes[0].scope == InstrumentationScope())
        #expect(resources[0].schemaURL.isEmpty && resources[0].scopes[0].schemaURL.isEmpty)

        let records = resources[0].scopes[0].items
        #expect(records == [
            LogRecord(timeUnixNano: 1_700_000_000_123_456_789, observedTimeUnixNano: 0, body: .string("GET /health 200")),
            LogRecord(timeUnixNano: 1_700_000_001_000_000_000, body: .string("GET /cart 500"),
                      attributes: [Attribute(key: "trace_id", value: .string("abc")), Attribute(key: "user", value: .string("42"))]),
        ])
        // A level label is transported, not interpreted.
        let boom = resources[1].scopes[0].items[0]
        #expect(boom.timeUnixNano == 1_000_000_002)
        #expect(boom.severityNumber == 0 && boom.severityText.isEmpty)
    }

    @Test func emptyRequestAndEmptyStreams() throws {
        #expect(try decodeProtobuf([]).batch.isEmpty)
        let outcome = try decodeProtobuf([stream(#"{a="b"}"#, []), stream("{foo=}", [])])
        #expect(outcome.batch.resources.isEmpty && outcome.rejected == 0, "streams without entries produce and reject nothing")
        // The compressed form of an empty message is a single zero byte.
        #expect(try LokiPushDecoder.decode([0], contentType: protobufType, maxDecompressedBytes: limit).batch.isEmpty)
    }

    @Test func missingContentTypeIsProtobuf() throws {
        let body = try protobufBody([stream(#"{a="b"}"#, [entry(1, 0, "x")])])
        let outcome = try LokiPushDecoder.decode(body, contentType: "", maxDecompressedBytes: limit)
        #expect(outcome.batch.itemCount == 1)
        #expect(try LokiPushDecoder.decode(body, contentType: "Application/X-Protobuf", maxDecompressedBytes: limit).batch.itemCount == 1)
    }

    @Test func invalidTimestampsRejectOnlyTheirEntries() throws {
        var missing = entry(0, 0, "no timestamp")
        missing.clearTimestamp()
        let outcome = try decodeProtobuf([
            stream(#"{app="api"}"#, [
                entry(10, 0, "ok 1"),
                entry(-1, 0, "negative"),
                entry(5, 1_000_000_000, "nanos too big"),
                entry(5, -1, "negative nanos"),
                missing,
                entry(Int64.max, 0, "far future"),
                entry(0, 0, "epoch is fine"),
                entry(18_446_744_073, 709_551_615, "largest representable"),
            ]),
        ])
        #expect(outcome.rejected == 5)
        #expect(outcome.batch.records.map(\.timeUnixNano) == [10_000_000_000, 0, UInt64.max])
        let message = outcome.errorMessage
        #expect(message.contains(#"streams[0].entries[1] of stream '{app="api"}': invalid timestamp: -1s is before 1970"#), "\(message)")
        #expect(message.contains("entries[2]") && message.contains("nanos 1000000000 out of range"))
        #expect(message.contains("entries[4]") && message.contains("entry has no timestamp"))
        #expect(message.contains("entries[5]") && message.contains("out of range"))
    }

    @Test func invalidLabelsRejectTheWholeStream() throws {
        let outcome = try decodeProtobuf([
            stream("{foo=}", [entry(1, 0, "a"), entry(2, 0, "b")]),
            stream(#"{app="ok"}"#, [entry(3, 0, "c")]),
            stream("{}", [entry(4, 0, "d")]),
            stream(#"{a="1", a="2"}"#, [entry(5, 0, "e")]),
        ])
        #expect(outcome.rejected == 4)
        #expect(outcome.batch.records.map(\.body) == [.string("c")])
        let message = outcome.errorMessage
        #expect(message.contains("streams[0]: Error parsing labels '{foo=}' with error: 1:6: parse error:"), "\(message)")
        #expect(message.contains("streams[2]: error at least one label pair is required per stream"), "\(message)")
        #expect(message.contains(#"streams[3]: stream '{a="1", a="2"}' has duplicate label name: 'a'"#), "\(message)")
    }

    @Test func nanosecondPrecisionIsExact() throws {
        let outcome = try decodeProtobuf([stream(#"{a="b"}"#, [entry(1_700_000_000, 123_456_789, "x")])])
        #expect(outcome.batch.records.first?.timeUnixNano == 1_700_000_000_123_456_789)
    }

    @Test func invalidUTF8LinesAreKeptRepaired() throws {
        let timestamp = field(1, varint: 1) + field(2, varint: 2)
        let entryBytes = field(1, timestamp) + field(2, [0x66, 0xFF, 0x6F])
        let streamBytes = field(1, Array(#"{a="b"}"#.utf8)) + field(2, entryBytes)
        let outcome = try LokiPushDecoder.decode(snappy(field(1, streamBytes)), contentType: protobufType, maxDecompressedBytes: limit)
        #expect(outcome.batch.records == [LogRecord(timeUnixNano: 1_000_000_002, body: .string("f\u{FFFD}o"))])
    }

    @Test func unknownAndIgnoredFieldsAreSkipped() throws {
        var request = Logproto_PushRequest()
        request.format = "loki"
        var s = stream(#"{a="b"}"#, [entry(1, 0, "x")])
        s.hash = 12345
        var pair = Logproto_LabelPairAdapter()
        pair.name = "parsed"
        pair.value = "only in query responses"
        s.entries[0].parsed = [pair]
        request.streams = [s]
        var bytes: [UInt8] = try request.serializedBytes()
        bytes += field(99, varint: 7) + field(100, [1, 2, 3]) + [0x1D, 1, 2, 3, 4] + [0x21, 1, 2, 3, 4, 5, 6, 7, 8]
        let outcome = try LokiPushDecoder.decode(snappy(bytes), contentType: protobufType, maxDecompressedBytes: limit)
        #expect(outcome.batch.records == [LogRecord(timeUnixNano: 1_000_000_000, body: .string("x"))])
    }

    @Test func wireDecoderAgreesWithGeneratedCode() throws {
        var request = Logproto_PushRequest()
        request.streams = [
            stream(#"{a="b"}"#, [entry(1, 2, "x", metadata: [("k", "v")]), entry(-3, 4, "é€😀")]),
            stream("", []),
        ]
        let decoded = try LokiPushProtobuf.decode(try request.serializedBytes())
        #expect(decoded.streams.map(\.labels) == [#"{a="b"}"#, ""])
        #expect(decoded.streams.map(\.entries) == [0..<2, 2..<2])
        let entries = decoded.entries
        #expect(entries.count == 2)
        #expect(entries[0].timestamp?.seconds == 1 && entries[0].timestamp?.nanos == 2)
        #expect(decoded.labelPairs[entries[0].structuredMetadata].map { "\(decoded.string($0.name))=\(decoded.string($0.value))" } == ["k=v"])
        #expect(entries[1].structuredMetadata.isEmpty)
        #expect(entries[1].timestamp?.seconds == -3 && decoded.string(entries[1].line) == "é€😀")
    }

    @Test func malformedProtobufIsRefused() throws {
        let good: [UInt8] = try {
            var request = Logproto_PushRequest()
            request.streams = [stream(#"{a="b"}"#, [entry(1, 0, "hello")])]
            return try request.serializedBytes()
        }()
        for bad in [Array(good.dropLast(3)), [0x0A, 0x05, 0x01], [0x00], [0x0B, 0x00], [0x08, 0xFF]] as [[UInt8]] {
            let message = malformedMessage(snappy(bad))
            #expect(message?.hasPrefix("invalid protobuf PushRequest:") == true, "\(bad): \(String(describing: message))")
        }
        // A known field with the wrong wire type.
        #expect(malformedMessage(snappy([0x08, 0x01]))?.contains("PushRequest.streams has wire type 0") == true)
    }

    @Test func corruptSnappyIsMalformed() throws {
        // Uncompressed protobuf, as a client that forgot snappy would send.
        var request = Logproto_PushRequest()
        request.streams = [stream(#"{app="api"}"#, [entry(1, 0, "hello")])]
        let plain: [UInt8] = try request.serializedBytes()
        #expect(malformedMessage(plain) != nil)

        var corrupt = snappy(Array(repeating: 0x41, count: 200))
        corrupt[corrupt.count - 1] ^= 0xFF
        corrupt.removeLast(2)
        #expect(malformedMessage(corrupt) == "corrupt snappy data")
        #expect(malformedMessage([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == "body is not snappy block-compressed (invalid length header)")
        #expect(malformedMessage([])?.hasPrefix("empty body") == true)
    }

    @Test func declaredLengthOverTheLimitIsRefusedBeforeDecompressing() throws {
        let body = try protobufBody([stream(#"{a="b"}"#, [entry(1, 0, String(repeating: "x", count: 1000))])])
        guard case .tooLarge(let reported)? = thrown(body, limit: 500) else {
            Issue.record("expected .tooLarge")
            return
        }
        #expect(reported == 500)
        // A header claiming ~4 GiB followed by nothing: refused on the header alone.
        guard case .tooLarge? = thrown([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], limit: limit) else {
            Issue.record("expected .tooLarge for a huge declared length")
            return
        }
        // Exactly at the limit is fine.
        let raw = try SnappyBlock.uncompress(snappy(Array(repeating: 7, count: 64)), maxBytes: 64)
        #expect(raw == Array(repeating: 7, count: 64))
    }

    @Test func unsupportedContentType() {
        guard case .unsupportedContentType(let type)? = thrown([0], contentType: "text/plain") else {
            Issue.record("expected .unsupportedContentType")
            return
        }
        #expect(type == "text/plain")
    }
}

// MARK: Labels

@Suite struct LokiLabelSelectorTests {
    private func parse(_ text: String) -> [String]? {
        try? labels(LokiLabelSelector.parse(text))
    }

    private func failure(_ text: String) -> String? {
        do {
            _ = try LokiLabelSelector.parse(text)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func plainAndSpaced() {
        #expect(parse(#"{app="api"}"#) == ["app=api"])
        #expect(parse("  { b = \"2\" ,\ta=\"1\"   }  ") == ["a=1", "b=2"])
        #expect(parse("{a=\"1\",\nb=\"2\"}") == ["a=1", "b=2"])
        #expect(parse(#"{_x9="y", A_b="z"}"#) == ["A_b=z", "_x9=y"])
    }

    @Test func escapesInValues() {
        #expect(parse(#"{a="say \"hi\"", b="back\\slash", c="two\nlines", d="tab\there"}"#)
            == ["a=say \"hi\"", "b=back\\slash", "c=two\nlines", "d=tab\there"])
        #expect(parse(#"{a="\x41\101\u00e9\U0001F600"}"#) == ["a=AAé😀"])
        #expect(parse(#"{a="curly } and , inside"}"#) == ["a=curly } and , inside"])
        #expect(parse(#"{a='single "quoted" \'x\''}"#) == [#"a=single "quoted" 'x'"#])
        #expect(parse("{a=`raw \\n \"x\"`}") == [#"a=raw \n "x""#])
        #expect(parse(#"{a="日本語"}"#) == ["a=日本語"])
    }

    @Test func trailingCommaIsAcceptedLikePrometheus() {
        // Prometheus' series grammar (`label_set: '{' label_set_list ',' '}'`), which Loki uses, allows it.
        #expect(parse(#"{a="1",}"#) == ["a=1"])
        #expect(parse(#"{a="1" , }"#) == ["a=1"])
        #expect(failure(#"{a="1",,}"#)?.contains("parse error") == true)
        #expect(failure("{,}")?.contains("parse error") == true)
    }

    @Test func emptyLabelSetsAreRefused() {
        let missing = "error at least one label pair is required per stream"
        #expect(failure("{}") == missing)
        #expect(failure("") == missing)
        #expect(failure("  {  }  ") == missing)
        // Empty values mean "absent", so they are dropped first.
        #expect(failure(#"{a=""}"#) == missing)
        #expect(parse(#"{a="", b="x"}"#) == ["b=x"])
    }

    @Test func invalidNamesAndSyntax() {
        #expect(failure(#"{1a="x"}"#) == #"Error parsing labels '{1a="x"}' with error: 1:2: parse error: invalid label name "1a""#)
        #expect(failure(#"{foo-bar="x"}"#)?.contains(#"invalid label name "foo-bar""#) == true)
        #expect(failure(#"{foo.bar="x"}"#)?.contains(#"invalid label name "foo.bar""#) == true)
        #expect(failure("{foo=}") == #"Error parsing labels '{foo=}' with error: 1:6: parse error: unexpected "}" in label set, expected a quoted label value"#)
        #expect(failure(#"{ab""#) == #"Error parsing labels '{ab"' with error: 1:4: parse error: unexpected """ in label set, expected "=""#)
        #expect(failure(#"{a="b"#)?.contains("1:4: parse error: unterminated quoted string") == true)
        #expect(failure("{a=\"b\nc\"}")?.contains("unterminated quoted string") == true)
        #expect(failure(#"{a="b""#)?.contains("unexpected end of input") == true)
        #expect(failure(#"{a="b"} x"#)?.contains(#"unexpected "x" after the closing "}""#) == true)
        #expect(failure(#"{a="\q"}"#)?.contains("unknown escape sequence") == true)
        #expect(failure(#"{a="\400"}"#)?.contains("octal escape value > 255") == true)
        #expect(failure(#"{a="\uD800"}"#)?.contains("invalid Unicode code point") == true)
        #expect(failure(#"{a=~"x"}"#)?.contains("parse error") == true)
        #expect(failure(#"{a!="x"}"#)?.contains("parse error") == true)
        #expect(failure(#"{a="x" b="y"}"#)?.contains(#"expected "," or "}""#) == true)
        #expect(failure(#"up{a="x"}"#)?.contains(#"expected "{""#) == true, "a metric name is not a stream label set")
        #expect(failure(#"{a="1", b="2", a="3"}"#) == #"stream '{a="1", b="2", a="3"}' has duplicate label name: 'a'"#)
        #expect(failure("{a=\"x\",\nb=}")?.contains("2:3: parse error") == true, "line and column")
    }
}

// MARK: JSON

@Suite struct LokiPushJSONTests {
    @Test func withoutStructuredMetadata() throws {
        let outcome = try decodeJSON("""
        {"streams": [
          {"stream": {"job": "varlogs", "app": "api"},
           "values": [["1700000000123456789", "first line"], ["1700000000123456790", "second line"]]},
          {"stream": {"app": "db"}, "values": [["5", "x"]]}
        ]}
        """)
        #expect(outcome.rejected == 0)
        try #require(outcome.batch.resources.count == 2)
        #expect(labels(outcome.batch.resources[0].resource.attributes) == ["app=api", "job=varlogs"])
        #expect(outcome.batch.resources[0].scopes.map(\.scope) == [InstrumentationScope()])
        #expect(outcome.batch.resources[0].scopes[0].items == [
            LogRecord(timeUnixNano: 1_700_000_000_123_456_789, body: .string("first line")),
            LogRecord(timeUnixNano: 1_700_000_000_123_456_790, body: .string("second line")),
        ])
        #expect(outcome.batch.resources[1].scopes[0].items == [LogRecord(timeUnixNano: 5, body: .string("x"))])
    }

    @Test func withStructuredMetadata() throws {
        let outcome = try decodeJSON("""
        {"streams": [{"stream": {"app": "api"}, "values": [
          ["1", "with", {"trace_id": "0242ac120002", "user": "\\u00e9"}],
          ["2", "empty", {}],
          ["3", "null", null]
        ]}]}
        """)
        #expect(outcome.rejected == 0)
        #expect(outcome.batch.records.map(\.attributes) == [
            [Attribute(key: "trace_id", value: .string("0242ac120002")), Attribute(key: "user", value: .string("é"))],
            [], [],
        ])
    }

    @Test func nanosecondPrecisionIsExact() throws {
        let outcome = try decodeJSON(#"{"streams":[{"stream":{"a":"b"},"values":[["1700000000123456789","x"],["9223372036854775807","max"]]}]}"#)
        #expect(outcome.batch.records.map(\.timeUnixNano) == [1_700_000_000_123_456_789, 9_223_372_036_854_775_807])
    }

    @Test func invalidEntriesAreRejectedAlone() throws {
        let outcome = try decodeJSON("""
        {"streams": [{"stream": {"app": "api"}, "values": [
          ["10", "ok"],
          ["abc", "not a number"],
          ["-5", "negative"],
          [1700000000000000000, "a JSON number"],
          ["", "empty"],
          ["99999999999999999999", "too big"],
          ["1.5", "fraction"],
          ["11"],
          ["12", 42],
          ["13", "bad metadata", {"k": 1}],
          "not an array",
          ["14", "also ok", {"k": "v"}]
        ]}]}
        """)
        #expect(outcome.rejected == 10)
        #expect(outcome.batch.records.map(\.timeUnixNano) == [10, 14])
        let message = outcome.errorMessage
        #expect(message.contains(#"streams[0].values[1] of stream '{app="api"}': invalid timestamp "abc": not an integer number of nanoseconds"#), "\(message)")
        #expect(message.contains(#"values[2] of stream '{app="api"}': invalid timestamp "-5": before 1970"#), "\(message)")
        #expect(message.contains("values[3]") && message.contains("must be a string of Unix nanoseconds, got a number"))
        #expect(message.hasSuffix("(and 5 more)"), "\(message)")
    }

    @Test func invalidStreamLabels() throws {
        let outcome = try decodeJSON("""
        {"streams": [
          {"stream": {"foo-bar": "x"}, "values": [["1", "a"], ["2", "b"]]},
          {"stream": {}, "values": [["3", "c"]]},
          {"values": [["4", "d"]]},
          {"stream": {"a": 1}, "values": [["5", "e"]]},
          {"stream": {"a": ""}, "values": [["6", "f"]]},
          {"stream": {"ok": "yes", "a": "1", "a": "2"}, "values": [["7", "g"]]}
        ]}
        """)
        #expect(outcome.rejected == 6)
        #expect(outcome.batch.resources.map { labels($0.resource.attributes) } == [["a=2", "ok=yes"]], "a repeated JSON key: last wins")
        let message = outcome.errorMessage
        #expect(message.contains(#"streams[0]: Error parsing labels '{foo-bar="x"}' with error: invalid label name "foo-bar""#), "\(message)")
        #expect(message.contains("streams[1]: error at least one label pair is required per stream"))
        #expect(message.contains("streams[2]: error at least one label pair is required per stream"))
        #expect(message.contains(#"streams[3]: label "a" must have a string value, got a number"#))
    }

    @Test func malformedBodies() {
        let json = "application/json"
        #expect(malformedMessage(Array("{not json".utf8), contentType: json)?.hasPrefix("invalid JSON:") == true)
        #expect(malformedMessage(Array("".utf8), contentType: json)?.hasPrefix("invalid JSON: empty body") == true)
        #expect(malformedMessage(Array("[]".utf8), contentType: json)?.contains("must be a JSON object") == true)
        #expect(malformedMessage(Array("{}".utf8), contentType: json)?.contains(#"must have a "streams" array, got none"#) == true)
        #expect(malformedMessage(Array(#"{"streams": {}}"#.utf8), contentType: json)?.contains("got an object") == true)
        #expect(malformedMessage(Array(#"{"streams": [1]}"#.utf8), contentType: json) == "streams[0]: a stream must be a JSON object, got a number")
        #expect(malformedMessage(Array(#"{"streams": [{"stream": {"a": "b"}, "values": "x"}]}"#.utf8), contentType: json)
            == #"streams[0]: "values" must be an array, got a string"#)
    }

    @Test func contentTypeParameters() throws {
        let body = Array(#"{"streams":[{"stream":{"a":"b"},"values":[["1","x"]]}]}"#.utf8)
        for type in ["application/json", "application/json; charset=utf-8", " Application/JSON ;charset=UTF-8"] {
            #expect(try LokiPushDecoder.decode(body, contentType: type, maxDecompressedBytes: 1).batch.itemCount == 1, "\(type)")
        }
        #expect(try decodeJSON(#"{"streams": []}"#).batch.isEmpty)
    }
}
