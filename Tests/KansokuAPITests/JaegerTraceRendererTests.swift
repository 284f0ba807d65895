import Foundation
import KansokuModel
import Testing
@testable import KansokuAPI

/// The Jaeger JSON of the rich two-service trace, parsed back.
@Suite struct JaegerTraceRendererTests {
    typealias F = JaegerFixtures

    private func parse(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// Tags as key → (type, value), checking there are no duplicate keys.
    private func tags(_ value: Any?) throws -> [String: (type: String, value: Any)] {
        let list = try #require(value as? [[String: Any]])
        var result: [String: (type: String, value: Any)] = [:]
        for tag in list {
            let key = try #require(tag["key"] as? String)
            #expect(result[key] == nil, "duplicate tag \(key)")
            result[key] = (try #require(tag["type"] as? String), try #require(tag["value"]))
        }
        return result
    }

    private func renderRich() throws -> [String: Any] {
        let envelope = try parse(JaegerResponse.traces([F.richBatch]))
        let data = try #require(envelope["data"] as? [[String: Any]])
        #expect(data.count == 1)
        return try #require(data.first)
    }

    @Test func envelope() throws {
        let envelope = try parse(JaegerResponse.traces([F.richBatch, SpanBatch()]))
        #expect((envelope["data"] as? [Any])?.count == 1)
        #expect(envelope["total"] as? Int == 0)
        #expect(envelope["limit"] as? Int == 0)
        #expect(envelope["offset"] as? Int == 0)
        #expect(envelope["errors"] is NSNull)
        #expect(String(decoding: JaegerResponse.traces([]), as: UTF8.self)
            == #"{"data":[],"total":0,"limit":0,"offset":0,"errors":null}"#)
    }

    @Test func traceAndProcesses() throws {
        let trace = try renderRich()
        #expect(trace["traceID"] as? String == "0af7651916cd43dd8448eb211c80319c")
        #expect(trace["warnings"] is NSNull)
        let processes = try #require(trace["processes"] as? [String: [String: Any]])
        #expect(Set(processes.keys) == ["p1", "p2"])
        #expect(processes["p1"]?["serviceName"] as? String == "frontend")
        let p1 = try tags(processes["p1"]?["tags"])
        #expect(Set(p1.keys) == ["host.name", "process.pid"])
        #expect(p1["host.name"]?.type == "string" && p1["host.name"]?.value as? String == "web-1")
        #expect(p1["process.pid"]?.type == "int64" && p1["process.pid"]?.value as? Int == 4242)
        #expect(processes["p2"]?["serviceName"] as? String == "backend")
        let p2 = try tags(processes["p2"]?["tags"])
        #expect(p2["k8s.labels"]?.type == "string" && p2["k8s.labels"]?.value as? String == #"["a",1]"#)
    }

    @Test func spansInStartOrderWithoutDuplicates() throws {
        let spans = try #require(try renderRich()["spans"] as? [[String: Any]])
        #expect(spans.map { $0["spanID"] as? String } == ["00f067aa0ba902b7", "0000000000000002", "0000000000000003"])
        #expect(spans.map { $0["processID"] as? String } == ["p1", "p2", "p1"])
        for span in spans {
            #expect(span["traceID"] as? String == "0af7651916cd43dd8448eb211c80319c")
            #expect(span["flags"] as? Int == 1)
            #expect(span["warnings"] is NSNull)
        }
    }

    @Test func rootSpan() throws {
        let span = try #require((try renderRich()["spans"] as? [[String: Any]])?.first)
        #expect(span["operationName"] as? String == "GET /checkout")
        #expect((span["references"] as? [Any])?.isEmpty == true)
        #expect(span["startTime"] as? Int == 1_700_000_000_000_001)
        #expect(span["duration"] as? Int == 150_000)
        let t = try tags(span["tags"])
        #expect(t["http.method"]?.type == "string" && t["http.method"]?.value as? String == "GET")
        #expect(t["http.status_code"]?.type == "int64" && t["http.status_code"]?.value as? Int == 200)
        #expect(t["ratio"]?.type == "float64" && t["ratio"]?.value as? Double == 0.5)
        #expect(t["cached"]?.type == "bool" && t["cached"]?.value as? Bool == false)
        #expect(t["payload"]?.type == "binary" && t["payload"]?.value as? String == "3q2+7w==")
        #expect(t["list"]?.type == "string" && t["list"]?.value as? String == #"[1,"two"]"#)
        #expect(t["map"]?.type == "string" && t["map"]?.value as? String == #"{"inner":true}"#)
        #expect(t["nothing"]?.type == "string" && t["nothing"]?.value as? String == "")
        #expect(t["otel.scope.name"]?.value as? String == "io.otel.http")
        #expect(t["otel.scope.version"]?.value as? String == "1.2.0")
        #expect(t["span.kind"]?.type == "string" && t["span.kind"]?.value as? String == "server")
        #expect(t["otel.status_code"]?.value as? String == "OK")
        #expect(t["error"] == nil)
        #expect(t["otel.status_description"] == nil)
        #expect(t["w3c.tracestate"]?.value as? String == "vendor=x")
        #expect(t["otel.library.name"] == nil)

        let logs = try #require(span["logs"] as? [[String: Any]])
        #expect(logs.count == 1)
        #expect(logs.first?["timestamp"] as? Int == 1_700_000_000_010_000)
        let fields = try #require(logs.first?["fields"] as? [[String: Any]])
        #expect(fields.map { $0["key"] as? String } == ["event", "cache.key"])
        #expect(fields.first?["type"] as? String == "string")
        #expect(fields.first?["value"] as? String == "cache.miss")
        #expect(fields.last?["value"] as? String == "cart:7")
    }

    @Test func childSpanWithErrorAndLink() throws {
        let span = try #require((try renderRich()["spans"] as? [[String: Any]])?[1])
        #expect(span["operationName"] as? String == "SELECT carts")
        let references = try #require(span["references"] as? [[String: String]])
        #expect(references == [
            ["refType": "CHILD_OF", "traceID": "0af7651916cd43dd8448eb211c80319c", "spanID": "00f067aa0ba902b7"],
            ["refType": "FOLLOWS_FROM", "traceID": "00000000000000000000000000000042", "spanID": "0000000000000099"],
        ])
        #expect(span["startTime"] as? Int == 1_700_000_000_020_000)
        #expect(span["duration"] as? Int == 50_000)
        let t = try tags(span["tags"])
        #expect(t["span.kind"]?.value as? String == "client")
        #expect(t["otel.status_code"]?.value as? String == "ERROR")
        #expect(t["error"]?.type == "bool" && t["error"]?.value as? Bool == true)
        #expect(t["otel.status_description"]?.value as? String == "connection reset")
        #expect(t["otel.scope.name"]?.value as? String == "io.otel.db")
        #expect(t["otel.scope.version"] == nil)
        let logs = try #require(span["logs"] as? [[String: Any]])
        let fields = try #require(logs.first?["fields"] as? [[String: Any]])
        #expect(fields.map { $0["value"] as? String } == ["exception", "reset"])
    }

    @Test func unspecifiedKindAndUnsetStatusAddNoTags() throws {
        let span = try #require((try renderRich()["spans"] as? [[String: Any]])?[2])
        let t = try tags(span["tags"])
        #expect(Set(t.keys) == ["otel.scope.name", "otel.scope.version"])
        #expect((span["logs"] as? [Any])?.isEmpty == true)
        #expect((span["references"] as? [[String: String]])?.first?["refType"] == "CHILD_OF")
    }

    @Test func missingServiceNameAndExistingAttributeKeys() throws {
        let span = Span(traceID: F.linkedTrace, spanID: SpanID(1), name: "x", kind: .consumer,
                        startTimeUnixNano: F.base, endTimeUnixNano: F.base,
                        attributes: [Attribute(key: "span.kind", value: .string("custom"))],
                        events: [SpanEvent(timeUnixNano: F.base, name: "named",
                                           attributes: [Attribute(key: "event", value: .string("own"))])])
        let trace = try #require((try parse(JaegerResponse.traces([F.batch(Resource(), [span])]))["data"]
            as? [[String: Any]])?.first)
        let processes = try #require(trace["processes"] as? [String: [String: Any]])
        #expect(processes["p1"]?["serviceName"] as? String == "OTLP_ResourceNoServiceName")
        let rendered = try #require((trace["spans"] as? [[String: Any]])?.first)
        #expect(try tags(rendered["tags"])["span.kind"]?.value as? String == "custom")
        let fields = (rendered["logs"] as? [[String: Any]])?.first?["fields"] as? [[String: Any]]
        #expect(fields?.map { $0["value"] as? String } == ["own"])
    }

    @Test func otherEnvelopes() {
        #expect(String(decoding: JaegerResponse.services(["a", "b"]), as: UTF8.self)
            == #"{"data":["a","b"],"total":2,"limit":0,"offset":0,"errors":null}"#)
        let operations = [JaegerOperation(name: "GET", spanKind: "server"), JaegerOperation(name: "GET", spanKind: "client")]
        #expect(String(decoding: JaegerResponse.operationNames(operations), as: UTF8.self)
            == #"{"data":["GET"],"total":1,"limit":0,"offset":0,"errors":null}"#)
        #expect(String(decoding: JaegerResponse.operations(operations), as: UTF8.self)
            == #"{"data":[{"name":"GET","spanKind":"server"},{"name":"GET","spanKind":"client"}],"total":2,"limit":0,"offset":0,"errors":null}"#)
        #expect(String(decoding: JaegerResponse.error(.missingParameter("service")), as: UTF8.self)
            == #"{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":400,"msg":"parameter 'service' is required"}]}"#)
    }
}
