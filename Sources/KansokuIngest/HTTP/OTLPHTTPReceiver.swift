import Hummingbird
import KansokuModel
import KansokuWire
import Logging
import NIOCore
import SwiftProtobuf

/// OTLP/HTTP: `POST /v1/traces`, `/v1/metrics` and `/v1/logs`, protobuf or
/// JSON, optionally gzip-compressed, answered as the OTLP specification says.
public struct OTLPHTTPReceiver: Sendable {
    public let context: IngestContext

    public init(context: IngestContext) {
        self.context = context
    }

    /// Adds the three export routes to `router`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        add(OTLPTraces.self, path: "/v1/traces", to: router)
        add(OTLPMetrics.self, path: "/v1/metrics", to: router)
        add(OTLPLogs.self, path: "/v1/logs", to: router)
    }

    private func add<S: OTLPExportSignal, Context: RequestContext>(_: S.Type, path: RouterPath, to router: Router<Context>) {
        let handler = OTLPExportHandler<S>(context: context, protocol: .otlpHTTP)
        router.post(path) { request, _ -> Response in
            await self.handle(request, with: handler)
        }
    }

    private func handle<S: OTLPExportSignal>(_ request: Request, with handler: OTLPExportHandler<S>) async -> Response {
        // Until the Content-Type is known, errors are answered in protobuf, OTLP's default.
        var encoding = OTLPPayloadEncoding.protobuf
        do throws(IngestError) {
            encoding = try OTLPPayloadEncoding(contentType: request.headers[.contentType] ?? "")
            let body = try await HTTPBodyReader(maxBytes: context.maxRequestBytes).read(request)
            let response = try await context.budget.withReservation(of: body.count) { () throws(IngestError) in
                try await handler.export(body, encoding: encoding)
            }
            return Self.message(response, status: .ok, encoding: encoding)
        } catch {
            handler.record(error)
            return errorResponse(error, encoding: encoding)
        }
    }

    private func errorResponse(_ error: IngestError, encoding: OTLPPayloadEncoding) -> Response {
        let (status, grpcCode): (HTTPResponse.Status, Int32) = switch error {
        case .malformed: (.badRequest, 3)
        case .tooLarge: (.contentTooLarge, 8)
        case .unsupportedContentType, .unsupportedMediaType: (.unsupportedMediaType, 3)
        case .overloaded: (.tooManyRequests, 14)
        case .storageUnavailable: (.serviceUnavailable, 14)
        }
        var rpcStatus = Google_Rpc_Status()
        rpcStatus.code = grpcCode
        rpcStatus.message = error.description
        var response = Self.message(rpcStatus, status: status, encoding: encoding)
        if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
        return response
    }

    private static func message(_ message: some SwiftProtobuf.Message, status: HTTPResponse.Status, encoding: OTLPPayloadEncoding) -> Response {
        let body: [UInt8]
        do {
            body = try encoding.encode(message)
        } catch {
            // Only reachable through a bug in the generated code: say so rather than send an empty 200.
            return Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "could not encode the response: \(error)")))
        }
        return Response(status: status, headers: [.contentType: encoding.contentType],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
