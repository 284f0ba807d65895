import KansokuModel

/// An HTTP answer ready to send: status, headers and body bytes.
public struct ElasticsearchHTTPResponse: Sendable, Hashable {
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var status: Int
    public var headers: [Header]
    public var body: [UInt8]

    public init(status: Int, headers: [Header], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var bodyString: String { String(decoding: body, as: UTF8.self) }
}

/// The answers Kansoku gives as an Elasticsearch endpoint, with the exact
/// JSON shapes Fluent Bit's `es` output, Filebeat (libbeat's `eslegclient`)
/// and the official clients parse. Every response carries
/// `X-Elastic-Product: Elasticsearch` (Elasticsearch ≥ 7.14 sends it on every
/// response and the Go and Java clients refuse a server without it) and
/// `Content-Type: application/json`.
///
/// Routes to wire (the calls Filebeat 8 makes at start-up with its default
/// `setup.template` and `setup.ilm` settings, then its bulk requests; Fluent
/// Bit only sends `POST /_bulk`):
/// - `GET /`, `HEAD /` → `rootInfo()` (Filebeat reads `version.number` and
///   `version.build_flavor`; `serverless` would switch it to data stream
///   lifecycles)
/// - `GET /_license` → `license()` (Filebeat's x-pack licence check)
/// - `HEAD|GET /_index_template/{name}` → `indexTemplate(name:method:)`
///   (answered as existing, so Filebeat does not upload one);
///   `PUT|POST /_index_template/{name}` → `acknowledged()`
/// - `GET /_ilm/policy/{name}` → `ilmPolicy(name:)` (existing);
///   `PUT /_ilm/policy/{name}` → `acknowledged()`
/// - `POST /_bulk`, `POST|PUT /{index}/_bulk` → `bulk(_:tookMillis:firstSeqNo:)`,
///   or `error(for:)` when the request as a whole fails
/// - anything else → `error(status: 404, ...)` is the honest answer.
public enum ElasticsearchResponses {
    /// The version Kansoku claims: 8.x so that Filebeat 8 and current Fluent Bit
    /// use their modern code paths (no `_type`, `create` into data streams).
    public static let versionNumber = "8.11.0"
    static let clusterUUID = "a2Fuc29rdS1rYW5zb2t1"

    static let headers: [ElasticsearchHTTPResponse.Header] = [
        .init(name: "Content-Type", value: "application/json"),
        .init(name: "X-Elastic-Product", value: "Elasticsearch"),
    ]

    static func json(_ value: JSONValue, status: Int = 200) -> ElasticsearchHTTPResponse {
        ElasticsearchHTTPResponse(status: status, headers: headers, body: value.serialized)
    }

    /// `GET /`: the cluster banner.
    public static func rootInfo() -> ElasticsearchHTTPResponse {
        json(.object([
            ("name", .string("kansoku")),
            ("cluster_name", .string("kansoku")),
            ("cluster_uuid", .string(clusterUUID)),
            ("version", .object([
                ("number", .string(versionNumber)),
                ("build_flavor", .string("default")),
                ("build_type", .string("kansoku")),
                ("build_hash", .string("0000000000000000000000000000000000000000")),
                ("build_date", .string("2023-11-04T10:04:57.184859352Z")),
                ("build_snapshot", .bool(false)),
                ("lucene_version", .string("9.8.0")),
                ("minimum_wire_compatibility_version", .string("7.17.0")),
                ("minimum_index_compatibility_version", .string("7.0.0")),
            ])),
            ("tagline", .string("You Know, for Search")),
        ]))
    }

    /// `GET /_license`: an active basic licence that never expires.
    public static func license() -> ElasticsearchHTTPResponse {
        json(.object([
            ("license", .object([
                ("status", .string("active")),
                ("uid", .string("00000000-0000-4000-8000-6b616e736f6b")),
                ("type", .string("basic")),
                ("issue_date", .string("2024-01-01T00:00:00.000Z")),
                ("issue_date_in_millis", .int(1_704_067_200_000)),
                ("max_nodes", .int(1000)),
                ("max_resource_units", .null),
                ("issued_to", .string("kansoku")),
                ("issuer", .string("elasticsearch")),
                ("start_date_in_millis", .int(-1)),
            ])),
        ]))
    }

    /// `{"acknowledged":true}`: for `PUT /_index_template/{name}`,
    /// `PUT /_ilm/policy/{name}` and similar setup calls.
    public static func acknowledged() -> ElasticsearchHTTPResponse {
        json(.object([("acknowledged", .bool(true))]))
    }

    /// `HEAD` or `GET /_index_template/{name}`: the template exists (200; empty
    /// body for `HEAD`), so clients that check first do not upload theirs.
    public static func indexTemplate(name: String, method: String) -> ElasticsearchHTTPResponse {
        if method.uppercased() == "HEAD" { return ElasticsearchHTTPResponse(status: 200, headers: headers, body: []) }
        return json(.object([
            ("index_templates", .array([
                .object([
                    ("name", .string(name)),
                    ("index_template", .object([
                        ("index_patterns", .array([.string(name + "-*")])),
                        ("composed_of", .array([])),
                        ("priority", .int(150)),
                        ("data_stream", .object([("hidden", .bool(false)), ("allow_custom_routing", .bool(false))])),
                    ])),
                ]),
            ])),
        ]))
    }

    /// `GET /_ilm/policy/{name}`: the policy exists (Filebeat only looks at the status).
    public static func ilmPolicy(name: String) -> ElasticsearchHTTPResponse {
        json(.object([
            (name, .object([
                ("version", .int(1)),
                ("modified_date", .string("2024-01-01T00:00:00.000Z")),
                ("policy", .object([
                    ("phases", .object([
                        ("hot", .object([("min_age", .string("0ms")), ("actions", .object([]))])),
                    ])),
                ])),
            ])),
        ]))
    }

    /// The bulk response: HTTP 200 with one item per operation, in order, keyed
    /// by the operation's action name. Created items carry `_version` 1,
    /// `result` `created`, `_shards`, `_seq_no` (`firstSeqNo` counting up over the
    /// created items) and `_primary_term` 1, status 201; failed items carry
    /// their status and `error` `{type, reason}`.
    public static func bulk(_ request: ElasticsearchBulkRequest, tookMillis: Int, firstSeqNo: Int = 0) -> ElasticsearchHTTPResponse {
        var seqNo = firstSeqNo
        var items: [JSONValue] = []
        items.reserveCapacity(request.items.count)
        for item in request.items {
            var fields: [(key: String, value: JSONValue)] = [
                ("_index", .string(item.index)),
                ("_id", item.id.map(JSONValue.string) ?? .null),
            ]
            switch item.outcome {
            case .created:
                fields += [
                    ("_version", .int(1)),
                    ("result", .string("created")),
                    ("_shards", .object([("total", .int(1)), ("successful", .int(1)), ("failed", .int(0))])),
                    ("_seq_no", .int(seqNo)),
                    ("_primary_term", .int(1)),
                    ("status", .int(201)),
                ]
                seqNo += 1
            case .failed(let error):
                fields += [
                    ("status", .int(error.status)),
                    ("error", errorObject(error)),
                ]
            }
            items.append(.object([(item.action, .object(fields))]))
        }
        return json(.object([
            ("took", .int(max(0, tookMillis))),
            ("errors", .bool(request.hasErrors)),
            ("items", .array(items)),
        ]))
    }

    /// A request-level error as Elasticsearch writes it:
    /// `{"error":{"root_cause":[{"type":..,"reason":..}],"type":..,"reason":..},"status":N}`.
    public static func error(_ error: ElasticsearchError, retryAfterSeconds: Int? = nil) -> ElasticsearchHTTPResponse {
        var response = json(.object([
            ("error", .object([
                ("root_cause", .array([errorObject(error)])),
                ("type", .string(error.type)),
                ("reason", .string(error.reason)),
            ])),
            ("status", .int(error.status)),
        ]), status: error.status)
        if let retryAfterSeconds { response.headers.append(.init(name: "Retry-After", value: String(retryAfterSeconds))) }
        return response
    }

    /// `error(_:)` for a receiver error: 400 `parse_exception` for a malformed
    /// body, 413, 415, 429 `es_rejected_execution_exception` (Filebeat and
    /// Fluent Bit retry it) and 503 for storage failures.
    public static func error(for ingest: IngestError) -> ElasticsearchHTTPResponse {
        let esError = switch ingest {
        case .malformed(let why):
            ElasticsearchError(status: 400, type: why.hasPrefix("Validation Failed") ? "action_request_validation_exception" : "parse_exception",
                               reason: why)
        case .tooLarge:
            ElasticsearchError(status: 413, type: "content_too_long_exception", reason: ingest.description)
        case .unsupportedContentType(let type):
            ElasticsearchError(status: 406, type: "media_type_header_exception", reason: "Content-Type header [\(type)] is not supported")
        case .unsupportedMediaType(let why):
            ElasticsearchError(status: 406, type: "media_type_header_exception", reason: why)
        case .overloaded:
            ElasticsearchError(status: 429, type: "es_rejected_execution_exception", reason: ingest.description)
        case .storageUnavailable:
            ElasticsearchError(status: 503, type: "unavailable_shards_exception", reason: ingest.description)
        }
        return error(esError, retryAfterSeconds: ingest.retryAfterSeconds)
    }

    /// A generic error answer, e.g. 404 `resource_not_found_exception` for unknown routes.
    public static func error(status: Int, type: String, reason: String) -> ElasticsearchHTTPResponse {
        error(ElasticsearchError(status: status, type: type, reason: reason))
    }

    static func errorObject(_ error: ElasticsearchError) -> JSONValue {
        .object([("type", .string(error.type)), ("reason", .string(error.reason))])
    }
}
