import GRPCCore
import GRPCNIOTransportHTTP2
import KansokuAPI
import ServiceLifecycle

/// Runs the gRPC server as a lifecycle service: serves until graceful
/// shutdown, then lets in-flight calls finish.
struct GRPCServerService: Service {
    let transport: HTTP2ServerTransport.Posix
    let server: GRPCServer<HTTP2ServerTransport.Posix>
    let readiness: Readiness
    let component: String

    init(transport: HTTP2ServerTransport.Posix, services: [any RegistrableRPCService], readiness: Readiness, component: String) {
        self.transport = transport
        self.server = GRPCServer(transport: transport, services: services)
        self.readiness = readiness
        self.component = component
    }

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await server.serve() }
                group.addTask {
                    // Resolves once the socket is bound; throws if binding failed, which `serve` reports too.
                    _ = try await transport.listeningAddress
                    readiness.markReady(component)
                }
            }
        } onGracefulShutdown: {
            server.beginGracefulShutdown()
        }
    }
}
