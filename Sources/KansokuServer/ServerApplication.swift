import GRPCNIOTransportHTTP2
import Hummingbird
import HummingbirdWebSocket
import KansokuAPI
import KansokuIngest
import KansokuModel
import KansokuStorage
import KansokuUI
import Logging
import Prometheus
import ServiceLifecycle

/// Assembles the whole server on the embedded engine: storage, the OTLP
/// receivers on their ports, and the HTTP API port, run as one service group
/// that drains requests and flushes storage on SIGTERM or SIGINT.
public struct ServerApplication: Sendable {
    public let configuration: ServerConfiguration
    public let registry: PrometheusCollectorRegistry
    public let logger: Logger

    /// `registry` must be the one swift-metrics was bootstrapped with, so `/metrics` shows Kansoku's own metrics.
    public init(configuration: ServerConfiguration, registry: PrometheusCollectorRegistry, logger: Logger) {
        self.configuration = configuration
        self.registry = registry
        self.logger = logger
    }

    public func run() async throws {
        AllocatorTuning.apply(logger: logger)
        let config = configuration
        logger.info("opening storage", metadata: ["data_dir": "\(config.dataDirectory)"])
        let opened = try EmbeddedStorage.open(
            dataDirectory: config.dataDirectory,
            walOptions: WALOptions(segmentSizeBytes: config.walSegmentBytes),
            traceRetention: config.traceRetention,
            logRetention: config.logRetention,
            logLabelMapping: config.logLabelMapping,
            metricLimits: config.metricLimits,
            metricOptions: config.metricStoreOptions,
            logger: logger)
        for (signal, report) in opened.repairs where !report.isClean {
            logger.warning("write-ahead log repaired on open", metadata: ["signal": "\(signal.rawValue)", "report": "\(report)"])
        }
        let storage = opened.storage
        let logTail = LogTailHub(mapping: config.logLabelMapping)
        let sink = StorageSink(storage: storage, logTail: logTail)
        let budget = InflightBudget(limitBytes: config.maxInflightBytes)
        let ingest = IngestContext(sink: sink, budget: budget, maxRequestBytes: config.maxRequestBytes, logger: logger)
        let readiness = Readiness(components: ["otlp-grpc", "otlp-http", "http"])
        var scraping: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let path = config.scrapeConfigFile {
            let scrapeConfiguration = try ScrapeConfigurationFile.load(path)
            logger.info("scraping", metadata: ["config": "\(path)", "jobs": "\(scrapeConfiguration.scrapeConfigs.map(\.jobName))"])
            scraping.append(.init(service: ScrapeService(manager: ScrapeManager(
                configuration: scrapeConfiguration, sink: sink, fileDecoder: ScrapeConfigurationFile.fileDecoder, logger: logger))))
        }

        let grpc = GRPCServerService(
            transport: HTTP2ServerTransport.Posix(
                address: config.otlpGRPCAddress.isIPv6
                    ? .ipv6(host: config.otlpGRPCAddress.host, port: config.otlpGRPCAddress.port)
                    : .ipv4(host: config.otlpGRPCAddress.host, port: config.otlpGRPCAddress.port),
                transportSecurity: .plaintext,
                config: .defaults {
                    $0.rpc.maxRequestPayloadSize = OTLPGRPCService.transportPayloadLimit(forMaxRequestBytes: config.maxRequestBytes)
                    $0.compression.enabledAlgorithms = .all
                }),
            services: [OTLPGRPCService(context: ingest)],
            readiness: readiness, component: "otlp-grpc")

        let otlpRouter = Router()
        OTLPHTTPReceiver(context: ingest).addRoutes(to: otlpRouter)
        let otlpHTTP = Application(
            router: otlpRouter,
            configuration: .init(address: .hostname(config.otlpHTTPAddress.host, port: config.otlpHTTPAddress.port),
                                 serverName: "kansoku"),
            onServerRunning: { _ in readiness.markReady("otlp-http") },
            logger: logger)

        let apiRouter = Router()
        OperationsRoutes(readiness: readiness, registry: registry).addRoutes(to: apiRouter)
        DebugRoutes(storage: storage).addRoutes(to: apiRouter)
        TraceRoutes(traces: storage.traces).addRoutes(to: apiRouter)
        TraceLogsRoutes(logs: storage.logs).addRoutes(to: apiRouter)
        JaegerRoutes(traces: storage.traces).addRoutes(to: apiRouter)
        ServiceMapRoutes(traces: storage.traces).addRoutes(to: apiRouter)
        TempoRoutes(traces: storage.traces, version: KansokuVersion.current).addRoutes(to: apiRouter)
        PrometheusRoutes(metrics: storage.metrics,
                         limits: QueryLimits(timeout: .seconds(config.queryTimeoutSeconds), maxSamples: config.queryMaxSamples),
                         version: KansokuVersion.current).addRoutes(to: apiRouter)
        // Zipkin serves ingest and queries on one port; so does Kansoku's API port.
        ZipkinHTTPReceiver(context: ingest).addRoutes(to: apiRouter)
        LokiPushReceiver(context: ingest).addRoutes(to: apiRouter)
        LokiQueryRoutes(logs: storage.logs).addRoutes(to: apiRouter)
        let lokiTail = LokiTailRoutes(logs: storage.logs, hub: logTail)
        lokiTail.addRoutes(to: apiRouter)
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        lokiTail.addWebSocketRoutes(to: webSocketRouter)
        RemoteWriteReceiver(context: ingest).addRoutes(to: apiRouter)
        ElasticsearchHTTPReceiver(context: ingest).addRoutes(to: apiRouter)
        DashboardRoutes(store: DashboardStore(dataDirectory: config.dataDirectory, logger: logger)).addRoutes(to: apiRouter)
        UIRoutes(source: config.uiAssetsDirectory.map { .directory($0) } ?? .embedded(.embedded)).addRoutes(to: apiRouter)
        let api = Application(
            router: apiRouter,
            server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter),
            configuration: .init(address: .hostname(config.httpAddress.host, port: config.httpAddress.port),
                                 serverName: "kansoku"),
            onServerRunning: { _ in readiness.markReady("http") },
            logger: logger)

        logger.info("starting", metadata: [
            "http": "\(config.httpAddress)", "otlp_grpc": "\(config.otlpGRPCAddress)", "otlp_http": "\(config.otlpHTTPAddress)",
        ])
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: CompactionService(compactors: opened.compactors, interval: config.compactionInterval, logger: logger)),
                    .init(service: grpc), .init(service: otlpHTTP), .init(service: api),
                ] + scraping,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        do {
            try await group.run()
        } catch {
            // Whatever stopped the group, what was acknowledged is already durable; close the logs cleanly anyway.
            await storage.close()
            throw error
        }
        await storage.close()
        logger.info("stopped; storage flushed")
    }
}
