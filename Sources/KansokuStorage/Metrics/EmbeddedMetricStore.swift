import KansokuModel
import Logging

/// The embedded time-series engine: samples go to the metrics write-ahead log
/// and into the in-memory head, which answers queries. On open, the log is
/// replayed into the head.
public final class EmbeddedMetricStore: MetricSeriesStore {
    public let log: WriteAheadLog
    let head: MetricHead
    private let logger: Logger

    /// Opens the store over `log`, replaying every record in it.
    public init(log: WriteAheadLog, limits: MetricLimits = MetricLimits(), logger: Logger) throws {
        self.log = log
        self.logger = logger
        head = MetricHead(limits: limits)
        try replay()
    }

    private func replay() throws {
        var records = 0, rejected = 0
        for record in try log.records() {
            let batch: SampleBatch
            do {
                batch = try SampleBatch(walPayload: record.payload)
            } catch {
                // The record passed its checksum, so this is a format problem (an
                // older layout, or a bug), not disk damage: say so and go on.
                logger.error("undecodable metrics WAL record", metadata: [
                    "segment": "\(record.position.segment)", "offset": "\(record.position.offset)", "error": "\(error)",
                ])
                continue
            }
            records += 1
            rejected += head.append(batch).report.rejectedSamples
        }
        logger.info("metrics WAL replayed", metadata: [
            "records": "\(records)", "series": "\(head.seriesCount)", "samples": "\(head.samplesAppended)",
            "rejected": "\(rejected)",
        ])
    }

    public func append(_ batch: SampleBatch) async throws -> MetricAppendReport {
        // The head first: it decides what is valid, in arrival order, and what
        // it stored is what the log keeps. A failed log write fails the request
        // (the sender retries), but the samples stay in memory until restart:
        // Prometheus's head has the same window.
        let (report, stored) = head.append(batch)
        if !stored.series.isEmpty || !stored.metadata.isEmpty {
            _ = try await log.append(stored.walPayload())
        }
        return report
    }

    public func select(_ matchers: [SeriesMatcher], start: Int64, end: Int64) throws -> [SeriesSamples] {
        var result: [SeriesSamples] = []
        for snapshot in head.snapshots(matchers, start: start, end: end) {
            let samples = try snapshot.samples(start: start, end: end)
            if !samples.isEmpty { result.append(SeriesSamples(labels: snapshot.labels, samples: samples)) }
        }
        result.sort { $0.labels < $1.labels }
        return result
    }

    public func series(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) throws -> [SeriesLabels] {
        head.labelSets(selectors, start: start, end: end).sorted()
    }

    public func labelNames(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) throws -> [String] {
        head.labelNames(selectors, start: start, end: end).sorted()
    }

    public func labelValues(_ name: String, _ selectors: [[SeriesMatcher]], start: Int64, end: Int64) throws -> [String] {
        head.labelValues(name, selectors, start: start, end: end).sorted()
    }

    public func metadata() -> [MetricFamilyMetadata] {
        head.familyMetadata().sorted { $0.family < $1.family }
    }

    public func exemplars(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) throws -> [SeriesExemplars] {
        head.exemplars(selectors, start: start, end: end).sorted { $0.labels < $1.labels }
    }

    public func close() async {
        await log.close()
    }
}
