import Hummingbird
import KansokuModel
import Logging

/// Loki's push API, `POST /loki/api/v1/push`: snappy-compressed protobuf (what
/// Promtail and Grafana Alloy send) or JSON. Answers as Loki does: 204 when
/// everything was stored; 400 naming what was rejected, after storing the rest.
public struct LokiPushReceiver: Sendable {
    public let context: IngestContext
    private let metrics = IngestMetrics(signal: .logs, protocol: .lokiPush)

    public init(context: IngestContext) {
        self.context = context
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.post("/loki/api/v1/push") { request, _ -> Response in
            await self.handle(request)
        }
    }

    private func handle(_ request: Request) async -> Response {
        do throws(IngestError) {
            let contentType = request.headers[.contentType] ?? "application/x-protobuf"
            let body = try await HTTPBodyReader(maxBytes: context.maxRequestBytes).read(request)
            let outcome = try await context.budget.withReservation(of: body.count) { () throws(IngestError) in
                let outcome = try LokiPushDecoder.decode(body, contentType: contentType, maxDecompressedBytes: context.maxRequestBytes)
                if !outcome.batch.isEmpty {
                    try await IngestError.storing("loki push", logger: context.logger) { try await context.sink.accept(outcome.batch) }
                }
                return outcome
            }
            metrics.record(accepted: outcome.batch.itemCount)
            metrics.record(rejected: outcome.rejected)
            guard outcome.rejected == 0 else {
                return IngestHTTPResponses.text(
                    "stored \(outcome.batch.itemCount) entries, rejected \(outcome.rejected): \(outcome.errorMessage)\n",
                    status: .badRequest)
            }
            return Response(status: .noContent)
        } catch {
            metrics.record(error)
            return IngestHTTPResponses.text(for: error)
        }
    }
}
