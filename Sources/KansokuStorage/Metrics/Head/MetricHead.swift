import KansokuModel

/// The in-memory part of the time-series engine: every series with its
/// compressed chunks, the inverted index over their labels, metadata and
/// recent exemplars. Appends take the write lock for one batch; reads copy
/// what they need under the read lock and decode outside it.
final class MetricHead: @unchecked Sendable {  // all state is behind `lock`
    private let lock = ReadWriteLock()
    private var series: [HeadSeries] = []
    private var refs: [SeriesLabels: UInt32] = [:]
    private var postings = PostingsIndex()
    private var metadata: [String: MetricFamilyMetadata] = [:]
    private var exemplarRing: ExemplarRing
    private var sampleCount = 0
    /// Samples before this belong to persisted blocks: appends are refused as out of bounds.
    private var minValidTime = Int64.min

    let limits: MetricLimits

    init(limits: MetricLimits, exemplarCapacity: Int = 100_000) {
        self.limits = limits
        exemplarRing = ExemplarRing(capacity: exemplarCapacity)
    }

    /// Number of series held.
    var seriesCount: Int { lock.withReadLock { series.count } }
    /// Samples appended since start (replayed ones included).
    var samplesAppended: Int { lock.withReadLock { sampleCount } }

    // MARK: Writing

    /// Appends what is valid of `batch`. Returns the report and the part that
    /// changed the head — what the write-ahead log must keep.
    func append(_ batch: SampleBatch) -> (report: MetricAppendReport, stored: SampleBatch) {
        var report = MetricAppendReport()
        var stored = SampleBatch(metadata: batch.metadata)
        lock.withWriteLock {
            for family in batch.metadata { metadata[family.family] = family }
            for (index, incoming) in batch.series.enumerated() {
                if limits.maxSeriesPerRequest > 0, index >= limits.maxSeriesPerRequest {
                    let dropped = batch.series[index...].reduce(0) { $0 + $1.samples.count }
                    report.reject(dropped, MetricRejection(reason: .requestSeriesLimit(limit: limits.maxSeriesPerRequest),
                                                           series: incoming.labels.description))
                    break
                }
                appendSeries(incoming, report: &report, stored: &stored)
            }
        }
        return (report, stored)
    }

    private func appendSeries(_ incoming: SeriesSamples, report: inout MetricAppendReport, stored: inout SampleBatch) {
        // Exemplars alone do not create a series (Prometheus refuses exemplars of unknown series).
        if incoming.samples.isEmpty, refs[incoming.labels] == nil { return }
        let ref: UInt32
        switch reference(for: incoming.labels) {
        case .success(let found): ref = found
        case .failure(let rejection):
            report.reject(incoming.samples.count, rejection)
            return
        }
        var kept: [Sample] = []
        kept.reserveCapacity(incoming.samples.count)
        for sample in incoming.samples {
            if sample.timestamp < minValidTime {
                report.reject(1, MetricRejection(reason: .outOfBounds, series: incoming.labels.description, timestamp: sample.timestamp))
                continue
            }
            switch series[Int(ref)].append(sample, outOfOrderWindow: limits.outOfOrderWindow) {
            case .appended:
                kept.append(sample)
                report.acceptedSamples += 1
            case .duplicate:
                report.acceptedSamples += 1
            case .rejected(let reason):
                report.reject(1, MetricRejection(reason: reason, series: incoming.labels.description, timestamp: sample.timestamp))
            }
        }
        sampleCount += kept.count
        for exemplar in incoming.exemplars { exemplarRing.add(exemplar, ref: ref) }
        if !kept.isEmpty || !incoming.exemplars.isEmpty {
            stored.series.append(SeriesSamples(labels: incoming.labels, samples: kept, exemplars: incoming.exemplars))
        }
    }

    /// The series' reference, creating the series if it is new and allowed.
    private func reference(for labels: SeriesLabels) -> Result<UInt32, MetricRejection> {
        if let ref = refs[labels] { return .success(ref) }
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
        series.append(HeadSeries(labels: labels))
        refs[labels] = ref
        postings.add(ref, labels)
        return .success(ref)
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
            if !samples.isEmpty { out.append(MetricBlockSeries(labels: snapshot.labels, chunks: MetricBlockCompactor.encode(samples))) }
        }
        return out
    }

    /// Forgets data before `boundary` (now in a block) and refuses appends
    /// before it from now on. Series left without data are dropped and the
    /// index rebuilt, so churned series do not pile up in memory.
    func truncate(before boundary: Int64) {
        lock.withWriteLock {
            minValidTime = max(minValidTime, boundary)
            var kept: [HeadSeries] = []
            var remap: [UInt32: UInt32] = [:]
            for (index, var s) in series.enumerated() where s.truncate(before: boundary) {
                remap[UInt32(index)] = UInt32(kept.count)
                kept.append(s)
            }
            series = kept
            refs = [:]
            postings = PostingsIndex()
            for (ref, s) in series.enumerated() {
                refs[s.labels] = UInt32(ref)
                postings.add(UInt32(ref), s.labels)
            }
            exemplarRing.remap { remap[$0] }
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
