import KansokuModel
import Logging
import Synchronization

/// The embedded time-series engine: samples go to the metrics write-ahead log
/// and into the in-memory head; the head is cut into immutable blocks
/// (`<data>/metrics/blocks`), which are merged and expired in the background.
/// Reads merge blocks and head. On open, the log is replayed into the head,
/// skipping what blocks already hold.
public final class EmbeddedMetricStore: MetricSeriesStore, Compacting {
    public let log: WriteAheadLog
    let head: MetricHead
    let blocks: MetricBlockSet
    let options: MetricStoreOptions
    let logger: Logger
    /// Newest sample time per WAL segment, so segments whose samples are all in blocks can go.
    let segmentMaxTimes = Mutex<[UInt64: Int64]>([:])
    /// One compaction (or shutdown flush) at a time.
    let compactionLock = Mutex(())

    /// Opens the store over `log` and the blocks in `blocksDirectory`, replaying the log.
    public init(log: WriteAheadLog, blocksDirectory: String, limits: MetricLimits = MetricLimits(),
                options: MetricStoreOptions = MetricStoreOptions(), logger: Logger) throws {
        self.log = log
        self.logger = logger
        self.options = options
        blocks = try MetricBlockSet(directory: blocksDirectory)
        head = MetricHead(limits: limits)
        if let persisted = blocks.maxTime { head.refuseSamples(before: persisted + 1) }
        try replay()
    }

    private func replay() throws {
        var records = 0, skipped = 0
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
            noteSegment(record.position.segment, batch)
            // Samples a block already holds come back as out of bounds: expected, not an error.
            skipped += head.append(batch).report.rejectedSamples
        }
        logger.info("metrics WAL replayed", metadata: [
            "records": "\(records)", "series": "\(head.seriesCount)", "samples": "\(head.samplesAppended)",
            "skipped": "\(skipped)", "blocks": "\(blocks.all.count)",
        ])
    }

    func noteSegment(_ segment: UInt64, _ batch: SampleBatch) {
        guard let newest = batch.series.lazy.compactMap({ $0.samples.last?.timestamp }).max() else { return }
        segmentMaxTimes.withLock { $0[segment] = max($0[segment] ?? Int64.min, newest) }
    }

    public func append(_ batch: SampleBatch) async throws -> MetricAppendReport {
        // The head first: it decides what is valid, in arrival order, and what
        // it stored is what the log keeps. A failed log write fails the request
        // (the sender retries), but the samples stay in memory until restart:
        // Prometheus's head has the same window.
        let (report, stored) = head.append(batch)
        if !stored.series.isEmpty || !stored.metadata.isEmpty {
            let position = try await log.append(stored.walPayload())
            noteSegment(position.segment, stored)
        }
        return report
    }

    public func metadata() -> [MetricFamilyMetadata] {
        head.familyMetadata().sorted { $0.family < $1.family }
    }

    public func exemplars(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) throws -> [SeriesExemplars] {
        head.exemplars(selectors, start: start, end: end).sorted { $0.labels < $1.labels }
    }

    /// Persists the head as a block so a restart reads blocks instead of
    /// replaying the log, then closes the log.
    public func close() async {
        do {
            try flushHead()
        } catch {
            logger.error("could not persist the metrics head on shutdown; the WAL keeps it", metadata: ["error": "\(error)"])
        }
        await log.close()
    }
}
