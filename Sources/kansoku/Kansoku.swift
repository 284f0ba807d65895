import ArgumentParser
import Foundation
import KansokuServer
import Logging
import Metrics
import Prometheus

@main
struct Kansoku: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kansoku",
        abstract: "Metrics, logs and traces in one self-hosted server.",
        version: KansokuVersion.current,
        subcommands: [Server.self])
}

extension Kansoku {
    struct Server: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the server on the embedded storage engine.",
            discussion: "Settings come from flags, then KANSOKU_* environment variables, then the YAML file given with --config, then defaults.")

        @Option(help: "YAML configuration file (env KANSOKU_CONFIG).")
        var config: String?
        @Option(help: "Data directory (env KANSOKU_DATA_DIR; default ./data).")
        var dataDir: String?
        @Option(help: "HTTP API, UI and operations address (env KANSOKU_HTTP_ADDRESS; default 0.0.0.0:9494).")
        var httpAddress: String?
        @Option(help: "OTLP/gRPC address (env KANSOKU_OTLP_GRPC_ADDRESS; default 0.0.0.0:4317).")
        var otlpGrpcAddress: String?
        @Option(help: "OTLP/HTTP address (env KANSOKU_OTLP_HTTP_ADDRESS; default 0.0.0.0:4318).")
        var otlpHttpAddress: String?
        @Option(help: "Largest OTLP request body in bytes, after decompression (env KANSOKU_MAX_REQUEST_BYTES; default 16777216).")
        var maxRequestBytes: String?
        @Option(help: "Request bytes in flight before clients are told to retry (env KANSOKU_MAX_INFLIGHT_BYTES; default 268435456).")
        var maxInflightBytes: String?
        @Option(help: "Write-ahead log segment size in bytes (env KANSOKU_WAL_SEGMENT_BYTES; default 16777216).")
        var walSegmentBytes: String?
        @Option(help: "Seconds between compactions of closed WAL segments into blocks (env KANSOKU_COMPACTION_INTERVAL_SECONDS; default 10).")
        var compactionIntervalSeconds: String?
        @Option(help: "Delete trace blocks whose spans ended more than this many hours ago; 0 keeps them (env KANSOKU_TRACES_RETENTION_HOURS; default 336).")
        var tracesRetentionHours: String?
        @Option(help: "Keep at most this many bytes of trace blocks, oldest deleted first; 0 = no limit (env KANSOKU_TRACES_RETENTION_BYTES; default 0).")
        var tracesRetentionBytes: String?
        @Option(help: "Delete log blocks whose entries are all older than this many hours; 0 keeps them (env KANSOKU_LOGS_RETENTION_HOURS; default 336).")
        var logsRetentionHours: String?
        @Option(help: "Keep at most this many bytes of log blocks, oldest deleted first; 0 = no limit (env KANSOKU_LOGS_RETENTION_BYTES; default 0).")
        var logsRetentionBytes: String?
        @Option(help: "OTLP/Elasticsearch resource attributes that become log stream labels, comma-separated (env KANSOKU_LOGS_STREAM_LABEL_ATTRIBUTES; default service.name, service.namespace, deployment.environment(.name), k8s.namespace.name, k8s.pod.name, k8s.container.name, k8s.deployment.name, host.name).")
        var logsStreamLabelAttributes: String?
        @Option(help: "service_name label of log records with none of those attributes; empty for none (env KANSOKU_LOGS_DEFAULT_SERVICE_NAME; default unknown_service).")
        var logsDefaultServiceName: String?
        @Option(help: "Accept metric samples up to this many seconds older than a series' newest (env KANSOKU_METRICS_OUT_OF_ORDER_WINDOW_SECONDS; default 0).")
        var metricsOutOfOrderWindowSeconds: String?
        @Option(help: "Most metric series held; 0 = no limit (env KANSOKU_METRICS_MAX_SERIES; default 0).")
        var metricsMaxSeries: String?
        @Option(help: "Most labels per metric series; 0 = no limit (env KANSOKU_METRICS_MAX_LABELS_PER_SERIES; default 0).")
        var metricsMaxLabelsPerSeries: String?
        @Option(help: "Most series per metric write request; 0 = no limit (env KANSOKU_METRICS_MAX_SERIES_PER_REQUEST; default 0).")
        var metricsMaxSeriesPerRequest: String?
        @Option(help: "Minutes of data per metric block cut from memory (env KANSOKU_METRICS_BLOCK_DURATION_MINUTES; default 120).")
        var metricsBlockDurationMinutes: String?
        @Option(help: "Delete metric blocks older than this many hours; 0 keeps them (env KANSOKU_METRICS_RETENTION_HOURS; default 360).")
        var metricsRetentionHours: String?
        @Option(help: "Keep at most this many bytes of metric blocks, oldest deleted first; 0 = no limit (env KANSOKU_METRICS_RETENTION_BYTES; default 0).")
        var metricsRetentionBytes: String?
        @Option(help: "Prometheus-format file with scrape_configs, e.g. a prometheus.yml (env KANSOKU_SCRAPE_CONFIG_FILE; default: no scraping).")
        var scrapeConfigFile: String?
        @Option(help: "For UI development: serve the web UI from this folder (e.g. Sources/KansokuUI/Assets) instead of the built-in copy (env KANSOKU_UI_ASSETS_DIR).")
        var uiAssetsDir: String?
        @Option(help: "Seconds a PromQL query may run (env KANSOKU_QUERY_TIMEOUT_SECONDS; default 120).")
        var queryTimeoutSeconds: String?
        @Option(help: "Samples one PromQL query may load; 0 = no limit (env KANSOKU_QUERY_MAX_SAMPLES; default 50000000).")
        var queryMaxSamples: String?
        @Option(help: "trace, debug, info, notice, warning, error or critical (env KANSOKU_LOG_LEVEL; default info).")
        var logLevel: String?

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let flags: [String: String?] = [
                "--data-dir": dataDir, "--http-address": httpAddress,
                "--otlp-grpc-address": otlpGrpcAddress, "--otlp-http-address": otlpHttpAddress,
                "--max-request-bytes": maxRequestBytes, "--max-inflight-bytes": maxInflightBytes,
                "--wal-segment-bytes": walSegmentBytes, "--compaction-interval-seconds": compactionIntervalSeconds,
                "--traces-retention-hours": tracesRetentionHours, "--traces-retention-bytes": tracesRetentionBytes,
                "--logs-retention-hours": logsRetentionHours, "--logs-retention-bytes": logsRetentionBytes,
                "--logs-stream-label-attributes": logsStreamLabelAttributes, "--logs-default-service-name": logsDefaultServiceName,
                "--metrics-out-of-order-window-seconds": metricsOutOfOrderWindowSeconds,
                "--metrics-max-series": metricsMaxSeries, "--metrics-max-labels-per-series": metricsMaxLabelsPerSeries,
                "--metrics-max-series-per-request": metricsMaxSeriesPerRequest,
                "--metrics-block-duration-minutes": metricsBlockDurationMinutes,
                "--metrics-retention-hours": metricsRetentionHours, "--metrics-retention-bytes": metricsRetentionBytes,
                "--scrape-config-file": scrapeConfigFile, "--ui-assets-dir": uiAssetsDir,
                "--query-timeout-seconds": queryTimeoutSeconds, "--query-max-samples": queryMaxSamples,
                "--log-level": logLevel,
            ]
            // Every configuration key must have its flag here; debug builds (the ones the tests run) stop on a gap.
            assert(Set(flags.keys) == Set(ConfigurationLoader.flagNames),
                   "flags and configuration keys differ: \(Set(flags.keys).symmetricDifference(ConfigurationLoader.flagNames))")
            let resolved: ServerConfiguration
            do {
                resolved = try ConfigurationLoader.load(
                    file: config ?? environment["KANSOKU_CONFIG"], environment: environment,
                    flags: flags.compactMapValues { $0 })
            } catch {
                throw ValidationError(error.description)
            }

            let level = resolved.logLevel
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let registry = PrometheusCollectorRegistry()
            var factory = PrometheusMetricsFactory(registry: registry)
            // fsync latency lives between tens of microseconds and a few milliseconds; the default buckets start at 5 ms.
            factory.durationHistogramBuckets["kansoku_wal_fsync_duration_seconds"] = [
                .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
                .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .seconds(1),
            ]
            MetricsSystem.bootstrap(factory)

            let server = ServerApplication(configuration: resolved, registry: registry, logger: Logger(label: "kansoku"))
            try await server.run()
        }
    }
}
