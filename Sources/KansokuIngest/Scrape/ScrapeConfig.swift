/// The scraping part of a Prometheus configuration file: `global` defaults
/// and the `scrape_configs` list. Decode it from the root of a
/// `prometheus.yml`-shaped document with `init(node:)`.
public struct ScrapeConfiguration: Sendable, Equatable {
    public var global: ScrapeGlobalConfig
    public var scrapeConfigs: [ScrapeConfig]

    public init(global: ScrapeGlobalConfig = .init(), scrapeConfigs: [ScrapeConfig] = []) {
        self.global = global
        self.scrapeConfigs = scrapeConfigs
    }

    /// Decodes `{global: …, scrape_configs: […]}`. Other top-level keys
    /// (`rule_files`, `alerting`, …) are ignored: they belong to other parts.
    /// `pathPrefix` is prepended to error paths (e.g. `metrics.scraping`).
    public init(node: ScrapeConfigNode, pathPrefix: String = "") throws(ScrapeConfigError) {
        let reader = try ScrapeConfigReader(node, path: pathPrefix)
        global = try reader.child("global").map { (r: ScrapeConfigReader) throws(ScrapeConfigError) in try ScrapeGlobalConfig(reader: r) } ?? .init()
        scrapeConfigs = []
        var jobs = Set<String>()
        for (item, path) in try reader.items("scrape_configs") {
            let config = try ScrapeConfig(node: item, path: path, global: global)
            guard jobs.insert(config.jobName).inserted else {
                throw ScrapeConfigError(path: path, reason: "found multiple scrape configs with job name \"\(config.jobName)\"")
            }
            scrapeConfigs.append(config)
        }
    }
}

/// `global:` defaults for every scrape config.
public struct ScrapeGlobalConfig: Sendable, Equatable {
    public var scrapeInterval: ScrapeDuration
    public var scrapeTimeout: ScrapeDuration

    public init(scrapeInterval: ScrapeDuration = .seconds(60), scrapeTimeout: ScrapeDuration = .seconds(10)) {
        self.scrapeInterval = scrapeInterval
        self.scrapeTimeout = scrapeTimeout
    }

    init(reader: ScrapeConfigReader) throws(ScrapeConfigError) {
        try reader.checkKeys(["scrape_interval", "scrape_timeout", "evaluation_interval", "external_labels", "rule_query_offset"])
        scrapeInterval = try reader.duration("scrape_interval") ?? .seconds(60)
        scrapeTimeout = try reader.duration("scrape_timeout") ?? .seconds(10)
        // Prometheus: an unset timeout never exceeds the interval.
        if reader.node("scrape_timeout") == nil, scrapeTimeout > scrapeInterval { scrapeTimeout = scrapeInterval }
        guard scrapeTimeout <= scrapeInterval else {
            throw ScrapeConfigError(path: reader.path, reason: "global scrape timeout greater than scrape interval")
        }
    }
}

/// One `scrape_configs` entry (a job).
public struct ScrapeConfig: Sendable, Equatable {
    public var jobName: String
    public var scrapeInterval: ScrapeDuration
    public var scrapeTimeout: ScrapeDuration
    public var metricsPath: String = "/metrics"
    public var scheme: String = "http"
    /// URL parameters; each becomes a `__param_<name>` target label (first value).
    public var params: [(name: String, values: [String])] = []
    public var honorLabels = false
    public var honorTimestamps = true
    public var authorization: ScrapeAuthorization?
    public var staticConfigs: [StaticTargetGroup] = []
    public var fileSDConfigs: [FileSDConfig] = []
    public var relabelConfigs: [RelabelConfig] = []
    public var metricRelabelConfigs: [RelabelConfig] = []

    public init(jobName: String, scrapeInterval: ScrapeDuration = .seconds(60), scrapeTimeout: ScrapeDuration = .seconds(10)) {
        self.jobName = jobName
        self.scrapeInterval = scrapeInterval
        self.scrapeTimeout = scrapeTimeout
    }

    public static func == (a: ScrapeConfig, b: ScrapeConfig) -> Bool {
        a.jobName == b.jobName && a.scrapeInterval == b.scrapeInterval && a.scrapeTimeout == b.scrapeTimeout
            && a.metricsPath == b.metricsPath && a.scheme == b.scheme
            && a.params.map(\.name) == b.params.map(\.name) && a.params.map(\.values) == b.params.map(\.values)
            && a.honorLabels == b.honorLabels && a.honorTimestamps == b.honorTimestamps && a.authorization == b.authorization
            && a.staticConfigs == b.staticConfigs && a.fileSDConfigs == b.fileSDConfigs
            && a.relabelConfigs == b.relabelConfigs && a.metricRelabelConfigs == b.metricRelabelConfigs
    }

    static let keys: Set<String> = [
        "job_name", "scrape_interval", "scrape_timeout", "metrics_path", "scheme", "params", "honor_labels",
        "honor_timestamps", "basic_auth", "authorization", "bearer_token", "bearer_token_file", "static_configs",
        "file_sd_configs", "relabel_configs", "metric_relabel_configs",
    ]

    /// Decodes one job, filling defaults from `global`.
    public init(node: ScrapeConfigNode, path: String, global: ScrapeGlobalConfig = .init()) throws(ScrapeConfigError) {
        let reader = try ScrapeConfigReader(node, path: path)
        try reader.checkKeys(Self.keys)
        guard let job = try reader.string("job_name"), !job.isEmpty else {
            throw ScrapeConfigError(path: path, reason: "job_name is empty")
        }
        self.init(jobName: job, scrapeInterval: try reader.duration("scrape_interval") ?? global.scrapeInterval,
                  scrapeTimeout: global.scrapeTimeout)
        if let timeout = try reader.duration("scrape_timeout") {
            scrapeTimeout = timeout
        } else if scrapeTimeout > scrapeInterval {
            scrapeTimeout = scrapeInterval
        }
        guard scrapeTimeout <= scrapeInterval else {
            throw ScrapeConfigError(path: path, reason: "scrape timeout greater than scrape interval for scrape config with job name \"\(job)\"")
        }
        guard scrapeInterval.milliseconds > 0 else {
            throw ScrapeConfigError(path: ScrapeConfigReader.join(path, "scrape_interval"), reason: "scrape interval must be positive")
        }
        metricsPath = try reader.string("metrics_path") ?? "/metrics"
        scheme = try reader.string("scheme") ?? "http"
        guard scheme == "http" || scheme == "https" else {
            throw ScrapeConfigError(path: ScrapeConfigReader.join(path, "scheme"), reason: "unknown scheme \"\(scheme)\"")
        }
        if let paramsNode = reader.node("params") {
            let paramsReader = try ScrapeConfigReader(paramsNode, path: ScrapeConfigReader.join(path, "params"))
            guard case .mapping(let entries) = paramsNode else { throw ScrapeConfigError(path: paramsReader.path, reason: "expected a mapping") }
            for entry in entries { params.append((entry.key, try paramsReader.strings(entry.key) ?? [])) }
        }
        honorLabels = try reader.bool("honor_labels") ?? false
        honorTimestamps = try reader.bool("honor_timestamps") ?? true
        authorization = try ScrapeAuthorization(reader: reader)
        for (item, itemPath) in try reader.items("static_configs") {
            staticConfigs.append(try StaticTargetGroup(node: item, path: itemPath))
        }
        for (item, itemPath) in try reader.items("file_sd_configs") {
            fileSDConfigs.append(try FileSDConfig(node: item, path: itemPath))
        }
        for (item, itemPath) in try reader.items("relabel_configs") {
            relabelConfigs.append(try RelabelConfig(node: item, path: itemPath))
        }
        for (item, itemPath) in try reader.items("metric_relabel_configs") {
            metricRelabelConfigs.append(try RelabelConfig(node: item, path: itemPath))
        }
    }
}

/// `static_configs` item (and the shape of each file_sd group): target
/// addresses plus labels shared by them.
public struct StaticTargetGroup: Sendable, Equatable {
    public var targets: [String]
    public var labels: [String: String]

    public init(targets: [String], labels: [String: String] = [:]) {
        self.targets = targets
        self.labels = labels
    }

    init(node: ScrapeConfigNode, path: String) throws(ScrapeConfigError) {
        let reader = try ScrapeConfigReader(node, path: path)
        try reader.checkKeys(["targets", "labels"])
        targets = try reader.strings("targets") ?? []
        labels = [:]
        for (name, value) in try reader.stringMap("labels") ?? [] {
            guard Relabeler.isValidLabelName(name) else {
                throw ScrapeConfigError(path: ScrapeConfigReader.join(path, "labels"), reason: "\"\(name)\" is not a valid label name")
            }
            labels[name] = value
        }
    }
}

/// `file_sd_configs` item: files (last path component may hold `*`/`?`
/// wildcards) of target groups, re-read every `refresh_interval`.
public struct FileSDConfig: Sendable, Equatable {
    public var files: [String]
    public var refreshInterval: ScrapeDuration

    public init(files: [String], refreshInterval: ScrapeDuration = .seconds(300)) {
        self.files = files
        self.refreshInterval = refreshInterval
    }

    init(node: ScrapeConfigNode, path: String) throws(ScrapeConfigError) {
        let reader = try ScrapeConfigReader(node, path: path)
        try reader.checkKeys(["files", "refresh_interval"])
        files = try reader.strings("files") ?? []
        guard !files.isEmpty else { throw ScrapeConfigError(path: path, reason: "file service discovery config must contain at least one path name") }
        for file in files {
            let suffixes = [".json", ".yml", ".yaml"]
            guard suffixes.contains(where: { file.hasSuffix($0) }) else {
                throw ScrapeConfigError(path: ScrapeConfigReader.join(path, "files"), reason: "path name \"\(file)\" is not valid for file discovery")
            }
        }
        refreshInterval = try reader.duration("refresh_interval") ?? .seconds(300)
    }
}
