import HTTPTypes
import Hummingbird
import KansokuModel
import KansokuQuery
import KansokuStorage
import NIOCore
import NIOPosix

/// Grafana Tempo's query API under the `/tempo` prefix (point a Grafana Tempo
/// data source at `http://host:9494/tempo`): trace by id (v1 and v2, OTLP JSON
/// or protobuf by `Accept`), search with TraceQL or tags, tag names and
/// values, echo and build info. Its `/api/traces/{id}` would collide with
/// Jaeger's, hence the prefix. Search asks the store for the most recent
/// traces with a span that may match and evaluates the query on those.
public struct TempoRoutes: Sendable {
    public static let pathPrefix = "/tempo"
    /// Traces examined at most per search, so one broad query cannot run unbounded.
    static let maxInspectedTraces = 20_000
    /// Set to `true` on a tag-values response whose list is not every value:
    /// names and values come from the store's attribute catalogue, which
    /// keeps at most 64 values of a span attribute per block (the smallest
    /// ones, see ``TraceAttributeCatalog/valuesPerKey``), so a key with
    /// unique values lists only some. Tempo too caps tag values without a
    /// sign in the body; the JSON shape stays Tempo's.
    static let incompleteValuesHeader = HTTPField.Name("X-Kansoku-Incomplete")!

    public let traces: any TraceSignalStore
    public let version: String

    public init(traces: any TraceSignalStore, version: String) {
        self.traces = traces
        self.version = version
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let group = router.group(RouterPath(Self.pathPrefix))
        let traces = self.traces, version = self.version
        group.get("/api/echo") { _, _ in Self.body(TempoResponses.echo, contentType: "text/plain") }
        group.get("/api/status/buildinfo") { _, _ in RouteSupport.json(TempoResponses.buildInfo(version: version)) }
        group.get("/api/traces/:traceId") { request, context in
            try await Self.trace(request, context, traces) { trace, protobuf in
                protobuf ? try TempoResponses.traceProtobuf(trace) : TempoResponses.traceJSON(trace)
            }
        }
        group.get("/api/v2/traces/:traceId") { request, context in
            try await Self.trace(request, context, traces) { trace, protobuf in
                protobuf ? try TempoResponses.traceByIDV2Protobuf(trace) : TempoResponses.traceByIDV2JSON(trace)
            }
        }
        group.get("/api/search") { request, _ in
            let parameters = FormQuery.parameters(request.uri.query)
            let search: TempoSearchRequest
            switch TempoSearchRequest.parse(parameters, nowSeconds: Double(RouteSupport.nowMicros()) / 1e6) {
            case .success(let parsed): search = parsed
            case .failure(let error): return Self.error(error.description)
            }
            return try await RouteSupport.blocking { try search.run(in: traces) }
        }
        for (path, v2) in [("/api/search/tags", false), ("/api/v2/search/tags", true)] {
            group.get(RouterPath(path)) { request, _ in
                let scope = FormQuery.parameters(request.uri.query).last { $0.name == "scope" }?.value
                return try await RouteSupport.blocking {
                    var collector = TempoTagNameCollector()
                    try collector.collect(from: traces)
                    return v2 ? collector.v2Body(scope: scope) : collector.v1Body()
                }
            }
        }
        for (path, v2) in [("/api/search/tag/:name/values", false), ("/api/v2/search/tag/:name/values", true)] {
            group.get(RouterPath(path)) { _, context in
                let name = context.parameters.get("name") ?? ""
                guard let selector = v2 ? TempoTagSelector(traceQL: name) : TempoTagSelector(v1Name: name) else {
                    return Self.error("invalid tag name \"\(name)\": use resource.x, span.x, .x or an intrinsic")
                }
                let (body, isComplete) = try await NIOThreadPool.singleton.runIfActive { () throws -> ([UInt8], Bool) in
                    var collector = TempoTagValueCollector(selector: selector)
                    let isComplete = try collector.collect(from: traces)
                    return (v2 ? collector.v2Body() : collector.v1Body(), isComplete)
                }
                var response = RouteSupport.json(body)
                if !isComplete { response.headers[Self.incompleteValuesHeader] = "true" }
                return response
            }
        }
    }

    private static func trace(
        _ request: Request, _ context: some RequestContext, _ traces: any TraceSignalStore,
        render: @escaping @Sendable (SpanBatch, Bool) throws -> [UInt8]
    ) async throws -> Response {
        let text = context.parameters.get("traceId") ?? ""
        guard let traceID = RouteSupport.traceID(text) else {
            return error("invalid trace id \"\(text)\": want 1 to 32 hex digits")
        }
        let protobuf = request.headers[.accept]?.contains("application/protobuf") ?? false
        let batch = try await NIOThreadPool.singleton.runIfActive { try traces.spans(ofTrace: traceID) }
        guard !batch.isEmpty else { return body(Array("trace not found\n".utf8), contentType: "text/plain", status: .notFound) }
        let bytes = try render(batch, protobuf)
        return body(bytes, contentType: protobuf ? TempoResponses.protobufContentType : TempoResponses.jsonContentType)
    }

    static func error(_ message: String) -> Response {
        body(Array((message + "\n").utf8), contentType: "text/plain", status: .badRequest)
    }

    static func body(_ bytes: [UInt8], contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
