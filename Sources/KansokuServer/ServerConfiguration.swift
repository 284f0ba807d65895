import KansokuStorage
import Logging

/// Everything `kansoku server` can be told. Values are resolved by
/// ``ConfigurationLoader`` with the precedence flag > environment > YAML file > default.
public struct ServerConfiguration: Sendable, Equatable {
    public var dataDirectory = "./data"
    public var httpAddress = ListenAddress(host: "0.0.0.0", port: 9494)
    public var otlpGRPCAddress = ListenAddress(host: "0.0.0.0", port: 4317)
    public var otlpHTTPAddress = ListenAddress(host: "0.0.0.0", port: 4318)
    /// Largest OTLP request body, after decompression.
    public var maxRequestBytes = 16 << 20
    /// Request bytes that may be in flight (decoding or waiting on the WAL) before clients are told to retry.
    public var maxInflightBytes = 256 << 20
    /// Size at which a write-ahead log segment is closed and the next begun.
    /// Traces compact one closed segment into one block in memory, so this
    /// also bounds compaction's memory (~5× the segment size).
    public var walSegmentBytes = 16 << 20
    /// Trace blocks whose spans all ended longer ago than this many hours are deleted; 0 keeps them forever.
    public var tracesRetentionHours = 336
    /// Bytes of trace blocks kept at most, oldest deleted first; 0 means no limit.
    public var tracesRetentionBytes: Int64 = 0
    /// How often closed write-ahead log segments are compacted into blocks.
    public var compactionInterval = Duration.seconds(10)
    /// Seconds behind a series' newest sample within which older samples are still accepted.
    public var metricsOutOfOrderWindowSeconds = 0
    /// Series held at most (the cardinality limit); 0 means no limit.
    public var metricsMaxSeries = 0
    /// Labels one series may have at most; 0 means no limit.
    public var metricsMaxLabelsPerSeries = 0
    /// Series one write request may carry at most; 0 means no limit.
    public var metricsMaxSeriesPerRequest = 0
    /// Log blocks whose newest entry is older than this many hours are deleted; 0 keeps them forever.
    public var logsRetentionHours = 336
    /// Bytes of log blocks kept at most, oldest deleted first; 0 means no limit.
    public var logsRetentionBytes: Int64 = 0
    /// Minutes of data per block cut from the metrics head.
    public var metricsBlockDurationMinutes = 120
    /// Metric blocks whose newest sample is older than this many hours are deleted; 0 keeps them forever.
    public var metricsRetentionHours = 360
    /// Bytes of metric blocks kept at most, oldest deleted first; 0 means no limit.
    public var metricsRetentionBytes: Int64 = 0
    /// Resource attributes of OTLP and Elasticsearch log records that become stream labels
    /// (dots and other characters turned into `_`); the rest is structured metadata.
    public var logStreamLabelAttributes = LogLabelMapping.defaultResourceAttributeLabels
    /// The `service_name` label of a log record whose resource has none of those attributes; nil adds none.
    public var logDefaultServiceName: String? = "unknown_service"
    /// A Prometheus-format file with `scrape_configs` (a `prometheus.yml` works); nil scrapes nothing.
    public var scrapeConfigFile: String?
    /// For UI development: serve the web UI from this folder instead of the copy built into the binary.
    public var uiAssetsDirectory: String?
    /// Seconds a PromQL query may run.
    public var queryTimeoutSeconds = 120
    /// Samples one PromQL query may load; 0 means no limit.
    public var queryMaxSamples = 50_000_000
    public var logLevel = Logger.Level.info

    public init() {}

    /// Metric limits as the store takes them.
    public var metricLimits: MetricLimits {
        MetricLimits(outOfOrderWindow: Int64(metricsOutOfOrderWindowSeconds) * 1000, maxLabelsPerSeries: metricsMaxLabelsPerSeries,
                     maxSeries: metricsMaxSeries, maxSeriesPerRequest: metricsMaxSeriesPerRequest)
    }

    /// Log retention as the store takes it (0 settings mean "no limit").
    public var logRetention: LogRetention {
        LogRetention(maxAge: logsRetentionHours > 0 ? .seconds(logsRetentionHours * 3600) : nil,
                     maxBytes: logsRetentionBytes > 0 ? logsRetentionBytes : nil)
    }

    /// How log records' resources become stream labels, as the log store takes it.
    public var logLabelMapping: LogLabelMapping {
        LogLabelMapping(resourceAttributeLabels: logStreamLabelAttributes, defaultServiceName: logDefaultServiceName)
    }

    /// Metric block layout and retention as the store takes them.
    public var metricStoreOptions: MetricStoreOptions {
        let block = Int64(metricsBlockDurationMinutes) * 60_000
        return MetricStoreOptions(blockDuration: block, maxBlockDuration: max(block, 24 * 3_600_000),
                                  retentionAge: metricsRetentionHours > 0 ? Int64(metricsRetentionHours) * 3_600_000 : nil,
                                  retentionBytes: metricsRetentionBytes > 0 ? metricsRetentionBytes : nil)
    }

    /// Trace retention as the store takes it (0 settings mean "no limit").
    public var traceRetention: TraceRetention {
        TraceRetention(maxAge: tracesRetentionHours > 0 ? .seconds(tracesRetentionHours * 3600) : nil,
                       maxBytes: tracesRetentionBytes > 0 ? tracesRetentionBytes : nil)
    }
}

/// One setting: its YAML path, environment variable and flag, and how to apply a textual value.
struct ConfigurationKey: Sendable {
    let yamlPath: String
    let environmentVariable: String
    let flag: String
    let apply: @Sendable (inout ServerConfiguration, String) throws(ConfigurationError) -> Void

    /// Every setting, in the order the README documents them.
    static let all: [ConfigurationKey] = [
        .init(yamlPath: "data_dir", environmentVariable: "KANSOKU_DATA_DIR", flag: "--data-dir") { c, v throws(ConfigurationError) in
            guard !v.isEmpty else { throw .invalidValue(key: "data_dir", value: v, reason: "must not be empty") }
            c.dataDirectory = v
        },
        .init(yamlPath: "http.address", environmentVariable: "KANSOKU_HTTP_ADDRESS", flag: "--http-address") { c, v throws(ConfigurationError) in
            c.httpAddress = try ListenAddress(parsing: v)
        },
        .init(yamlPath: "otlp.grpc_address", environmentVariable: "KANSOKU_OTLP_GRPC_ADDRESS", flag: "--otlp-grpc-address") { c, v throws(ConfigurationError) in
            c.otlpGRPCAddress = try ListenAddress(parsing: v)
        },
        .init(yamlPath: "otlp.http_address", environmentVariable: "KANSOKU_OTLP_HTTP_ADDRESS", flag: "--otlp-http-address") { c, v throws(ConfigurationError) in
            c.otlpHTTPAddress = try ListenAddress(parsing: v)
        },
        .init(yamlPath: "otlp.max_request_bytes", environmentVariable: "KANSOKU_MAX_REQUEST_BYTES", flag: "--max-request-bytes") { c, v throws(ConfigurationError) in
            c.maxRequestBytes = try positiveInt(v, key: "otlp.max_request_bytes")
        },
        .init(yamlPath: "otlp.max_inflight_bytes", environmentVariable: "KANSOKU_MAX_INFLIGHT_BYTES", flag: "--max-inflight-bytes") { c, v throws(ConfigurationError) in
            c.maxInflightBytes = try positiveInt(v, key: "otlp.max_inflight_bytes")
        },
        .init(yamlPath: "wal.segment_bytes", environmentVariable: "KANSOKU_WAL_SEGMENT_BYTES", flag: "--wal-segment-bytes") { c, v throws(ConfigurationError) in
            c.walSegmentBytes = try positiveInt(v, key: "wal.segment_bytes")
        },
        .init(yamlPath: "wal.compaction_interval_seconds", environmentVariable: "KANSOKU_COMPACTION_INTERVAL_SECONDS",
              flag: "--compaction-interval-seconds") { c, v throws(ConfigurationError) in
            c.compactionInterval = .seconds(try positiveInt(v, key: "wal.compaction_interval_seconds"))
        },
        .init(yamlPath: "retention.traces_max_age_hours", environmentVariable: "KANSOKU_TRACES_RETENTION_HOURS",
              flag: "--traces-retention-hours") { c, v throws(ConfigurationError) in
            c.tracesRetentionHours = try nonNegativeInt(v, key: "retention.traces_max_age_hours")
        },
        .init(yamlPath: "retention.traces_max_bytes", environmentVariable: "KANSOKU_TRACES_RETENTION_BYTES",
              flag: "--traces-retention-bytes") { c, v throws(ConfigurationError) in
            c.tracesRetentionBytes = Int64(try nonNegativeInt(v, key: "retention.traces_max_bytes"))
        },
        .init(yamlPath: "retention.logs_max_age_hours", environmentVariable: "KANSOKU_LOGS_RETENTION_HOURS",
              flag: "--logs-retention-hours") { c, v throws(ConfigurationError) in
            c.logsRetentionHours = try nonNegativeInt(v, key: "retention.logs_max_age_hours")
        },
        .init(yamlPath: "retention.logs_max_bytes", environmentVariable: "KANSOKU_LOGS_RETENTION_BYTES",
              flag: "--logs-retention-bytes") { c, v throws(ConfigurationError) in
            c.logsRetentionBytes = Int64(try nonNegativeInt(v, key: "retention.logs_max_bytes"))
        },
        .init(yamlPath: "logs.stream_label_attributes", environmentVariable: "KANSOKU_LOGS_STREAM_LABEL_ATTRIBUTES",
              flag: "--logs-stream-label-attributes") { c, v throws(ConfigurationError) in
            let names = v.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if let empty = names.firstIndex(where: \.isEmpty), !v.trimmingCharacters(in: .whitespaces).isEmpty {
                throw .invalidValue(key: "logs.stream_label_attributes", value: v,
                                    reason: "attribute name \(empty + 1) is empty; give names separated by commas")
            }
            c.logStreamLabelAttributes = v.trimmingCharacters(in: .whitespaces).isEmpty ? [] : names
        },
        .init(yamlPath: "logs.default_service_name", environmentVariable: "KANSOKU_LOGS_DEFAULT_SERVICE_NAME",
              flag: "--logs-default-service-name") { c, v throws(ConfigurationError) in
            c.logDefaultServiceName = v.isEmpty ? nil : v
        },
        .init(yamlPath: "metrics.out_of_order_window_seconds", environmentVariable: "KANSOKU_METRICS_OUT_OF_ORDER_WINDOW_SECONDS",
              flag: "--metrics-out-of-order-window-seconds") { c, v throws(ConfigurationError) in
            c.metricsOutOfOrderWindowSeconds = try nonNegativeInt(v, key: "metrics.out_of_order_window_seconds")
        },
        .init(yamlPath: "metrics.max_series", environmentVariable: "KANSOKU_METRICS_MAX_SERIES",
              flag: "--metrics-max-series") { c, v throws(ConfigurationError) in
            c.metricsMaxSeries = try nonNegativeInt(v, key: "metrics.max_series")
        },
        .init(yamlPath: "metrics.max_labels_per_series", environmentVariable: "KANSOKU_METRICS_MAX_LABELS_PER_SERIES",
              flag: "--metrics-max-labels-per-series") { c, v throws(ConfigurationError) in
            c.metricsMaxLabelsPerSeries = try nonNegativeInt(v, key: "metrics.max_labels_per_series")
        },
        .init(yamlPath: "metrics.max_series_per_request", environmentVariable: "KANSOKU_METRICS_MAX_SERIES_PER_REQUEST",
              flag: "--metrics-max-series-per-request") { c, v throws(ConfigurationError) in
            c.metricsMaxSeriesPerRequest = try nonNegativeInt(v, key: "metrics.max_series_per_request")
        },
        .init(yamlPath: "metrics.block_duration_minutes", environmentVariable: "KANSOKU_METRICS_BLOCK_DURATION_MINUTES",
              flag: "--metrics-block-duration-minutes") { c, v throws(ConfigurationError) in
            c.metricsBlockDurationMinutes = try positiveInt(v, key: "metrics.block_duration_minutes")
        },
        .init(yamlPath: "retention.metrics_max_age_hours", environmentVariable: "KANSOKU_METRICS_RETENTION_HOURS",
              flag: "--metrics-retention-hours") { c, v throws(ConfigurationError) in
            c.metricsRetentionHours = try nonNegativeInt(v, key: "retention.metrics_max_age_hours")
        },
        .init(yamlPath: "retention.metrics_max_bytes", environmentVariable: "KANSOKU_METRICS_RETENTION_BYTES",
              flag: "--metrics-retention-bytes") { c, v throws(ConfigurationError) in
            c.metricsRetentionBytes = Int64(try nonNegativeInt(v, key: "retention.metrics_max_bytes"))
        },
        .init(yamlPath: "scrape.config_file", environmentVariable: "KANSOKU_SCRAPE_CONFIG_FILE",
              flag: "--scrape-config-file") { c, v throws(ConfigurationError) in
            c.scrapeConfigFile = v.isEmpty ? nil : v
        },
        .init(yamlPath: "ui.assets_dir", environmentVariable: "KANSOKU_UI_ASSETS_DIR",
              flag: "--ui-assets-dir") { c, v throws(ConfigurationError) in
            c.uiAssetsDirectory = v.isEmpty ? nil : v
        },
        .init(yamlPath: "query.timeout_seconds", environmentVariable: "KANSOKU_QUERY_TIMEOUT_SECONDS",
              flag: "--query-timeout-seconds") { c, v throws(ConfigurationError) in
            c.queryTimeoutSeconds = try positiveInt(v, key: "query.timeout_seconds")
        },
        .init(yamlPath: "query.max_samples", environmentVariable: "KANSOKU_QUERY_MAX_SAMPLES",
              flag: "--query-max-samples") { c, v throws(ConfigurationError) in
            c.queryMaxSamples = try nonNegativeInt(v, key: "query.max_samples")
        },
        .init(yamlPath: "log_level", environmentVariable: "KANSOKU_LOG_LEVEL", flag: "--log-level") { c, v throws(ConfigurationError) in
            guard let level = Logger.Level(rawValue: v.lowercased()) else {
                throw .invalidValue(key: "log_level", value: v, reason: "use trace, debug, info, notice, warning, error or critical")
            }
            c.logLevel = level
        },
    ]

    private static func nonNegativeInt(_ text: String, key: String) throws(ConfigurationError) -> Int {
        guard let value = Int(text), value >= 0 else { throw .invalidValue(key: key, value: text, reason: "must be 0 or a positive integer") }
        return value
    }

    private static func positiveInt(_ text: String, key: String) throws(ConfigurationError) -> Int {
        guard let value = Int(text), value > 0 else { throw .invalidValue(key: key, value: text, reason: "must be a positive integer") }
        return value
    }
}
