import Foundation
import KansokuModel
import KansokuWire
import Testing
@testable import KansokuIngest

@Suite struct OTLPJSONMappingTests {
    let tracesJSON = """
    {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
     "scopeSpans":[{"scope":{"name":"lib","version":"1.2"},"spans":[
      {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b173",
       "name":"GET /cart","kind":2,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000",
       "attributes":[{"key":"http.status_code","value":{"intValue":"503"}},
                     {"key":"big","value":{"intValue":"9223372036854775807"}},
                     {"key":"ratio","value":{"doubleValue":0.25}},
                     {"key":"ok","value":{"boolValue":false}},
                     {"key":"raw","value":{"bytesValue":"AQID"}},
                     {"key":"list","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"1"}]}}}],
       "events":[{"timeUnixNano":"1544712660500000000","name":"retry","attributes":[]}],
       "links":[{"traceId":"00000000000000000000000000000001","spanId":"0000000000000002"}],
       "status":{"code":2,"message":"upstream down"},
       "unknownFutureField":{"x":1}}
     ]}]}]}
    """

    @Test func hexIDsInt64StringsAndEnumIntegers() throws {
        let outcome = try OTLPTraces.decode(Array(tracesJSON.utf8), encoding: .json)
        #expect(outcome.rejected == 0)
        let resource = try #require(outcome.batch.resources.first)
        #expect(resource.resource.serviceName == "checkout")
        let span = try #require(resource.scopes.first?.items.first)
        #expect(span.traceID.hex == "5b8efff798038103d269b633813fc60c")
        #expect(span.spanID.hex == "eee19b7ec3c1b174")
        #expect(span.parentSpanID.hex == "eee19b7ec3c1b173")
        #expect(span.kind == .server)
        #expect(span.startTimeUnixNano == 1_544_712_660_000_000_000)
        #expect(span.durationNanos == 1_000_000_000)
        #expect(span.attributes[key: "http.status_code"] == .int(503))
        #expect(span.attributes[key: "big"] == .int(Int64.max))
        #expect(span.attributes[key: "ratio"] == .double(0.25))
        #expect(span.attributes[key: "ok"] == .bool(false))
        #expect(span.attributes[key: "raw"] == .bytes([1, 2, 3]))
        #expect(span.attributes[key: "list"] == .array([.string("a"), .int(1)]))
        #expect(span.events.map(\.name) == ["retry"])
        #expect(span.links.first?.traceID == TraceID(high: 0, low: 1))
        #expect(span.status == SpanStatus(code: .error, message: "upstream down"))
        #expect(resource.scopes.first?.scope == InstrumentationScope(name: "lib", version: "1.2"))
    }

    @Test func snakeCaseFieldNamesAreAccepted() throws {
        let json = """
        {"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"0102030405060708090a0b0c0d0e0f10",
          "span_id":"0102030405060708","name":"x","start_time_unix_nano":"1","end_time_unix_nano":"2"}]}]}]}
        """
        let span = try #require(OTLPTraces.decode(Array(json.utf8), encoding: .json).batch.resources.first?.scopes.first?.items.first)
        #expect(span.traceID.hex == "0102030405060708090a0b0c0d0e0f10")
    }

    @Test func nonHexIDIsMalformedAndNamesTheField() {
        let json = #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz","spanId":"0102030405060708"}]}]}]}"#
        #expect {
            try OTLPPayloadEncoding.json.decode(OTLPTraces.Request.self, from: Array(json.utf8))
        } throws: { error in
            guard case IngestError.malformed(let message) = error else { return false }
            return message.contains("traceId") && message.contains("zz")
        }
    }

    @Test func wrongLengthIDRejectsOnlyThatSpan() throws {
        let json = """
        {"resourceSpans":[{"scopeSpans":[{"spans":[
          {"traceId":"0102030405","spanId":"0102030405060708","name":"bad"},
          {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"good"}]}]}]}
        """
        let outcome = try OTLPTraces.decode(Array(json.utf8), encoding: .json)
        #expect(outcome.rejected == 1)
        #expect(outcome.errorMessage.contains("trace_id has 5 bytes"))
        #expect(outcome.batch.resources.first?.scopes.first?.items.map(\.name) == ["good"])
        let response = OTLPTraces.response(rejected: outcome.rejected, errorMessage: outcome.errorMessage)
        #expect(response.partialSuccess.rejectedSpans == 1)
    }

    @Test func invalidJSONIsMalformed() {
        #expect {
            try OTLPPayloadEncoding.json.decode(OTLPTraces.Request.self, from: Array("{\"resourceSpans\": [".utf8))
        } throws: { error in
            if case IngestError.malformed(let message) = error { return message.contains("JSON") }
            return false
        }
    }

    @Test func contentTypes() throws {
        #expect(try OTLPPayloadEncoding(contentType: "application/json; charset=utf-8") == .json)
        #expect(try OTLPPayloadEncoding(contentType: "application/x-protobuf") == .protobuf)
        #expect(throws: IngestError.self) { try OTLPPayloadEncoding(contentType: "text/plain") }
    }
}
