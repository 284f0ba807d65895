import Foundation
import KansokuAPI
import KansokuModel
import KansokuWire
import SwiftProtobuf
import Testing

@Suite("Tempo trace-by-id responses")
struct TempoTraceResponseTests {
    private func dict(_ any: Any?) throws -> [String: Any] { try #require(any as? [String: Any]) }
    private func list(_ any: Any?) throws -> [Any] { try #require(any as? [Any]) }

    @Test("protobuf tempopb.Trace is TracesData's bytes and decodes back")
    func traceProtobuf() throws {
        let bytes = try TempoResponses.traceProtobuf(TempoFixtures.trace)
        let expected: [UInt8] = try OTLPTraceEncoder.tracesData(TempoFixtures.trace).serializedBytes()
        #expect(bytes == expected)
        let decoded = try Opentelemetry_Proto_Trace_V1_TracesData(serializedBytes: bytes)
        #expect(decoded == OTLPTraceEncoder.tracesData(TempoFixtures.trace))
    }

    @Test("v2 protobuf wraps the Trace as field 1 of TraceByIDResponse")
    func traceByIDV2Protobuf() throws {
        for trace in [TempoFixtures.trace, SpanBatch()] {
            let inner = try TempoResponses.traceProtobuf(trace)
            let bytes = try TempoResponses.traceByIDV2Protobuf(trace)
            #expect(bytes.first == 0x0A)
            // Read the varint length back.
            var length = 0, shift = 0, index = 1
            while true {
                let byte = bytes[index]
                length |= Int(byte & 0x7F) << shift
                index += 1
                if byte & 0x80 == 0 { break }
                shift += 7
            }
            #expect(length == inner.count)
            #expect(Array(bytes[index...]) == inner)
            if inner.count >= 128 { #expect(index > 2) }
        }
    }

    @Test("JSON trace: batches of OTLP/JSON with hex ids, camelCase keys, int64 strings")
    func traceJSON() throws {
        let root = try dict(TempoFixtures.parse(TempoResponses.traceJSON(TempoFixtures.trace)))
        #expect(Array(root.keys) == ["batches"])
        let batches = try list(root["batches"])
        #expect(batches.count == 2)
        let batch = try dict(batches[0])
        #expect(batch["schemaUrl"] as? String == "https://opentelemetry.io/schemas/1.21.0")
        let resource = try dict(batch["resource"])
        #expect(resource["droppedAttributesCount"] as? Int == 2)
        let scopeSpans = try dict(list(batch["scopeSpans"]).first)
        #expect(scopeSpans["schemaUrl"] as? String == "https://opentelemetry.io/schemas/1.20.0")
        let scope = try dict(scopeSpans["scope"])
        #expect(scope["name"] as? String == "my.library")
        let spans = try list(scopeSpans["spans"])
        let span = try dict(spans[0])
        #expect(span["traceId"] as? String == "5b8efff798038103d269b633813fc60c")
        #expect(span["spanId"] as? String == "eee19b7ec3c1b173")
        #expect(span["parentSpanId"] == nil)
        #expect(span["traceState"] as? String == "k=v")
        #expect(span["flags"] as? Int == 0x101)
        #expect(span["kind"] as? Int == 2)
        #expect(span["startTimeUnixNano"] as? String == "1544712660000000000")
        #expect(span["endTimeUnixNano"] as? String == "1544712661500000000")
        #expect(span["droppedAttributesCount"] as? Int == 1)
        #expect(span["droppedEventsCount"] as? Int == 4)
        #expect(span["droppedLinksCount"] as? Int == 6)
        #expect(try dict(span["status"])["code"] as? Int == 2)
        #expect(try dict(span["status"])["message"] as? String == "boom")
        let attributes = try list(span["attributes"]).map { try dict($0) }
        let byKey = Dictionary(uniqueKeysWithValues: try attributes.map { ($0["key"] as! String, try dict($0["value"])) })
        #expect(byKey["http.status_code"]?["intValue"] as? String == "200")
        #expect(byKey["big"]?["intValue"] as? String == "-9007199254740993")
        #expect(byKey["ratio"]?["doubleValue"] as? Double == 0.25)
        #expect(byKey["cached"]?["boolValue"] as? Bool == false)
        #expect(byKey["raw"]?["bytesValue"] as? String == "AAEC/w==")
        #expect(byKey["nothing"]?.isEmpty == true)
        #expect(byKey["emptyString"]?["stringValue"] as? String == "")
        let event = try dict(list(span["events"]).first)
        #expect(event["timeUnixNano"] as? String == "1544712660100000000")
        let link = try dict(list(span["links"]).first)
        #expect(link["traceId"] as? String == "0000000000000000000000000000abcd")
        #expect(link["spanId"] as? String == "0000000000000042")
        let child = try dict(spans[1])
        #expect(child["parentSpanId"] as? String == "eee19b7ec3c1b173")
        #expect(child["spanId"] as? String == "0000000000000001")
    }

    @Test("JSON trace equals swift-protobuf's JSON of the same message, ids in hex instead of base64")
    func traceJSONMatchesProtobufJSON() throws {
        let mine = try dict(TempoFixtures.parse(TempoResponses.traceJSON(TempoFixtures.trace)))["batches"]
        var options = JSONEncodingOptions()
        options.alwaysPrintEnumsAsInts = true
        let reference = try OTLPTraceEncoder.tracesData(TempoFixtures.trace).jsonString(options: options)
        let referenceObject = try dict(JSONSerialization.jsonObject(with: Data(reference.utf8)))["resourceSpans"]
        let converted = Self.base64IDsToHex(try #require(referenceObject))
        #expect((mine as? NSArray)?.isEqual(converted) == true)
    }

    @Test("v2 JSON: trace.resourceSpans")
    func traceByIDV2JSON() throws {
        let root = try dict(TempoFixtures.parse(TempoResponses.traceByIDV2JSON(TempoFixtures.trace)))
        let trace = try dict(root["trace"])
        let resourceSpans = try list(trace["resourceSpans"])
        #expect(resourceSpans.count == 2)
        let v1 = try dict(TempoFixtures.parse(TempoResponses.traceJSON(TempoFixtures.trace)))["batches"]
        #expect((resourceSpans as NSArray).isEqual(v1))
        #expect(TempoResponses.traceByIDV2JSON(SpanBatch()) == Array(#"{"trace":{}}"#.utf8))
    }

    @Test("doubles JSON has no number for are the proto JSON strings")
    func specialDoubles() throws {
        var json = JSONWriter()
        json.beginArray()
        json.otlpAnyValue(.double(.nan))
        json.otlpAnyValue(.double(.infinity))
        json.otlpAnyValue(.double(-.infinity))
        json.endArray()
        #expect(String(decoding: json.bytes, as: UTF8.self)
                == #"[{"doubleValue":"NaN"},{"doubleValue":"Infinity"},{"doubleValue":"-Infinity"}]"#)
    }

    @Test("echo and buildinfo")
    func echoAndBuildInfo() throws {
        #expect(String(decoding: TempoResponses.echo, as: UTF8.self) == "echo")
        let info = try dict(TempoFixtures.parse(TempoResponses.buildInfo(version: "0.3.0")))
        #expect(info["version"] as? String == "0.3.0")
        for key in ["revision", "branch", "buildDate", "buildUser", "goVersion"] {
            #expect(info[key] as? String == "")
        }
        #expect(info.count == 6)
    }

    /// Replaces base64 `traceId`/`spanId`/`parentSpanId` strings with lowercase hex, recursively.
    static func base64IDsToHex(_ value: Any) -> Any {
        if let array = value as? [Any] { return array.map(base64IDsToHex) as NSArray }
        guard let object = value as? [String: Any] else { return value }
        var result = [String: Any]()
        for (key, inner) in object {
            if ["traceId", "spanId", "parentSpanId"].contains(key), let text = inner as? String,
               let data = Data(base64Encoded: text) {
                result[key] = data.map { String(format: "%02x", $0) }.joined()
            } else {
                result[key] = base64IDsToHex(inner)
            }
        }
        return result as NSDictionary
    }
}
