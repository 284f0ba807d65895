import Hummingbird
import KansokuModel
import Logging
import NIOCore
import Synchronization
@testable import KansokuIngest

/// A local HTTP server serving a configurable exposition, for scrape tests.
final class ScrapeTestServer: Sendable {
    struct Behaviour: Sendable {
        var body = "up_metric 1\n"
        var contentType = "text/plain; version=0.0.4"
        var status = 200
        /// When set, requests without exactly this Authorization header get 401.
        var requiredAuthorization: String?
        var delay: Duration?
    }

    let behaviour = Mutex(Behaviour())
    let seenHeaders = Mutex<[String: String]>([:])

    func update(_ change: (inout Behaviour) -> Void) { behaviour.withLock { change(&$0) } }

    /// Runs `body` with the server listening on a free port on 127.0.0.1.
    func run<T: Sendable>(_ body: @Sendable (_ port: Int) async throws -> T) async throws -> T {
        let router = Router()
        router.get("/metrics") { request, _ -> Response in
            let current = self.behaviour.withLock { $0 }
            self.seenHeaders.withLock {
                $0["accept"] = request.headers[.accept]
                $0["authorization"] = request.headers[.authorization]
            }
            if let delay = current.delay { try await Task.sleep(for: delay) }
            if let required = current.requiredAuthorization, request.headers[.authorization] != required {
                return Response(status: .unauthorized)
            }
            return Response(
                status: .init(code: current.status),
                headers: [.contentType: current.contentType],
                body: .init(byteBuffer: ByteBuffer(string: current.body)))
        }
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "scrape-test-server"))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await app.run(); return nil }
            var ports = portStream.makeAsyncIterator()
            guard let port = await ports.next() else { throw CancellationError() }
            let result = try await body(port)
            group.cancelAll()
            return result
        }
    }
}

/// A sink that records the sample batches it is given.
final class RecordingSink: TelemetrySink {
    let batches = Mutex<[SampleBatch]>([])

    func accept(_ batch: SpanBatch) async throws {}
    func accept(_ batch: LogBatch) async throws {}
    func accept(_ batch: SampleBatch) async throws -> SampleWriteResult {
        batches.withLock { $0.append(batch) }
        return SampleWriteResult(acceptedSamples: batch.sampleCount)
    }

    var all: [SampleBatch] { batches.withLock { $0 } }

    /// The single value of the series named `name` in `batch`.
    static func value(_ batch: SampleBatch, _ name: String) -> Double? {
        batch.series.first { $0.labels.name == name }?.samples.first?.value
    }
}
