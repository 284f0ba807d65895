import KansokuModel

/// The in-memory part of the time-series engine: every series with its
/// compressed chunks, the inverted index over their labels, metadata and
/// recent exemplars. Appends take the write lock for one batch; reads copy
/// what they need under the read lock and decode outside it.
final class MetricHead: @unchecked Sendable {  // all state is behind `lock`
    // Internal rather than private only so MetricHead+Replay.swift can reach
    // them; nothing else touches them, and only under `lock`.
    let lock = ReadWriteLock()
    var series: [HeadSeries] = []
    private var refs = SeriesRefIndex()
    private var postings = PostingsIndex()
    var metadata: [String: MetricFamilyMetadata] = [:]
    var exemplarRing: ExemplarRing
    /// Whether any exemplar was appended or replayed: they live only in the
    /// ring and the log, so the log must then outlive a shutdown.
    var exemplarsSeen = false
    var sampleCount = 0
    /// Samples before this belong to persisted blocks: appends are refused as out of bounds.
    var minValidTime = Int64.min
    /// Id of the next new series in the WAL; never reused, across restarts too.
    var nextWALID: UInt64 = 1
    var refsByWALID: [UInt64: UInt32] = [:]
    /// Off while replaying records of the older layout (see `replayUnreferenced`).
    var assignsWALIDs = true

    let limits: MetricLimits

    init(limits: MetricLimits, exemplarCapacity: Int = 100_000) {
        self.limits = limits
        exemplarRing = ExemplarRing(capacity: exemplarCapacity)
    }

    /// Whether exemplars were appended or replayed since the head was created.
    var holdsExemplars: Bool { lock.withReadLock { exemplarsSeen } }

    /// Number of series held.
    var seriesCount: Int { lock.withReadLock { series.count } }
    /// Samples appended since start (replayed ones included).
    var samplesAppended: Int { lock.withReadLock { sampleCount } }

    // MARK: Writing

    /// Appends what is valid of `batch`. Returns the report and the WAL record
    /// of what changed the head, defining the series it names whose definition
    /// is not known to be durable yet (call `markLogged` once it is).
    func append(_ batch: SampleBatch) -> (report: MetricAppendReport, record: MetricWALRecord) {
        var report = MetricAppendReport()
        var record = MetricWALRecord(metadata: batch.metadata)
        record.runs.reserveCapacity(batch.seriesCount)
        record.samples.reserveCapacity(batch.sampleCount)
        lock.withWriteLock {
            for family in batch.metadata { metadata[family.family] = family }
            var defined = Set<UInt64>()
            for index in 0..<batch.seriesCount {
                if limits.maxSeriesPerRequest > 0, index >= limits.maxSeriesPerRequest {
                    let dropped = batch.sampleCount - batch.sampleRange(ofSeries: index).lowerBound
                        - batch.histogramRange(ofSeries: index).lowerBound
                    report.reject(dropped, MetricRejection(reason: .requestSeriesLimit(limit: limits.maxSeriesPerRequest),
                                                           series: batch.labels(ofSeries: index).description))
                    break
                }
                appendSeries(index, of: batch, report: &report, record: &record, defined: &defined)
            }
        }
        return (report, record)
    }

    private func appendSeries(_ index: Int, of batch: SampleBatch, report: inout MetricAppendReport,
                              record: inout MetricWALRecord, defined: inout Set<UInt64>) {
        let labels = batch.labels(ofSeries: index)
        let samples = batch.sampleRange(ofSeries: index)
        let histograms = batch.histogramRange(ofSeries: index)
        let exemplars = batch.exemplarRange(ofSeries: index)
        // Exemplars alone do not create a series (Prometheus refuses exemplars of unknown series).
        if samples.isEmpty, histograms.isEmpty, existingReference(labels) == nil { return }
        let ref: UInt32
        switch reference(for: labels, walID: nil) {
        case .success(let found): ref = found
        case .failure(let rejection):
            report.reject(samples.count + histograms.count, rejection)
            return
        }
        let first = record.samples.count
        for i in samples {
            let sample = batch.samples[i]
            if sample.timestamp < minValidTime {
                report.reject(1, MetricRejection(reason: .outOfBounds, series: labels.description, timestamp: sample.timestamp))
                continue
            }
            switch series[Int(ref)].append(sample, outOfOrderWindow: limits.outOfOrderWindow) {
            case .appended:
                record.samples.append(sample)
                report.acceptedSamples += 1
            case .duplicate:
                report.acceptedSamples += 1
            case .rejected(let reason):
                report.reject(1, MetricRejection(reason: reason, series: labels.description, timestamp: sample.timestamp))
            }
        }
        let kept = record.samples.count - first
        let walID = series[Int(ref)].walID
        let firstHistogram = record.histograms.count
        for i in histograms {
            let sample = batch.histograms[i]
            if sample.timestamp < minValidTime {
                report.reject(1, MetricRejection(reason: .outOfBounds, series: labels.description, timestamp: sample.timestamp))
                continue
            }
            switch series[Int(ref)].append(sample, outOfOrderWindow: limits.outOfOrderWindow) {
            case .appended:
                record.histograms.append(MetricWALRecord.Histogram(walID: walID, sample: sample))
                report.acceptedSamples += 1
            case .duplicate:
                report.acceptedSamples += 1
            case .rejected(let reason):
                report.reject(1, MetricRejection(reason: reason, series: labels.description, timestamp: sample.timestamp))
            }
        }
        let keptHistograms = record.histograms.count - firstHistogram
        sampleCount += kept + keptHistograms
        for i in exemplars {
            exemplarRing.add(batch.exemplars[i], ref: ref)
            record.exemplars.append(MetricWALRecord.Exemplar(walID: walID, exemplar: batch.exemplars[i]))
        }
        if !exemplars.isEmpty { exemplarsSeen = true }
        guard kept > 0 || keptHistograms > 0 || !exemplars.isEmpty else { return }
        if !series[Int(ref)].logged, defined.insert(walID).inserted {
            record.definitions.append(MetricWALRecord.Definition(walID: walID, labels: labels))
        }
        if kept > 0 { record.runs.append(MetricWALRecord.Run(walID: walID, count: kept)) }
    }

    /// Records that the definitions of these series are durable, so later
    /// records name them by id alone. Series truncated meanwhile are ignored.
    func markLogged(_ walIDs: [UInt64]) {
        guard !walIDs.isEmpty else { return }
        lock.withWriteLock {
            for id in walIDs {
                if let ref = refsByWALID[id] { series[Int(ref)].logged = true }
            }
        }
    }

    /// The series' reference, creating the series if it is new and allowed:
    /// with `walID` (replay of a logged definition, so already logged) or a new id.
    func reference(for labels: SeriesLabels, walID: UInt64?) -> Result<UInt32, MetricRejection> {
        if let ref = existingReference(labels) { return .success(ref) }
        if let why = MetricHead.invalidity(of: labels) {
            return .failure(MetricRejection(reason: .invalidLabels(why), series: labels.description))
        }
        if limits.maxLabelsPerSeries > 0, labels.labels.count > limits.maxLabelsPerSeries {
            return .failure(MetricRejection(reason: .tooManyLabels(limit: limits.maxLabelsPerSeries), series: labels.description))
        }
        if limits.maxSeries > 0, series.count >= limits.maxSeries {
            return .failure(MetricRejection(reason: .seriesLimit(limit: limits.maxSeries), series: labels.description))
        }
        let ref = UInt32(series.count)
        let id: UInt64
        if let walID {
            id = walID
        } else if assignsWALIDs {
            id = nextWALID
            nextWALID += 1
        } else {
            id = 0
        }
        series.append(HeadSeries(labels: labels, walID: id, logged: walID != nil))
        refs.insert(labels, ref: ref)
        if id != 0 { refsByWALID[id] = ref }
        postings.add(ref, labels)
        return .success(ref)
    }

    private func existingReference(_ labels: SeriesLabels) -> UInt32? {
        // Through the buffer: a subscript read would copy the stored label set (a retain and a release).
        series.withUnsafeBufferPointer { stored in refs.reference(for: labels) { stored[Int($0)].labels == labels } }
    }

    /// Why a label set cannot name a series, or nil when it can.
    static func invalidity(of labels: SeriesLabels) -> String? {
        if labels.isEmpty { return "empty label set" }
        if labels.labels.contains(where: { $0.name.isEmpty }) { return "empty label name" }
        if labels.name == nil { return "missing metric name (__name__)" }
        return nil
    }

    // MARK: Cutting blocks

    /// Oldest and newest sample time held, nil when empty.
    var timeRange: (min: Int64, max: Int64)? {
        lock.withReadLock {
            var low = Int64.max, high = Int64.min
            for s in series where s.maxTime != Int64.min {
                low = min(low, s.minTime)
                high = max(high, s.maxTime)
            }
            return low <= high ? (low, high) : nil
        }
    }

    /// Every series' samples before `boundary`, as a block takes them.
    func blockSeries(before boundary: Int64) throws(XORChunkError) -> [MetricBlockSeries] {
        let snapshots = lock.withReadLock { series.map { $0.snapshot() } }
        var out: [MetricBlockSeries] = []
        for snapshot in snapshots {
            let samples = try snapshot.samples(start: Int64.min, end: boundary - 1)
            let histograms = snapshot.histograms(start: Int64.min, end: boundary - 1)
            if !samples.isEmpty || !histograms.isEmpty {
                out.append(MetricBlockSeries(labels: snapshot.labels, chunks: MetricBlockCompactor.encode(samples),
                                             histogramChunks: MetricBlockCompactor.encode(histograms)))
            }
        }
        return out
    }

    /// Forgets data before `boundary` (now in a block) and refuses appends
    /// before it from now on. Series left without data are dropped and the
    /// index rebuilt, so churned series do not pile up in memory. Returns the
    /// dropped series' WAL definitions.
    @discardableResult
    func truncate(before boundary: Int64) -> [MetricWALRecord.Definition] {
        lock.withWriteLock {
            minValidTime = max(minValidTime, boundary)
            var kept: [HeadSeries] = []
            var dropped: [MetricWALRecord.Definition] = []
            var remap: [UInt32: UInt32] = [:]
            for (index, var s) in series.enumerated() {
                if s.truncate(before: boundary) {
                    remap[UInt32(index)] = UInt32(kept.count)
                    kept.append(s)
                } else if s.walID != 0 {
                    dropped.append(MetricWALRecord.Definition(walID: s.walID, labels: s.labels))
                }
            }
            series = kept
            refs = SeriesRefIndex()
            refsByWALID = [:]
            postings = PostingsIndex()
            for (ref, s) in series.enumerated() {
                refs.insert(s.labels, ref: UInt32(ref))
                if s.walID != 0 { refsByWALID[s.walID] = UInt32(ref) }
                postings.add(UInt32(ref), s.labels)
            }
            exemplarRing.remap { remap[$0] }
            return dropped
        }
    }

    /// Sets the earliest time appends (and replayed samples) may have.
    func refuseSamples(before time: Int64) {
        lock.withWriteLock { minValidTime = max(minValidTime, time) }
    }

    // MARK: Reading

    /// Snapshots of the series matching `matchers` with data in `[start, end]`.
    func snapshots(_ matchers: [SeriesMatcher], start: Int64, end: Int64) -> [HeadSeriesSnapshot] {
        lock.withReadLock {
            postings.matching(matchers, seriesCount: series.count).compactMap { ref in
                let s = series[Int(ref)]
                return s.overlaps(start: start, end: end) ? s.snapshot() : nil
            }
        }
    }

    /// Label sets of series matching any selector with data in `[start, end]`.
    func labelSets(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) -> [SeriesLabels] {
        lock.withReadLock {
            matchingRefs(selectors, start: start, end: end).map { series[Int($0)].labels }
        }
    }

    /// Values of `name` among matching series, without duplicates.
    func labelValues(_ name: String, _ selectors: [[SeriesMatcher]], start: Int64, end: Int64) -> Set<String> {
        lock.withReadLock {
            if selectors.isEmpty, everySeriesOverlaps(start: start, end: end) {
                return Set(postings.values(of: name).keys)
            }
            var values = Set<String>()
            for ref in matchingRefs(selectors, start: start, end: end) {
                if let value = series[Int(ref)].labels[name] { values.insert(value) }
            }
            return values
        }
    }

    /// Label names among matching series.
    func labelNames(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) -> Set<String> {
        lock.withReadLock {
            if selectors.isEmpty, everySeriesOverlaps(start: start, end: end) { return Set(postings.names) }
            var names = Set<String>()
            for ref in matchingRefs(selectors, start: start, end: end) {
                for label in series[Int(ref)].labels.labels { names.insert(label.name) }
            }
            return names
        }
    }

    func familyMetadata() -> [MetricFamilyMetadata] {
        lock.withReadLock { Array(metadata.values) }
    }

    func exemplars(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) -> [SeriesExemplars] {
        lock.withReadLock {
            // Not filtered by the series' samples: after a head cut, replayed exemplars
            // may belong to series whose samples are all in blocks.
            let matched = Set(matchingRefs(selectors, start: Int64.min, end: Int64.max, requireSamples: false))
            return exemplarRing.exemplars(of: matched, start: start, end: end).map { ref, found in
                SeriesExemplars(labels: series[Int(ref)].labels, exemplars: found)
            }
        }
    }

    /// Call with the read lock held. Selectors are OR-ed; none means all series.
    private func matchingRefs(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64, requireSamples: Bool = true) -> [UInt32] {
        var refs: [UInt32]
        if selectors.isEmpty {
            refs = (0..<UInt32(series.count)).map { $0 }
        } else {
            refs = PostingsIndex.union(selectors.map { postings.matching($0, seriesCount: series.count) })
        }
        return requireSamples ? refs.filter { series[Int($0)].overlaps(start: start, end: end) } : refs
    }

    /// Call with the read lock held: a cheap check that lets the common
    /// "all label values" call read the index instead of every series.
    private func everySeriesOverlaps(start: Int64, end: Int64) -> Bool {
        start == Int64.min && end == Int64.max
    }
}
