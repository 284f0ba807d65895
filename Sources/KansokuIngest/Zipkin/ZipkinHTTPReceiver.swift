import Foundation
import Hummingbird
import KansokuModel
import Logging
import NIOCore

/// Zipkin v2: `POST /api/v2/spans` with a JSON span list, as Zipkin reporters
/// (Brave, zipkin-js, the Collector's zipkin exporter) send it. Spans are
/// mapped onto the same model as OTLP spans and stored the same way.
public struct ZipkinHTTPReceiver: Sendable {
    public let sink: any TelemetrySink
    public let budget: InflightBudget
    /// Largest body accepted, measured after decompression.
    public let maxRequestBytes: Int
    public let logger: Logger
    private let metrics = IngestMetrics(signal: .traces, protocol: .zipkinHTTP)

    public init(sink: any TelemetrySink, budget: InflightBudget, maxRequestBytes: Int, logger: Logger) {
        self.sink = sink
        self.budget = budget
        self.maxRequestBytes = maxRequestBytes
        self.logger = logger
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.post("/api/v2/spans") { request, _ -> Response in
            await self.handle(request)
        }
    }

    private func handle(_ request: Request) async -> Response {
        do throws(IngestError) {
            try Self.checkContentType(request.headers[.contentType])
            let body = try await HTTPBodyReader(maxBytes: maxRequestBytes).read(request)
            let outcome = try await budget.withReservation(of: body.count) { () throws(IngestError) in
                let outcome = try ZipkinV2JSONDecoder.decode(body)
                if !outcome.batch.isEmpty { try await store(outcome.batch) }
                return outcome
            }
            metrics.record(accepted: outcome.batch.itemCount)
            metrics.record(rejected: outcome.rejected)
            guard outcome.rejected == 0 else {
                // Zipkin has no partial success: say plainly what was kept and what was not.
                return Self.text("stored \(outcome.batch.itemCount) spans, rejected \(outcome.rejected): \(outcome.errorMessage)\n",
                                 status: .badRequest)
            }
            return Response(status: .accepted)
        } catch {
            metrics.record(error)
            return Self.text(error.description + "\n", status: Self.status(for: error), retryAfter: error.retryAfterSeconds)
        }
    }

    private func store(_ batch: SpanBatch) async throws(IngestError) {
        do {
            try await sink.accept(batch)
        } catch let error as IngestError {
            throw error
        } catch {
            logger.error("storage failed to persist a Zipkin batch", metadata: ["error": "\(error)"])
            throw .storageUnavailable("\(error)")
        }
    }

    /// JSON is what Zipkin reporters send by default; a missing Content-Type is taken as JSON like Zipkin does.
    private static func checkContentType(_ contentType: String?) throws(IngestError) {
        guard let contentType, !contentType.isEmpty else { return }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        switch mediaType {
        case "application/json": return
        case "application/x-protobuf":
            throw .unsupportedContentType("\(contentType) (Zipkin protobuf is not supported yet; send JSON v2)")
        default: throw .unsupportedContentType(contentType)
        }
    }

    private static func status(for error: IngestError) -> HTTPResponse.Status {
        switch error {
        case .malformed: .badRequest
        case .tooLarge: .contentTooLarge
        case .unsupportedContentType: .unsupportedMediaType
        case .overloaded: .tooManyRequests
        case .storageUnavailable: .serviceUnavailable
        }
    }

    private static func text(_ text: String, status: HTTPResponse.Status, retryAfter: Int? = nil) -> Response {
        var response = Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}
