import Hummingbird
import KansokuModel
import Logging

/// Loki's push API, `POST /loki/api/v1/push`: snappy-compressed protobuf (what
/// Promtail and Grafana Alloy send) or JSON. Answers as Loki does: 204 when
/// everything was stored; 400 naming what was rejected, after storing the rest.
public struct LokiPushReceiver: Sendable {
    public let context: IngestContext
    private let metrics = IngestMetrics(signal: .logs, protocol: .lokiPush)
    private let labelCache = LokiLabelCache()

    public init(context: IngestContext) {
        self.context = context
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.post("/loki/api/v1/push") { request, _ -> Response in
            await self.handle(request)
        }
    }

    /// What one push came to: entries stored, entries rejected and why.
    private struct Outcome {
        var stored: Int
        var rejected: Int
        var errorMessage: String
    }

    private func handle(_ request: Request) async -> Response {
        do throws(IngestError) {
            let contentType = request.headers[.contentType] ?? "application/x-protobuf"
            let body = try await HTTPBodyReader(maxBytes: context.maxRequestBytes).read(request)
            let outcome = try await context.budget.withReservation(of: body.count) { () throws(IngestError) in
                try await store(body, contentType: contentType)
            }
            metrics.record(accepted: outcome.stored)
            metrics.record(rejected: outcome.rejected)
            guard outcome.rejected == 0 else {
                return IngestHTTPResponses.text(
                    "stored \(outcome.stored) entries, rejected \(outcome.rejected): \(outcome.errorMessage)\n",
                    status: .badRequest)
            }
            return Response(status: .noContent)
        } catch {
            metrics.record(error)
            return IngestHTTPResponses.text(for: error)
        }
    }

    /// Decodes the body and hands what is valid to the sink; protobuf lines go
    /// as they lie in the request, without becoming log records first.
    private func store(_ body: [UInt8], contentType: String) async throws(IngestError) -> Outcome {
        switch try LokiPushDecoder.format(contentType: contentType) {
        case .protobuf:
            let decoded = try LokiPushDecoder.decodeProtobufLines(
                body, maxDecompressedBytes: context.maxRequestBytes, labelCache: labelCache)
            let stored = decoded.lines.itemCount
            if stored > 0 {
                try await IngestError.storing("loki push", logger: context.logger) { try await context.sink.accept(decoded.lines) }
            }
            return Outcome(stored: stored, rejected: decoded.rejections.rejected, errorMessage: decoded.rejections.errorMessage)
        case .json:
            let outcome = try LokiPushDecoder.decodeJSON(body)
            if !outcome.batch.isEmpty {
                try await IngestError.storing("loki push", logger: context.logger) { try await context.sink.accept(outcome.batch) }
            }
            return Outcome(stored: outcome.batch.itemCount, rejected: outcome.rejected, errorMessage: outcome.errorMessage)
        }
    }
}
