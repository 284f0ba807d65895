import Hummingbird
import KansokuModel
import KansokuStorage
import NIOCore
import NIOPosix

/// Kansoku's own trace API. `GET /api/kansoku/v1/traces/{traceId}`: every
/// span of one trace, from blocks and the write-ahead log, without a scan.
/// Items have the shape of the debug endpoint (docs/CONTRACTS.md).
public struct TraceRoutes: Sendable {
    public let traces: any TraceSignalStore

    public init(traces: any TraceSignalStore) {
        self.traces = traces
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/api/kansoku/v1/traces/:traceId") { _, context -> Response in
            let text = context.parameters.get("traceId") ?? ""
            guard let traceID = TraceID(hex: text) else {
                return RouteSupport.badRequest("invalid trace id \"\(text)\": want 32 hex digits")
            }
            let traces = self.traces
            // Block and WAL reads are blocking file I/O: keep them off the event loops.
            let body = try await NIOThreadPool.singleton.runIfActive {
                var response = DebugResponse<Span>(filter: DebugFilter(traceID: traceID))
                response.append(try traces.spans(ofTrace: traceID))
                return response.finish()
            }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
