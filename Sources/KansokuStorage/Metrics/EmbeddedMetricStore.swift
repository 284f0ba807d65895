import KansokuModel
import Logging
import Synchronization

/// The embedded time-series engine: samples go to the metrics write-ahead log
/// and into the in-memory head; the head is cut into immutable blocks
/// (`<data>/metrics/blocks`), which are merged and expired in the background.
/// Reads merge blocks and head. On open, the series checkpoint and the log are
/// replayed into the head, skipping what blocks already hold.
///
/// WAL records name series by id (see `MetricWALRecord`); before segments
/// are deleted, the definitions later records may still need are written to
/// the series checkpoint (see `MetricSeriesCheckpoint`).
public final class EmbeddedMetricStore: MetricSeriesStore, Compacting {
    public let log: WriteAheadLog
    let head: MetricHead
    let blocks: MetricBlockSet
    let options: MetricStoreOptions
    let logger: Logger
    /// Where the series checkpoint lives (next to the WAL directory, not in it).
    let checkpointPath: String
    /// Newest sample time per WAL segment, so segments whose samples are all in blocks can go.
    let segmentMaxTimes = Mutex<[UInt64: Int64]>([:])
    /// Newest segment a record was replayed from or appended to.
    let newestSegment = Mutex<UInt64>(0)
    /// Series dropped from the head whose ids records in segments from
    /// `segment` on may still name: the checkpoint keeps them until those go.
    let retiredSeries = Mutex<[(definition: MetricWALRecord.Definition, segment: UInt64)]>([])
    /// One compaction (or shutdown flush) at a time.
    let compactionLock = Mutex(())

    /// Opens the store over `log` and the blocks in `blocksDirectory`, replaying
    /// the series checkpoint at `checkpointPath` (by default `wal-checkpoint`
    /// next to `blocksDirectory`) and the log.
    ///
    /// - Throws: ``MetricCheckpointError`` if the checkpoint exists but is damaged.
    public init(log: WriteAheadLog, blocksDirectory: String, checkpointPath: String? = nil, limits: MetricLimits = MetricLimits(),
                options: MetricStoreOptions = MetricStoreOptions(), logger: Logger) throws {
        self.log = log
        self.logger = logger
        self.options = options
        self.checkpointPath = checkpointPath ?? MetricSeriesCheckpoint.parent(of: blocksDirectory) + "/wal-checkpoint"
        blocks = try MetricBlockSet(directory: blocksDirectory)
        head = MetricHead(limits: limits)
        if let persisted = blocks.maxTime { head.refuseSamples(before: persisted + 1) }
        try replay()
    }

    private func replay() throws {
        var state = MetricWALReplayState()
        let checkpointed = try MetricSeriesCheckpoint.read(from: checkpointPath)
        if let checkpointed {
            for definition in checkpointed.series { state.define(definition) }
            if checkpointed.nextWALID > 0 { state.noteID(checkpointed.nextWALID - 1) }
        }
        head.replayMetadata(checkpointed?.metadata ?? [])
        var records = 0
        for record in try log.records() {
            newestSegment.withLock { $0 = max($0, record.position.segment) }
            do {
                if record.payload.count >= 2, record.payload[1] == SampleBatch.walItemTag {
                    // The older layout, labels in every record.
                    let batch = try SampleBatch(walPayload: record.payload)
                    noteSegment(record.position.segment, newest: batch.samples.lazy.map(\.timestamp).max())
                    state.skipped += head.replayUnreferenced(batch)
                } else {
                    let decoded = try MetricWALRecord(walPayload: record.payload)
                    noteSegment(record.position.segment, newest: decoded.newestTimestamp)
                    head.replay(decoded, &state)
                }
            } catch {
                // The record passed its checksum, so this is a format problem (an
                // older layout, or a bug), not disk damage: say so and go on.
                logger.error("undecodable metrics WAL record", metadata: [
                    "segment": "\(record.position.segment)", "offset": "\(record.position.offset)", "error": "\(error)",
                ])
                noteSegment(record.position.segment, newest: nil)  // nothing usable in it keeps the segment alive
                continue
            }
            records += 1
        }
        head.finishReplay(state)
        // Ids defined but not (or no longer) in the head may still be named by
        // the segments replayed: keep them in checkpoints until those go.
        let segment = newestSegment.withLock { $0 }
        var unresolved: [(definition: MetricWALRecord.Definition, segment: UInt64)] = []
        for (id, entry) in state.known {
            if case .labels(let labels) = entry { unresolved.append((MetricWALRecord.Definition(walID: id, labels: labels), segment)) }
        }
        retiredSeries.withLock { $0 = unresolved }
        if state.lostSamples > 0 || state.lostExemplars > 0 {
            logger.error("metrics WAL records name series that no definition holds; their data is lost", metadata: [
                "samples": "\(state.lostSamples)", "exemplars": "\(state.lostExemplars)", "checkpoint": "\(checkpointPath)",
            ])
        }
        logger.info("metrics WAL replayed", metadata: [
            "records": "\(records)", "series": "\(head.seriesCount)", "samples": "\(head.samplesAppended)",
            "skipped": "\(state.skipped)", "blocks": "\(blocks.all.count)",
            "checkpointed_series": "\(checkpointed?.series.count ?? 0)",
        ])
    }

    func noteSegment(_ segment: UInt64, newest: Int64?) {
        newestSegment.withLock { $0 = max($0, segment) }
        // Recorded even without samples: a closed segment with no entry may still
        // have an append in flight, and is never deleted (see dropPersistedSegments).
        segmentMaxTimes.withLock { $0[segment] = max($0[segment] ?? Int64.min, newest ?? Int64.min) }
    }

    public func append(_ batch: SampleBatch) async throws -> MetricAppendReport {
        // The head first: it decides what is valid, in arrival order, and what
        // it stored is what the log keeps. A failed log write fails the request
        // (the sender retries), but the samples stay in memory until restart:
        // Prometheus's head has the same window. Series defined by the record
        // count as logged only once it is durable; until then every record
        // naming them defines them again, so no record is replayed before the
        // definition of a series it names.
        let (report, record) = head.append(batch)
        if !record.isEmpty {
            let position = try await log.append(record.encoded())
            head.markLogged(record.definitions.map(\.walID))
            noteSegment(position.segment, newest: record.newestTimestamp)
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
    /// replaying the log, then closes the log, and deletes its segments when
    /// everything they held is in blocks (no exemplars, which only the log keeps).
    public func close() async {
        var persisted = false
        do {
            try flushHead()
            // Everything is in blocks: the checkpoint keeps the next series id, the segments can go
            // (unless they hold exemplars, which blocks do not).
            if head.timeRange == nil, !head.holdsExemplars {
                try writeCheckpoint(keepingSegmentsFrom: UInt64.max)
                persisted = true
            }
        } catch {
            logger.error("could not persist the metrics head on shutdown; the WAL keeps it", metadata: ["error": "\(error)"])
        }
        await log.close()
        guard persisted else { return }
        do {
            try log.discardSegmentsAfterClose()
        } catch {
            logger.warning("could not delete the persisted metrics WAL segments", metadata: ["error": "\(error)"])
        }
    }
}
