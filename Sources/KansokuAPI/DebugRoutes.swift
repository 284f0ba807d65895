import Hummingbird
import KansokuModel
import KansokuStorage
import NIOCore
import NIOPosix

/// `GET /api/kansoku/v1/debug/{traces,logs}`: everything stored for a signal,
/// read back from the write-ahead log. It exists so tests and people can see
/// exactly what was accepted until the query APIs land. (Metrics are stored as
/// Prometheus samples and read through the Prometheus HTTP API instead.)
public struct DebugRoutes: Sendable {
    public let storage: TelemetryStorage

    public init(storage: TelemetryStorage) {
        self.storage = storage
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        add(storage.traces, path: "/api/kansoku/v1/debug/traces", to: router)
        add(storage.logs, path: "/api/kansoku/v1/debug/logs", to: router)
    }

    private func add<Store: SignalStore, Context: RequestContext>(
        _ store: Store, path: RouterPath, to router: Router<Context>
    ) where Store.Item: DebugRenderable {
        router.get(path) { request, _ -> Response in
            let filter: DebugFilter
            switch Self.filter(from: request.uri.queryParameters) {
            case .success(let parsed): filter = parsed
            case .failure(let error): return RouteSupport.badRequest(error.description)
            }
            // Reading the log is blocking file I/O: keep it off the event loops and the cooperative pool.
            let body = try await NIOThreadPool.singleton.runIfActive {
                var response = DebugResponse<Store.Item>(filter: filter)
                try store.forEachBatch { batch in
                    response.append(batch)
                    return !response.isFull
                }
                return response.finish()
            }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    static func filter(from parameters: Parameters) -> Result<DebugFilter, DebugQueryError> {
        var filter = DebugFilter()
        if let text = parameters["traceId"].map(String.init), !text.isEmpty {
            guard let id = TraceID(hex: text) else { return .failure(.invalid("traceId", text, "want 32 hex digits")) }
            filter.traceID = id
        }
        if let service = parameters["service"].map(String.init), !service.isEmpty {
            filter.serviceName = service
        }
        if let text = parameters["limit"].map(String.init) {
            guard let limit = Int(text), limit > 0 else { return .failure(.invalid("limit", text, "want a positive integer")) }
            filter.limit = limit
        }
        return .success(filter)
    }
}

/// A query parameter of the debug endpoint that cannot be used.
enum DebugQueryError: Error, CustomStringConvertible {
    case invalid(String, String, String)

    var description: String {
        switch self {
        case .invalid(let name, let value, let why): "invalid \(name) \"\(value)\": \(why)"
        }
    }
}
