import KansokuModel

/// One endpoint to scrape, after target relabeling: its final labels (the
/// ones every scraped sample gets), its URL and its timing.
public struct ScrapeTarget: Sendable, Hashable, CustomStringConvertible {
    public let job: String
    /// Labels attached to every sample: `job`, `instance` and whatever
    /// relabeling left, without `__`-prefixed labels.
    public let labels: SeriesLabels
    /// `scheme://address/metrics_path?params`.
    public let url: String
    public let interval: ScrapeDuration
    public let timeout: ScrapeDuration
    /// The labels discovery produced, before relabeling (for debugging and `/targets`).
    public let discoveredLabels: [String: String]

    public var description: String { url }

    /// Identity for deduplication across refreshes: the same labels and URL
    /// are the same target, keeping its loop and staleness state.
    public static func == (a: ScrapeTarget, b: ScrapeTarget) -> Bool {
        a.job == b.job && a.labels == b.labels && a.url == b.url && a.interval == b.interval && a.timeout == b.timeout
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(job)
        hasher.combine(labels)
        hasher.combine(url)
    }

    /// A stable 64-bit hash (FNV-1a over labels and URL) that spreads
    /// targets over the interval, like Prometheus's per-target offset.
    public var stableHash: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            hash = (hash ^ 0xff) &* 0x0000_0100_0000_01b3
        }
        for label in labels.labels { mix(label.name); mix(label.value) }
        mix(url)
        return hash
    }

    /// Builds the target for one discovered address as Prometheus's
    /// `PopulateLabels` does: default `job`, `__scheme__`, `__metrics_path__`,
    /// `__scrape_interval__`, `__scrape_timeout__` and `__param_*`, then
    /// `relabel_configs`; nil when relabeling dropped it. `instance` defaults
    /// to `__address__`; `__`-prefixed labels are left out of `labels`.
    public static func populate(
        discovered: [String: String], config: ScrapeConfig, relabeler: Relabeler? = nil
    ) throws(ScrapeTargetError) -> ScrapeTarget? {
        var builder = discovered
        func setDefault(_ name: String, _ value: String) { if (builder[name] ?? "").isEmpty { builder[name] = value } }
        setDefault("job", config.jobName)
        setDefault("__scrape_interval__", config.scrapeInterval.description)
        setDefault("__scrape_timeout__", config.scrapeTimeout.description)
        setDefault("__metrics_path__", config.metricsPath)
        setDefault("__scheme__", config.scheme)
        for param in config.params { if let first = param.values.first { setDefault("__param_\(param.name)", first) } }

        guard (relabeler ?? Relabeler(config.relabelConfigs)).process(&builder) else { return nil }
        func fail(_ reason: String) -> ScrapeTargetError { ScrapeTargetError(discoveredLabels: discovered, reason: reason) }
        guard let address = builder["__address__"], !address.isEmpty else { throw fail("no address") }
        guard !address.contains("/") else { throw fail("\"\(address)\" is not a valid hostname") }

        let interval: ScrapeDuration
        let timeout: ScrapeDuration
        do {
            interval = try ScrapeDuration(parsing: builder["__scrape_interval__"] ?? "")
            timeout = try ScrapeDuration(parsing: builder["__scrape_timeout__"] ?? "")
        } catch {
            throw fail("error parsing scrape interval or timeout: \(error)")
        }
        guard interval.milliseconds > 0 else { throw fail("scrape interval cannot be 0") }
        guard timeout.milliseconds > 0 else { throw fail("scrape timeout cannot be 0") }
        guard timeout <= interval else { throw fail("scrape timeout cannot be greater than scrape interval (\"\(timeout)\" > \"\(interval)\")") }

        setDefault("instance", address)
        let url = Self.url(builder, config: config)
        let public_ = builder.filter { !$0.key.hasPrefix("__") }
        return ScrapeTarget(job: config.jobName, labels: SeriesLabels(public_.map { ($0.key, $0.value) }), url: url,
                            interval: interval, timeout: timeout, discoveredLabels: discovered)
    }

    private init(job: String, labels: SeriesLabels, url: String, interval: ScrapeDuration, timeout: ScrapeDuration, discoveredLabels: [String: String]) {
        self.job = job
        self.labels = labels
        self.url = url
        self.interval = interval
        self.timeout = timeout
        self.discoveredLabels = discoveredLabels
    }

    /// The scrape URL; `__param_<name>` labels replace the first value of
    /// the configured parameter of that name.
    static func url(_ labels: [String: String], config: ScrapeConfig) -> String {
        var params = config.params
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) where name.hasPrefix("__param_") {
            let key = String(name.dropFirst("__param_".count))
            if let index = params.firstIndex(where: { $0.name == key }) {
                if params[index].values.isEmpty { params[index].values = [value] } else { params[index].values[0] = value }
            } else {
                params.append((key, [value]))
            }
        }
        var url = "\(labels["__scheme__"] ?? "http")://\(labels["__address__"] ?? "")"
        let path = labels["__metrics_path__"] ?? "/metrics"
        url += path.hasPrefix("/") ? path : "/" + path
        let query = params.sorted { $0.name < $1.name }.flatMap { param in
            param.values.map { "\(Self.escape(param.name))=\(Self.escape($0))" }
        }
        if !query.isEmpty { url += "?" + query.joined(separator: "&") }
        return url
    }

    /// Percent-encodes a query component as Go's `url.QueryEscape` does.
    private static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.unicodeScalars.append(UnicodeScalar(byte))
            case 0x20: out += "+"
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }
}

/// A discovered target that could not become a scrape target (bad address,
/// interval or timeout), with the labels it was discovered with.
public struct ScrapeTargetError: Error, Sendable, Equatable, CustomStringConvertible {
    public var discoveredLabels: [String: String]
    public var reason: String

    public var description: String {
        let labels = discoveredLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ")
        return "invalid target {\(labels)}: \(reason)"
    }
}
