import KansokuStorage
import Logging
import NIOPosix
import ServiceLifecycle

/// Runs the stores' background compaction every `interval` until shutdown,
/// on the blocking-I/O thread pool. A failed pass is logged and retried on
/// the next tick; nothing is deleted before it has been persisted.
struct CompactionService: Service {
    let compactors: [any Compacting]
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for compactor in compactors {
                do {
                    let written = try await NIOThreadPool.singleton.runIfActive { try compactor.compact() }
                    if written > 0 { logger.info("compacted write-ahead log segments into blocks", metadata: ["blocks": "\(written)"]) }
                } catch {
                    logger.error("compaction failed; will retry", metadata: ["error": "\(error)"])
                }
            }
            // Shutdown ends the wait early; the error it throws then is the signal to stop, not a failure.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
