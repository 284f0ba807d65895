import Foundation
import HTTPTypes
import Hummingbird
import KansokuModel
import Logging
import NIOCore
import Synchronization

/// The part of the Elasticsearch API that log shippers use — `_bulk` and the
/// probes Filebeat makes before it — mounted under a path prefix of the API
/// port (`/elasticsearch`), since `/` there belongs to Kansoku's own UI. Point
/// Fluent Bit's `es` output (`Path /elasticsearch`) or Filebeat
/// (`output.elasticsearch.path: /elasticsearch`) at it.
public struct ElasticsearchHTTPReceiver: Sendable {
    public static let pathPrefix = "/elasticsearch"

    public let context: IngestContext
    private let metrics = IngestMetrics(signal: .logs, protocol: .elasticsearchBulk)
    private let sequenceNumbers = SequenceNumbers()

    public init(context: IngestContext) {
        self.context = context
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let group = router.group(RouterPath(Self.pathPrefix))
        group.get("/") { _, _ in Self.response(ElasticsearchResponses.rootInfo()) }
        group.head("/") { _, _ in Self.response(ElasticsearchResponses.rootInfo(), includeBody: false) }
        group.get("/_license") { _, _ in Self.response(ElasticsearchResponses.license()) }
        for method in [HTTPRequest.Method.get, .head, .put] {
            group.on("/_index_template/:name", method: method) { request, context in
                let name = context.parameters.get("name") ?? ""
                return Self.response(ElasticsearchResponses.indexTemplate(name: name, method: request.method.rawValue),
                                     includeBody: request.method != .head)
            }
        }
        group.get("/_ilm/policy/:name") { _, context in
            Self.response(ElasticsearchResponses.ilmPolicy(name: context.parameters.get("name") ?? ""))
        }
        group.put("/_ilm/policy/:name") { _, _ in Self.response(ElasticsearchResponses.acknowledged()) }
        group.post("/_bulk") { request, _ in await self.bulk(request, defaultIndex: nil) }
        group.put("/_bulk") { request, _ in await self.bulk(request, defaultIndex: nil) }
        group.post("/:index/_bulk") { request, context in
            await self.bulk(request, defaultIndex: context.parameters.get("index"))
        }
    }

    private func bulk(_ request: Request, defaultIndex: String?) async -> Response {
        let started = ContinuousClock.now
        do throws(IngestError) {
            let body = try await HTTPBodyReader(maxBytes: context.maxRequestBytes).read(request)
            let decoded = try await context.budget.withReservation(of: body.count) { () throws(IngestError) in
                let now = UInt64(Date().timeIntervalSince1970 * 1_000_000_000)
                let decoded = try ElasticsearchBulkDecoder.decode(body, defaultIndex: defaultIndex, receivedAtUnixNano: now)
                if !decoded.batch.isEmpty {
                    try await IngestError.storing("elasticsearch bulk", logger: context.logger) { try await context.sink.accept(decoded.batch) }
                }
                return decoded
            }
            metrics.record(accepted: decoded.batch.itemCount)
            metrics.record(rejected: decoded.failedCount)
            let took = started.duration(to: .now).components
            let tookMillis = Int(took.seconds) * 1000 + Int(took.attoseconds / 1_000_000_000_000_000)
            let firstSeqNo = sequenceNumbers.reserve(decoded.createdCount)
            return Self.response(ElasticsearchResponses.bulk(decoded, tookMillis: tookMillis, firstSeqNo: firstSeqNo))
        } catch {
            metrics.record(error)
            return Self.response(ElasticsearchResponses.error(for: error))
        }
    }

    private static func response(_ es: ElasticsearchHTTPResponse, includeBody: Bool = true) -> Response {
        var headers = HTTPFields()
        for header in es.headers {
            if let name = HTTPField.Name(header.name) { headers[name] = header.value }
        }
        return Response(status: HTTPResponse.Status(code: es.status), headers: headers,
                         body: includeBody ? ResponseBody(byteBuffer: ByteBuffer(bytes: es.body)) : ResponseBody())
    }
}

/// `_seq_no` values handed out in bulk answers: increasing across requests, as clients expect of one shard.
private final class SequenceNumbers: Sendable {
    private let next = Atomic<Int>(0)

    /// Reserves `count` numbers and returns the first.
    func reserve(_ count: Int) -> Int {
        next.add(count, ordering: .relaxed).oldValue
    }
}
