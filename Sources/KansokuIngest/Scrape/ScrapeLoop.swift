import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KansokuModel
import Logging

/// Scrapes one target every interval and hands each result to the sink, as
/// Prometheus's scrape loop does: samples with target labels and metric
/// relabeling applied, the `up`/`scrape_*` report series, and staleness
/// markers for series that disappeared (or all of them when the scrape
/// failed, or when the target itself went away).
public actor ScrapeLoop {
    public nonisolated let target: ScrapeTarget
    private let honorTimestamps: Bool
    private let authorization: ScrapeAuthorization?
    private let labeler: ScrapeSampleLabeler
    private let client: any ScrapeHTTPClient
    private let sink: any TelemetrySink
    private let logger: Logger

    /// Series written last time without an explicit timestamp: the ones that
    /// get a staleness marker if they disappear.
    private var trackedSeries: Set<SeriesLabels> = []
    /// Every series of the last scrape, for `scrape_series_added`.
    private var previousSeries: Set<SeriesLabels> = []
    /// The last report, if any scrape ran.
    public private(set) var lastReport: ScrapeReport?

    /// The `Accept` header Prometheus sends, preferring OpenMetrics.
    public static let acceptHeader =
        "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"

    public init(target: ScrapeTarget, config: ScrapeConfig, client: any ScrapeHTTPClient, sink: any TelemetrySink, logger: Logger) {
        self.target = target
        self.honorTimestamps = config.honorTimestamps
        self.authorization = config.authorization
        self.labeler = ScrapeSampleLabeler(targetLabels: target.labels, honorLabels: config.honorLabels,
                                           metricRelabeler: Relabeler(config.metricRelabelConfigs))
        self.client = client
        self.sink = sink
        var logger = logger
        logger[metadataKey: "scrape_target"] = "\(target.url)"
        logger[metadataKey: "job"] = "\(target.job)"
        self.logger = logger
    }

    /// Milliseconds since the Unix epoch, now.
    static func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Delay before the first scrape: pins the target to a fixed phase of
    /// its interval derived from its hash (Prometheus's `Target.offset`),
    /// so targets are spread out and keep their phase across restarts.
    static func offset(interval: ScrapeDuration, hash: UInt64, nowMilliseconds: Int64) -> Int64 {
        let length = interval.milliseconds
        let base = length - nowMilliseconds % length
        var next = base + Int64(hash % UInt64(length))
        if next > length { next -= length }
        return next
    }

    /// Scrapes once, writes the result, and reports it. `timestamp`
    /// (milliseconds) defaults to now.
    @discardableResult
    public func scrapeOnce(at timestamp: Int64? = nil) async -> ScrapeReport {
        let timestamp = timestamp ?? Self.nowMilliseconds()
        let started = ContinuousClock.now
        var report = ScrapeReport(timestamp: timestamp, up: false, durationSeconds: 0, samplesScraped: 0,
                                  samplesPostMetricRelabeling: 0, seriesAdded: 0, staleMarkers: 0)
        var parsed = ExpositionParseResult()
        do {
            parsed = try await fetchAndParse()
            report.up = true
        } catch {
            report.error = "\(error)"
            logger.debug("scrape failed", metadata: ["error": "\(error)"])
        }
        let elapsed = ContinuousClock.now - started
        report.durationSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

        var batch = assemble(parsed, timestamp: timestamp, report: &report)
        batch.append(contentsOf: ScrapeReport.series(targetLabels: target.labels, timestamp: timestamp, values: report.values))
        await write(batch, report: &report)
        lastReport = report
        return report
    }

    /// Builds the batch of scraped samples plus staleness markers, and
    /// updates the series remembered for the next scrape.
    private func assemble(_ parsed: ExpositionParseResult, timestamp: Int64, report: inout ScrapeReport) -> SampleBatch {
        report.samplesScraped = parsed.samples.count
        var order: [SeriesLabels] = []
        var bySeries: [SeriesLabels: SeriesSamples] = [:]
        var tracked = Set<SeriesLabels>()
        for sample in parsed.samples {
            guard let labels = labeler.label(sample.labels) else { continue }
            // A repeated series within one scrape is a duplicate; Prometheus keeps the first.
            guard bySeries[labels] == nil else { continue }
            let explicit = honorTimestamps ? sample.timestamp : nil
            let time = explicit ?? timestamp
            var series = SeriesSamples(labels: labels, samples: [Sample(timestamp: time, value: sample.value)])
            if let exemplar = sample.exemplar {
                series.exemplars = [SeriesExemplar(labels: exemplar.labels, value: exemplar.value, timestamp: exemplar.timestamp ?? time)]
            }
            bySeries[labels] = series
            order.append(labels)
            if explicit == nil { tracked.insert(labels) }
        }
        report.samplesPostMetricRelabeling = order.count
        report.seriesAdded = order.reduce(0) { $0 + (previousSeries.contains($1) ? 0 : 1) }
        var batch = SampleBatch(series: order.map { bySeries[$0]! }, metadata: parsed.metadata)
        let gone = trackedSeries.subtracting(tracked).sorted()
        batch.append(contentsOf: gone.map { Self.staleSeries($0, at: timestamp) })
        report.staleMarkers = gone.count
        trackedSeries = tracked
        previousSeries = Set(order)
        return batch
    }

    static func staleSeries(_ labels: SeriesLabels, at timestamp: Int64) -> SeriesSamples {
        SeriesSamples(labels: labels, samples: [Sample(timestamp: timestamp, value: Double(bitPattern: Sample.staleMarkerBits))])
    }

    private func write(_ batch: SampleBatch, report: inout ScrapeReport) async {
        do {
            let result = try await sink.accept(batch)
            report.writeResult = result
            if result.rejectedSamples > 0 {
                logger.warning("samples refused by storage", metadata: ["rejected": "\(result.rejectedSamples)", "reason": "\(result.message)"])
            }
        } catch {
            logger.error("could not write scraped samples", metadata: ["error": "\(error)"])
        }
    }

    private func fetchAndParse() async throws -> ExpositionParseResult {
        var headers: [(name: String, value: String)] = [
            ("Accept", Self.acceptHeader),
            ("User-Agent", "Kansoku"),
            ("X-Prometheus-Scrape-Timeout-Seconds", String(Double(target.timeout.milliseconds) / 1000)),
        ]
        if let authorization { headers.append(("Authorization", try authorization.headerValue())) }
        let response = try await client.get(url: target.url, headers: headers, timeout: target.timeout)
        guard response.status == 200 else {
            throw ScrapeHTTPError.transport(url: target.url, reason: "server returned HTTP status \(response.status) \(HTTPURLResponse.localizedString(forStatusCode: response.status))")
        }
        return try PrometheusTextParser(format: ExpositionFormat(contentType: response.contentType)).parse(response.body)
    }

    /// Scrapes every interval from the target's offset until `stop` fires
    /// (then writes end-of-run staleness markers) or the task is cancelled
    /// (shutdown: no markers, as in Prometheus).
    func run(stop: ScrapeStopSignal) async {
        let interval = Duration.milliseconds(target.interval.milliseconds)
        let offset = Self.offset(interval: target.interval, hash: target.stableHash, nowMilliseconds: Self.nowMilliseconds())
        var next = ContinuousClock.now + .milliseconds(offset)
        do {
            while true {
                if try await stop.sleep(until: next) { break }
                await scrapeOnce()
                next += interval
                // After a stall, skip missed ticks rather than scraping in a burst.
                while next < .now { next += interval }
            }
            try await endOfRunStaleness(stop: stop, next: next, interval: interval)
        } catch {
            return
        }
    }

    /// The target went away: wait until its next scrape would have been and
    /// note that time, wait one more interval plus 10% (in case it comes
    /// back), then mark every series and the report series stale at the
    /// noted time. Cancellation (shutdown) skips it.
    private func endOfRunStaleness(stop: ScrapeStopSignal, next: ContinuousClock.Instant, interval: Duration) async throws {
        guard lastReport != nil else { return }
        try await Task.sleep(until: next, clock: .continuous)
        let staleTime = Self.nowMilliseconds()
        try await Task.sleep(until: next + interval + interval / 10, clock: .continuous)
        var series = trackedSeries.sorted().map { Self.staleSeries($0, at: staleTime) }
        series += ScrapeReport.series(targetLabels: target.labels, timestamp: staleTime,
                                      values: ScrapeReport.seriesNames.map { ($0, Double(bitPattern: Sample.staleMarkerBits)) })
        trackedSeries = []
        previousSeries = []
        var report = ScrapeReport(timestamp: staleTime, up: false, durationSeconds: 0, samplesScraped: 0,
                                  samplesPostMetricRelabeling: 0, seriesAdded: 0, staleMarkers: series.count)
        await write(SampleBatch(series: series), report: &report)
    }
}
