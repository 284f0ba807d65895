import Hummingbird
import NIOCore
import Prometheus

/// `/-/healthy`, `/-/ready` and `/metrics`, named as Prometheus and Loki name them.
public struct OperationsRoutes: Sendable {
    public let readiness: Readiness
    public let registry: PrometheusCollectorRegistry

    public init(readiness: Readiness, registry: PrometheusCollectorRegistry) {
        self.readiness = readiness
        self.registry = registry
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/-/healthy") { _, _ in
            Self.text("Kansoku is Healthy.\n")
        }
        router.get("/-/ready") { _, _ -> Response in
            if readiness.isReady { return Self.text("Kansoku is Ready.\n") }
            return Self.text("Kansoku is not ready; waiting for: \(readiness.waitingFor.joined(separator: ", "))\n",
                             status: .serviceUnavailable)
        }
        router.get("/metrics") { _, _ -> Response in
            var output = [UInt8]()
            output.reserveCapacity(16 * 1024)
            registry.emit(into: &output)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: output)))
        }
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
