import KansokuModel
import Logging
import Synchronization

/// Runs scraping for a whole `ScrapeConfiguration`: discovery per job,
/// one `ScrapeLoop` per distinct target, started and stopped as discovery
/// changes. Everything lives in one task group under `run()`, which returns
/// once its task is cancelled (all loops and discovery end with it).
public final class ScrapeManager: Sendable {
    public let configuration: ScrapeConfiguration
    private let sink: any TelemetrySink
    private let client: any ScrapeHTTPClient
    private let fileDecoder: ScrapeFileDecoder
    private let logger: Logger
    private let active = Mutex<[ScrapeTarget: ScrapeLoop]>([:])

    /// - Parameters:
    ///   - fileDecoder: reads file_sd files; the default reads JSON only.
    ///   - client: the HTTP transport (URLSession by default).
    public init(
        configuration: ScrapeConfiguration, sink: any TelemetrySink,
        client: any ScrapeHTTPClient = URLSessionScrapeClient(),
        fileDecoder: @escaping ScrapeFileDecoder = ScrapeTargetDiscovery.jsonFileDecoder,
        logger: Logger
    ) {
        self.configuration = configuration
        self.sink = sink
        self.client = client
        self.fileDecoder = fileDecoder
        self.logger = logger
    }

    /// The targets being scraped now, with their loops (for a `/targets` view).
    public var activeLoops: [ScrapeTarget: ScrapeLoop] { active.withLock { $0 } }

    private struct Update: Sendable {
        var job: String
        var targets: [ScrapeTarget]
    }

    /// Scrapes until the calling task is cancelled.
    public func run() async {
        let (updates, continuation) = AsyncStream.makeStream(of: Update.self)
        let configs = Dictionary(configuration.scrapeConfigs.map { ($0.jobName, $0) }) { first, _ in first }
        await withDiscardingTaskGroup { group in
            for config in configuration.scrapeConfigs {
                let discovery = ScrapeTargetDiscovery(config: config, fileDecoder: fileDecoder, logger: logger)
                group.addTask {
                    await discovery.run { targets in continuation.yield(Update(job: config.jobName, targets: targets)) }
                }
            }
            var stops: [ScrapeTarget: ScrapeStopSignal] = [:]
            for await update in updates {
                guard let config = configs[update.job] else { continue }
                let wanted = Set(update.targets)
                for (target, stop) in stops where target.job == update.job && !wanted.contains(target) {
                    logger.info("scrape target removed", metadata: ["job": "\(target.job)", "target": "\(target.url)"])
                    stop.stop()
                    stops[target] = nil
                    active.withLock { _ = $0.removeValue(forKey: target) }
                }
                for target in update.targets where stops[target] == nil {
                    let loop = ScrapeLoop(target: target, config: config, client: client, sink: sink, logger: logger)
                    let stop = ScrapeStopSignal()
                    stops[target] = stop
                    active.withLock { $0[target] = loop }
                    logger.info("scrape target added", metadata: ["job": "\(target.job)", "target": "\(target.url)"])
                    group.addTask { await loop.run(stop: stop) }
                }
            }
            continuation.finish()
            active.withLock { $0 = [:] }
            group.cancelAll()
        }
    }
}
