import Hummingbird
import HummingbirdWebSocket
import KansokuStorage
import Logging

/// Loki's live tail, `GET /loki/api/v1/tail`, as Grafana's Loki data source
/// and logcli open it: a WebSocket carrying JSON messages of new lines (see
/// ``LokiTailSession`` and ``LokiTailFrame``).
///
/// The upgrade is answered on a WebSocket router (the server's
/// `.http1WebSocketUpgrade(webSocketRouter:)`); a request that cannot be
/// upgraded — a bad query, or no WebSocket asked for — falls through to the
/// plain HTTP route, which answers 400 with the reason as text, as Loki does.
public struct LokiTailRoutes: Sendable {
    public static let path: RouterPath = "/loki/api/v1/tail"

    public let logs: any LogSignalStore
    public let hub: LogTailHub

    public init(logs: any LogSignalStore, hub: LogTailHub) {
        self.logs = logs
        self.hub = hub
    }

    /// The WebSocket upgrade and the tail it runs.
    public func addWebSocketRoutes<Context: WebSocketRequestContext & RequestContext>(to router: Router<Context>) {
        let logs = self.logs, hub = self.hub
        router.ws(Self.path, shouldUpgrade: { request, _ in
            // Throwing declines the upgrade; the HTTP route then reports why.
            _ = try await Self.tailRequest(of: request)
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, context in
            let session = LokiTailSession(request: try await Self.tailRequest(of: context.request), store: logs, hub: hub)
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // The client closing ends the inbound stream; that ends the tail.
                    group.addTask { for try await _ in inbound {} }
                    group.addTask { try await session.run { text in try await outbound.writeTextMessage(text) } }
                    try await group.next()
                    group.cancelAll()
                }
            } catch is CancellationError {
                return
            } catch {
                context.logger.warning("live tail ended with an error", metadata: ["error": "\(error)"])
                try? await outbound.close(.unexpectedServerError, reason: Self.closeReason(error))
            }
        })
    }

    /// The same path over plain HTTP: always a 400 naming the problem.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get(Self.path) { request, _ -> Response in
            do {
                _ = try await Self.tailRequest(of: request)
            } catch let error as LokiQueryError {
                return LokiQueryRoutes.text(error.message, status: .badRequest)
            }
            return LokiQueryRoutes.text(
                "websocket: the client is not using the websocket protocol: 'upgrade' token not found in 'Connection' header",
                status: .badRequest)
        }
    }

    static func tailRequest(of request: Request) async throws -> LokiTailRequest {
        try LokiTailRequest.of(try await LokiParameters.of(request), now: LokiTailRequest.nowNanos())
    }

    /// A WebSocket close reason must fit in 123 bytes.
    static func closeReason(_ error: any Error) -> String {
        var reason = String(describing: error)
        while reason.utf8.count > 123 { reason.removeLast() }
        return reason
    }
}
