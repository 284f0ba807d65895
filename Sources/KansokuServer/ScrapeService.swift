import KansokuIngest
import ServiceLifecycle

/// Runs the scrape manager until the server shuts down.
struct ScrapeService: Service {
    let manager: ScrapeManager

    func run() async throws {
        // Graceful shutdown cancels the scrape loops; as in Prometheus, no staleness markers are written then.
        await cancelWhenGracefulShutdown { await manager.run() }
    }
}
