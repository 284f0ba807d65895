import Foundation
import KansokuModel
import Testing
@testable import KansokuIngest

struct ElasticsearchBulkTests {
    static let received: UInt64 = 1_800_000_000_000_000_000

    /// Ids "id-1", "id-2", ... so that generated ids are predictable.
    final class Counter: @unchecked Sendable { var n = 0 }

    static func decode(_ lines: [String], defaultIndex: String? = nil, trailingNewline: Bool = true) throws -> ElasticsearchBulkRequest {
        let text = lines.joined(separator: "\n") + (trailingNewline ? "\n" : "")
        let counter = Counter()
        return try ElasticsearchBulkDecoder.decode(Array(text.utf8), defaultIndex: defaultIndex, receivedAtUnixNano: received) {
            counter.n += 1
            return "id-\(counter.n)"
        }
    }

    static func records(_ request: ElasticsearchBulkRequest) -> [LogRecord] {
        request.batch.resources.flatMap { $0.scopes.flatMap(\.items) }
    }

    static func attrs(_ pairs: [(String, AttributeValue)]) -> [Attribute] {
        pairs.map { Attribute(key: $0.0, value: $0.1) }
    }

    /// The response body parsed back the way a client would.
    static func parsed(_ response: ElasticsearchHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    // MARK: Fluent Bit

    @Test func fluentBitBulkBodyMapsKubernetesMetadata() throws {
        let request = try Self.decode([
            #"{"create":{"_index":"fluent-bit","_type":"_doc"}}"#,
            #"{"@timestamp":"2024-01-02T03:04:05.678Z","log":"hello world\n","stream":"stdout","time":"2024-01-02T03:04:05.678901234Z","kubernetes":{"pod_name":"api-7d9f","namespace_name":"prod","pod_id":"0f1e-uid","labels":{"app":"api","tier":"web"},"host":"node-1","container_name":"api","docker_id":"abc123","container_hash":"sha256:ff","container_image":"registry/api:1.2"}}"#,
            #"{"create":{"_index":"fluent-bit","_type":"_doc"}}"#,
            #"{"@timestamp":"2024-01-02T03:04:05.679Z","log":"second line\n","stream":"stderr","kubernetes":{"pod_name":"api-7d9f","namespace_name":"prod","pod_id":"0f1e-uid","host":"node-1","container_name":"api"}}"#,
            #"{"index":{"_index":"fluent-bit","_type":"_doc","_id":"client-id"}}"#,
            #"{"@timestamp":"2024-01-02T03:04:06.000Z","log":"db ready","stream":"stdout","kubernetes":{"pod_name":"db-0","namespace_name":"prod","pod_id":"9a8b-uid","host":"node-2","container_name":"postgres"}}"#,
        ])
        #expect(request.items.count == 3)
        #expect(!request.hasErrors)
        #expect(request.items.map(\.action) == ["create", "create", "index"])
        #expect(request.items.map(\.id) == ["id-1", "id-2", "client-id"])
        #expect(request.batch.resources.count == 2)

        let api = request.batch.resources[0]
        #expect(api.resource.attributes == Self.attrs([
            ("k8s.namespace.name", .string("prod")), ("k8s.pod.name", .string("api-7d9f")), ("k8s.pod.uid", .string("0f1e-uid")),
            ("k8s.container.name", .string("api")), ("k8s.node.name", .string("node-1")), ("elasticsearch.index", .string("fluent-bit")),
        ]))
        #expect(api.scopes.count == 1)
        #expect(api.scopes[0].items.count == 2)
        let first = api.scopes[0].items[0]
        #expect(first.timeUnixNano == 1_704_164_645_678_000_000)
        #expect(first.observedTimeUnixNano == Self.received)
        #expect(first.body == .string("hello world\n"))
        #expect(first.severityNumber == 0)
        #expect(first.attributes == Self.attrs([
            ("stream", .string("stdout")),
            ("time", .string("2024-01-02T03:04:05.678901234Z")),
            ("kubernetes.labels.app", .string("api")), ("kubernetes.labels.tier", .string("web")),
            ("kubernetes.docker_id", .string("abc123")), ("kubernetes.container_hash", .string("sha256:ff")),
            ("kubernetes.container_image", .string("registry/api:1.2")),
        ]))
        #expect(api.scopes[0].items[1].timeUnixNano == 1_704_164_645_679_000_000)
        #expect(api.scopes[0].items[1].attributes == Self.attrs([("stream", .string("stderr"))]))

        let db = request.batch.resources[1]
        #expect(db.resource.attributes[key: "k8s.pod.name"] == .string("db-0"))
        #expect(db.resource.attributes[key: "k8s.node.name"] == .string("node-2"))
        #expect(db.scopes[0].items.map(\.body) == [.string("db ready")])
        #expect(db.scopes[0].items[0].timeUnixNano == 1_704_164_646_000_000_000)
    }

    // MARK: Filebeat

    @Test func filebeatBulkBodyMapsECSFields() throws {
        let doc1 = #"{"@timestamp":"2024-01-02T03:04:05.678Z","message":"GET /health 200","log":{"level":"info","offset":1234,"file":{"path":"/var/log/containers/api.log"}},"stream":"stdout","input":{"type":"container"},"ecs":{"version":"8.0.0"},"host":{"name":"node-1","hostname":"node-1.local","architecture":"x86_64"},"agent":{"type":"filebeat","version":"8.11.0"},"kubernetes":{"namespace":"prod","pod":{"name":"api-7d9f","uid":"uid-1"},"container":{"name":"api"},"node":{"name":"node-1"},"labels":{"app":"api"}},"container":{"id":"abc","runtime":"containerd"},"service":{"name":"api"}}"#
        let doc2 = #"{"@timestamp":"2024-01-02T03:04:05.999Z","message":"boom","log.level":"ERROR","trace":{"id":"4bf92f3577b34da6a3ce929d0e0e4736"},"span":{"id":"00f067aa0ba902b7"},"host":{"name":"node-1"},"kubernetes":{"namespace":"prod","pod":{"name":"api-7d9f","uid":"uid-1"},"container":{"name":"api"},"node":{"name":"node-1"}},"service":{"name":"api"},"error":{"stack_trace":["a","b"]},"retries":2,"ratio":0.25,"ok":false}"#
        let request = try Self.decode([
            #"{"create":{"_index":"filebeat-8.11.0"}}"#, doc1,
            #"{"create":{"_index":"filebeat-8.11.0"}}"#, doc2,
        ])
        #expect(request.items.count == 2)
        #expect(!request.hasErrors)
        #expect(request.batch.resources.count == 1)
        let resource = request.batch.resources[0].resource
        #expect(resource.attributes == Self.attrs([
            ("service.name", .string("api")), ("host.name", .string("node-1")), ("k8s.namespace.name", .string("prod")),
            ("k8s.pod.name", .string("api-7d9f")), ("k8s.pod.uid", .string("uid-1")), ("k8s.container.name", .string("api")),
            ("k8s.node.name", .string("node-1")), ("elasticsearch.index", .string("filebeat-8.11.0")),
        ]))
        #expect(resource.serviceName == "api")

        let records = Self.records(request)
        #expect(records[0].timeUnixNano == 1_704_164_645_678_000_000)
        #expect(records[0].body == .string("GET /health 200"))
        #expect(records[0].severityText == "info")
        #expect(records[0].severityNumber == 9)
        #expect(records[0].attributes == Self.attrs([
            ("log.offset", .int(1234)), ("log.file.path", .string("/var/log/containers/api.log")),
            ("stream", .string("stdout")), ("input.type", .string("container")), ("ecs.version", .string("8.0.0")),
            ("host.hostname", .string("node-1.local")), ("host.architecture", .string("x86_64")),
            ("agent.type", .string("filebeat")), ("agent.version", .string("8.11.0")),
            ("kubernetes.labels.app", .string("api")),
            ("container.id", .string("abc")), ("container.runtime", .string("containerd")),
        ]))

        #expect(records[1].severityText == "ERROR")
        #expect(records[1].severityNumber == 17)
        #expect(records[1].traceID == TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736"))
        #expect(records[1].spanID == SpanID(hex: "00f067aa0ba902b7"))
        #expect(records[1].attributes == Self.attrs([
            ("error.stack_trace", .array([.string("a"), .string("b")])),
            ("retries", .int(2)), ("ratio", .double(0.25)), ("ok", .bool(false)),
        ]))
    }

    @Test(arguments: [
        ("trace", 1), ("DEBUG", 5), ("info", 9), ("Warn", 13), ("warning", 13), ("error", 17),
        ("fatal", 21), ("CRITICAL", 21), ("verbose", 0),
    ])
    func severityNamesMapToOTLPNumbers(level: String, number: Int32) throws {
        let request = try Self.decode([#"{"index":{"_index":"x"}}"#, #"{"message":"m","severity":"\#(level)"}"#])
        let record = try #require(Self.records(request).first)
        #expect(record.severityText == level)
        #expect(record.severityNumber == number)
        #expect(record.attributes.isEmpty)
    }

    // MARK: Failures and resynchronisation

    @Test func failingItemsAreAnsweredOneByOneAndTheRestKept() throws {
        let request = try Self.decode([
            #"{"index":{"_index":"app","_id":"a1"}}"#,
            #"{"message":"ok 1"}"#,
            #"{"index":{"_index":"app"}}"#,
            #"{"message": broken"#,
            #"{"delete":{"_index":"app","_id":"x"}}"#,
            #"{"update":{"_index":"app","_id":"y"}}"#,
            #"{"doc":{"message":"not stored"}}"#,
            #"{"create":{"_index":"app"}}"#,
            #"[1,2]"#,
            #"{"index":{"_index":"app" broken action"#,
            #"{"message":"the source of the broken index action, not stored"}"#,
            #"{"upsert":{}}"#,
            #"{"index":{"_index":"app"}}"#,
            #"{"message":"ok 2"}"#,
            #"not json at all"#,
            #"{"message":"taken as the source of the unrecognisable line"}"#,
            #"{"create":{"_index":"app"}}"#,
            #"{"message":"ok 3"}"#,
        ])
        #expect(request.items.map(\.action) == ["index", "index", "delete", "update", "create", "index", "index", "index", "index", "create"])
        #expect(request.items.map(\.isCreated) == [true, false, false, false, false, false, false, true, false, true])
        #expect(request.hasErrors)
        #expect(request.createdCount == 3)
        #expect(request.failedCount == 7)
        #expect(Self.records(request).map(\.body) == [.string("ok 1"), .string("ok 2"), .string("ok 3")])

        func error(_ i: Int) -> ElasticsearchError? {
            if case .failed(let e) = request.items[i].outcome { e } else { nil }
        }
        #expect(error(1)?.type == "mapper_parsing_exception")
        #expect(error(1)?.reason.hasPrefix("failed to parse") == true)
        #expect(error(2)?.type == "illegal_argument_exception")
        #expect(error(2)?.reason.contains("[delete]") == true)
        #expect(request.items[2].id == "x")
        #expect(error(3)?.type == "illegal_argument_exception")
        #expect(error(3)?.reason.contains("[update]") == true)
        #expect(error(4)?.type == "mapper_parsing_exception")
        #expect(error(4)?.reason.contains("JSON object") == true)
        #expect(error(5)?.type == "illegal_argument_exception")
        #expect(error(5)?.reason.contains("line [10]") == true)
        #expect(error(6)?.reason.contains("[upsert]") == true)
        #expect(error(8)?.status == 400)
        #expect(request.items.allSatisfy { $0.isCreated || $0.id == nil || $0.action == "delete" || $0.action == "update" })
    }

    @Test func missingSourceAtTheEndFailsOnlyItsItem() throws {
        let request = try Self.decode([#"{"index":{"_index":"a"}}"#, #"{"message":"m"}"#, #"{"index":{"_index":"a"}}"#], trailingNewline: false)
        #expect(request.items.count == 2)
        #expect(request.items[1].outcome == .failed(ElasticsearchError(type: "action_request_validation_exception",
                                                                        reason: "Validation Failed: 1: source is missing;")))
    }

    @Test func emptyBodyIsARequestError() throws {
        #expect {
            try ElasticsearchBulkDecoder.decode([], defaultIndex: nil, receivedAtUnixNano: 0)
        } throws: { error in
            (error as? IngestError)?.description == "malformed request: request body is required"
        }
        #expect(throws: IngestError.self) {
            try ElasticsearchBulkDecoder.decode(Array("\n \n".utf8), defaultIndex: nil, receivedAtUnixNano: 0)
        }
    }

    @Test func bodyWithoutFinalNewlineAndWithCRLFAndBlankLinesIsAccepted() throws {
        let text = "{\"index\":{\"_index\":\"a\"}}\r\n{\"message\":\"one\"}\r\n\n{\"index\":{\"_index\":\"a\"}}\n{\"message\":\"two\"}"
        let request = try ElasticsearchBulkDecoder.decode(Array(text.utf8), defaultIndex: nil, receivedAtUnixNano: 1)
        #expect(request.items.count == 2)
        #expect(!request.hasErrors)
        #expect(Self.records(request).map(\.body) == [.string("one"), .string("two")])
    }

    // MARK: Index

    @Test func indexFromTheURLIsTheDefault() throws {
        let request = try Self.decode([
            #"{"index":{}}"#, #"{"message":"to the URL index"}"#,
            #"{"create":{"_index":"explicit"}}"#, #"{"message":"to its own index"}"#,
            #"{"index":{"_type":"_doc"}}"#, #"{"message":"URL index again"}"#,
        ], defaultIndex: "logs-web")
        #expect(request.items.map(\.index) == ["logs-web", "explicit", "logs-web"])
        #expect(request.batch.resources.map { $0.resource.attributes[key: "elasticsearch.index"] } == [.string("logs-web"), .string("explicit")])
        #expect(request.batch.resources[0].scopes[0].items.count == 2)
    }

    @Test func missingOrInvalidIndexFailsTheItem() throws {
        let request = try Self.decode([
            #"{"index":{}}"#, #"{"message":"nowhere"}"#,
            #"{"index":{"_index":"Upper"}}"#, #"{"message":"bad name"}"#,
            #"{"index":{"_index":{"a":1}}}"#, #"{"message":"bad type"}"#,
            #"{"index":{"_index":"fine"}}"#, #"{"message":"kept"}"#,
        ])
        #expect(request.items.map(\.isCreated) == [false, false, false, true])
        let types = request.items.compactMap { if case .failed(let e) = $0.outcome { e.type } else { nil } }
        #expect(types == ["action_request_validation_exception", "invalid_index_name_exception", "illegal_argument_exception"])
        #expect(Self.records(request).map(\.body) == [.string("kept")])
    }

    // MARK: Time and body

    @Test(arguments: [
        (#""2024-01-02T03:04:05.678Z""#, UInt64(1_704_164_645_678_000_000)),
        (#""2024-01-02T03:04:05.123456789Z""#, 1_704_164_645_123_456_789),
        (#""2024-01-02T03:04:05.1234567891Z""#, 1_704_164_645_123_456_789),
        (#""2024-01-02T03:04:05Z""#, 1_704_164_645_000_000_000),
        (#""2024-01-02T12:04:05.5+09:00""#, 1_704_164_645_500_000_000),
        (#""2024-01-02T01:34:05.678-0130""#, 1_704_164_645_678_000_000),
        (#""2024-01-02T03:04:05.678""#, 1_704_164_645_678_000_000),
        (#""2024-01-02 03:04:05.678Z""#, 1_704_164_645_678_000_000),
        (#""2024-01-02""#, 1_704_153_600_000_000_000),
        (#""2024-02-29T00:00:00Z""#, 1_709_164_800_000_000_000),
        ("1704164645678", 1_704_164_645_678_000_000),
        ("1704164645678.25", 1_704_164_645_678_250_000),
        (#""1704164645678""#, 1_704_164_645_678_000_000),
    ])
    func timestampsAreExactToTheNanosecond(json: String, nanos: UInt64) throws {
        let request = try Self.decode([#"{"index":{"_index":"t"}}"#, #"{"@timestamp":\#(json),"message":"m"}"#])
        let record = try #require(Self.records(request).first)
        #expect(record.timeUnixNano == nanos)
        #expect(record.attributes.isEmpty)
    }

    @Test func timestampFallsBackToTimestampThenReceiveTime() throws {
        let request = try Self.decode([
            #"{"index":{"_index":"t"}}"#, #"{"timestamp":"2024-01-02T03:04:05.678Z","message":"a"}"#,
            #"{"index":{"_index":"t"}}"#, #"{"message":"b"}"#,
            #"{"index":{"_index":"t"}}"#, #"{"@timestamp":"yesterday","timestamp":1704164645678,"message":"c"}"#,
            #"{"index":{"_index":"t"}}"#, #"{"@timestamp":"2024-02-30T00:00:00Z","message":"d"}"#,
        ])
        let records = Self.records(request)
        #expect(records.map(\.timeUnixNano) == [1_704_164_645_678_000_000, Self.received, 1_704_164_645_678_000_000, Self.received])
        #expect(records[2].attributes == Self.attrs([("@timestamp", .string("yesterday"))]))
        #expect(records[3].attributes == Self.attrs([("@timestamp", .string("2024-02-30T00:00:00Z"))]))
    }

    @Test func bodyFallsBackToTheWholeDocument() throws {
        let request = try Self.decode([
            #"{"index":{"_index":"t"}}"#, #"{"log":"from log","message":{"not":"a string"}}"#,
            #"{"index":{"_index":"t"}}"#, #"{"a":1,"b":{"c":"x\"y","d":[1.5,true,null]},"n":null}"#,
        ])
        let records = Self.records(request)
        #expect(records[0].body == .string("from log"))
        #expect(records[0].attributes == Self.attrs([("message.not", .string("a string"))]))
        #expect(records[1].body == .string(#"{"a":1,"b":{"c":"x\"y","d":[1.5,true,null]},"n":null}"#))
        #expect(records[1].attributes == Self.attrs([
            ("a", .int(1)), ("b.c", .string("x\"y")), ("b.d", .array([.double(1.5), .bool(true), .empty])),
        ]))
    }

    // MARK: Responses

    @Test func bulkResponseHasElasticsearchShape() throws {
        let request = try Self.decode([
            #"{"create":{"_index":"app","_id":"given"}}"#, #"{"message":"ok"}"#,
            #"{"delete":{"_index":"app","_id":"x"}}"#,
            #"{"index":{"_index":"app"}}"#, #"{"message": nope"#,
            #"{"index":{"_index":"app"}}"#, #"{"message":"ok again"}"#,
        ])
        let response = ElasticsearchResponses.bulk(request, tookMillis: 7, firstSeqNo: 41)
        #expect(response.status == 200)
        #expect(response.headers.contains(.init(name: "X-Elastic-Product", value: "Elasticsearch")))
        #expect(response.headers.contains(.init(name: "Content-Type", value: "application/json")))
        #expect(response.bodyString.hasPrefix(#"{"took":7,"errors":true,"items":[{"create":{"_index":"app","_id":"given","_version":1,"result":"created","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":41,"_primary_term":1,"status":201}}"#))

        let json = try Self.parsed(response)
        #expect(json["took"] as? Int == 7)
        #expect(json["errors"] as? Bool == true)
        let items = try #require(json["items"] as? [[String: Any]])
        #expect(items.count == 4)
        #expect(items.map { $0.keys.sorted() } == [["create"], ["delete"], ["index"], ["index"]])
        let bodies = items.compactMap { $0.values.first as? [String: Any] }
        #expect(bodies.map { $0["status"] as? Int } == [201, 400, 400, 201])
        #expect(bodies[0]["_id"] as? String == "given")
        #expect(bodies[3]["_id"] as? String == "id-1")
        #expect(bodies[3]["_seq_no"] as? Int == 42)
        #expect(bodies[3]["result"] as? String == "created")
        #expect(bodies[2]["_id"] is NSNull)
        let error = try #require(bodies[2]["error"] as? [String: Any])
        #expect(error["type"] as? String == "mapper_parsing_exception")
        #expect((error["reason"] as? String)?.isEmpty == false)
        #expect((bodies[1]["error"] as? [String: Any])?["type"] as? String == "illegal_argument_exception")
        #expect(bodies[1]["result"] == nil)
    }

    @Test func bulkResponseWithoutErrors() throws {
        let request = try Self.decode([#"{"index":{"_index":"a"}}"#, #"{"message":"m"}"#])
        let response = ElasticsearchResponses.bulk(request, tookMillis: 0)
        #expect(response.bodyString.contains(#""errors":false"#))
        let json = try Self.parsed(response)
        #expect((json["items"] as? [Any])?.count == 1)
    }

    @Test func generatedIDsLookLikeElasticsearchOnes() {
        let id = ElasticsearchBulkDecoder.randomID()
        #expect(id.utf8.count == 20)
        #expect(id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(ElasticsearchBulkDecoder.randomID() != id)
        #expect(ElasticsearchBulkDecoder.base64URL(Array(repeating: 0xFF, count: 15)) == String(repeating: "_", count: 20))
    }

    @Test func probeAnswers() throws {
        let root = ElasticsearchResponses.rootInfo()
        #expect(root.status == 200)
        #expect(root.headers.contains(.init(name: "X-Elastic-Product", value: "Elasticsearch")))
        let info = try Self.parsed(root)
        #expect(info["name"] as? String == "kansoku")
        #expect(info["tagline"] as? String == "You Know, for Search")
        let version = try #require(info["version"] as? [String: Any])
        #expect(version["number"] as? String == "8.11.0")
        #expect(version["build_flavor"] as? String == "default")
        #expect(version["build_snapshot"] as? Bool == false)
        #expect(version["minimum_wire_compatibility_version"] as? String == "7.17.0")

        let license = try #require(try Self.parsed(ElasticsearchResponses.license())["license"] as? [String: Any])
        #expect(license["status"] as? String == "active")
        #expect(license["type"] as? String == "basic")

        #expect(try Self.parsed(ElasticsearchResponses.acknowledged())["acknowledged"] as? Bool == true)
        let head = ElasticsearchResponses.indexTemplate(name: "filebeat-8.11.0", method: "HEAD")
        #expect(head.status == 200 && head.body.isEmpty)
        let templates = try Self.parsed(ElasticsearchResponses.indexTemplate(name: "filebeat-8.11.0", method: "GET"))
        #expect((templates["index_templates"] as? [[String: Any]])?.first?["name"] as? String == "filebeat-8.11.0")
        #expect(try Self.parsed(ElasticsearchResponses.ilmPolicy(name: "filebeat"))["filebeat"] != nil)
    }

    @Test func requestLevelErrors() throws {
        let response = ElasticsearchResponses.error(for: .malformed("request body is required"))
        #expect(response.status == 400)
        let json = try Self.parsed(response)
        #expect(json["status"] as? Int == 400)
        let error = try #require(json["error"] as? [String: Any])
        #expect(error["reason"] as? String == "request body is required")
        #expect((error["root_cause"] as? [[String: Any]])?.count == 1)

        let overloaded = ElasticsearchResponses.error(for: .overloaded(retryAfterSeconds: 2))
        #expect(overloaded.status == 429)
        #expect(overloaded.headers.contains(.init(name: "Retry-After", value: "2")))
        #expect(ElasticsearchResponses.error(for: .storageUnavailable("disk")).status == 503)
    }
}
