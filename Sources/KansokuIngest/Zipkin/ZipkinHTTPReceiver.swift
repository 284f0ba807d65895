import Foundation
import Hummingbird
import KansokuModel
import Logging
import NIOCore

/// Zipkin v2: `POST /api/v2/spans` with a span list, as Zipkin reporters
/// (Brave, zipkin-js, the Collector's zipkin exporter) send it: JSON, or
/// `zipkin.proto3.ListOfSpans` protobuf, either optionally gzip-compressed.
/// Spans are mapped onto the same model as OTLP spans and stored the same way.
public struct ZipkinHTTPReceiver: Sendable {
    public let context: IngestContext
    private let metrics = IngestMetrics(signal: .traces, protocol: .zipkinHTTP)

    public init(context: IngestContext) {
        self.context = context
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.post("/api/v2/spans") { request, _ -> Response in
            await self.handle(request)
        }
    }

    private func handle(_ request: Request) async -> Response {
        do throws(IngestError) {
            let format = try Self.format(request.headers[.contentType])
            let body = try await HTTPBodyReader(maxBytes: context.maxRequestBytes).read(request)
            let outcome = try await context.budget.withReservation(of: body.count) { () throws(IngestError) in
                let outcome = switch format {
                case .json: try ZipkinV2JSONDecoder.decode(body)
                case .protobuf: try ZipkinV2ProtoDecoder.decode(body)
                }
                if !outcome.batch.isEmpty {
                    try await IngestError.storing("zipkin spans", logger: context.logger) { try await context.sink.accept(outcome.batch) }
                }
                return outcome
            }
            metrics.record(accepted: outcome.batch.itemCount)
            metrics.record(rejected: outcome.rejected)
            guard outcome.rejected == 0 else {
                // Zipkin has no partial success: say plainly what was kept and what was not.
                return IngestHTTPResponses.text(
                    "stored \(outcome.batch.itemCount) spans, rejected \(outcome.rejected): \(outcome.errorMessage)\n",
                    status: .badRequest)
            }
            return Response(status: .accepted)
        } catch {
            metrics.record(error)
            return IngestHTTPResponses.text(for: error)
        }
    }

    private enum Format {
        case json
        case protobuf
    }

    /// JSON is what Zipkin reporters send by default; a missing Content-Type is
    /// taken as JSON like Zipkin does. Protobuf comes as `application/x-protobuf`
    /// (Zipkin's name) or `application/protobuf`.
    private static func format(_ contentType: String?) throws(IngestError) -> Format {
        switch MediaType.of(contentType) {
        case "", "application/json": .json
        case "application/x-protobuf", "application/protobuf": .protobuf
        default: throw .unsupportedContentType(contentType ?? "")
        }
    }
}
