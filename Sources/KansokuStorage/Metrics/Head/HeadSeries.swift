import KansokuModel

/// One series in the in-memory head: closed chunks, the chunk being
/// appended to, and samples that arrived out of order.
struct HeadSeries: Sendable {
    /// Samples per chunk before a new one is cut; Prometheus's choice, which
    /// keeps a chunk small enough to decode for one query step.
    static let samplesPerChunk = 120

    let labels: SeriesLabels
    /// The series' id in the metrics WAL: unique across restarts, unlike its
    /// index in the head, which truncation renumbers. 0 until assigned (only
    /// while replaying records of the older self-contained layout).
    var walID: UInt64
    /// Whether a WAL record (or the checkpoint) holding the series' definition
    /// is durable; until then every record logging it defines it again.
    var logged: Bool
    private(set) var closedChunks: [HeadChunk] = []
    private(set) var openChunk = XORChunkAppender()
    /// Samples older than the newest in-order one (within the window), sorted
    /// by time. Merged into reads; few, so a sorted array is enough.
    private(set) var outOfOrder: [Sample] = []
    /// Native histogram samples not yet in a block, sorted by time. Kept
    /// decoded: histogram series are few next to float ones, and a block
    /// stores them as ``HistogramChunk``s.
    private(set) var histograms: [HistogramSample] = []
    /// Newest in-order sample.
    private(set) var last: Sample?
    /// Oldest sample of any kind.
    private(set) var minTime = Int64.max

    init(labels: SeriesLabels, walID: UInt64 = 0, logged: Bool = false) {
        self.labels = labels
        self.walID = walID
        self.logged = logged
    }

    var maxTime: Int64 { max(last?.timestamp ?? Int64.min, histograms.last?.timestamp ?? Int64.min) }

    /// What appending `sample` did.
    enum AppendOutcome {
        case appended
        /// An identical sample was already stored: nothing to do.
        case duplicate
        case rejected(MetricRejection.Reason)
    }

    mutating func append(_ sample: Sample, outOfOrderWindow: Int64) -> AppendOutcome {
        guard let last else {
            appendInOrder(sample)
            return .appended
        }
        if sample.timestamp > last.timestamp {
            appendInOrder(sample)
            return .appended
        }
        if sample.timestamp == last.timestamp {
            return sample.value.bitPattern == last.value.bitPattern ? .duplicate : .rejected(.duplicateTimestamp)
        }
        guard outOfOrderWindow > 0 else { return .rejected(.outOfOrder) }
        // Overflow means the window reaches below Int64.min: every older time is inside.
        let (oldest, overflow) = last.timestamp.subtractingReportingOverflow(outOfOrderWindow)
        guard overflow || sample.timestamp >= oldest else { return .rejected(.tooOld) }
        return insertOutOfOrder(sample)
    }

    private mutating func appendInOrder(_ sample: Sample) {
        if openChunk.count >= HeadSeries.samplesPerChunk {
            closedChunks.append(HeadChunk(chunk: openChunk.chunk, minTime: openChunk.minTime, maxTime: openChunk.maxTime))
            openChunk = XORChunkAppender()
        }
        openChunk.append(timestamp: sample.timestamp, value: sample.value)
        last = sample
        minTime = min(minTime, sample.timestamp)
    }

    private mutating func insertOutOfOrder(_ sample: Sample) -> AppendOutcome {
        var low = 0, high = outOfOrder.count
        while low < high {
            let mid = (low + high) / 2
            if outOfOrder[mid].timestamp < sample.timestamp { low = mid + 1 } else { high = mid }
        }
        if low < outOfOrder.count, outOfOrder[low].timestamp == sample.timestamp {
            return outOfOrder[low].value.bitPattern == sample.value.bitPattern ? .duplicate : .rejected(.duplicateTimestamp)
        }
        outOfOrder.insert(sample, at: low)
        minTime = min(minTime, sample.timestamp)
        return .appended
    }

    /// Whether the series has any sample in `[start, end]` (by its bounds).
    func overlaps(start: Int64, end: Int64) -> Bool {
        (last != nil || !histograms.isEmpty) && minTime <= end && maxTime >= start
    }

    /// Appends a native histogram sample. Within the out-of-order window an
    /// older one is inserted in place; the same timestamp twice is a
    /// duplicate when the histogram is the same, else refused.
    mutating func append(_ sample: HistogramSample, outOfOrderWindow: Int64) -> AppendOutcome {
        let newest = maxTime
        if sample.timestamp > newest || newest == Int64.min {
            histograms.append(sample)
            minTime = min(minTime, sample.timestamp)
            return .appended
        }
        var low = 0, high = histograms.count
        while low < high {
            let mid = (low + high) / 2
            if histograms[mid].timestamp < sample.timestamp { low = mid + 1 } else { high = mid }
        }
        if low < histograms.count, histograms[low].timestamp == sample.timestamp {
            return histograms[low].histogram.isIdentical(to: sample.histogram) ? .duplicate : .rejected(.duplicateTimestamp)
        }
        if sample.timestamp == last?.timestamp { return .rejected(.duplicateTimestamp) }
        guard outOfOrderWindow > 0 else { return .rejected(.outOfOrder) }
        let (oldest, overflow) = newest.subtractingReportingOverflow(outOfOrderWindow)
        guard overflow || sample.timestamp >= oldest else { return .rejected(.tooOld) }
        histograms.insert(sample, at: low)
        minTime = min(minTime, sample.timestamp)
        return .appended
    }

    /// Drops what lies before `boundary` once a block holds it: closed chunks
    /// that end before it and out-of-order samples before it. A chunk that
    /// straddles the boundary stays (reads merge away the overlap). Returns
    /// false when nothing at or after the boundary is left.
    mutating func truncate(before boundary: Int64) -> Bool {
        guard maxTime >= boundary else { return false }
        closedChunks.removeAll { $0.maxTime < boundary }
        outOfOrder.removeAll { $0.timestamp < boundary }
        histograms.removeAll { $0.timestamp < boundary }
        let floatMin = last == nil ? Int64.max : (closedChunks.first?.minTime ?? openChunk.minTime)
        minTime = min(floatMin, outOfOrder.first?.timestamp ?? Int64.max, histograms.first?.timestamp ?? Int64.max)
        return true
    }

    /// What a reader needs, copied so decoding happens outside the head's lock.
    func snapshot() -> HeadSeriesSnapshot {
        var chunks = closedChunks
        if openChunk.count > 0 { chunks.append(HeadChunk(chunk: openChunk.chunk, minTime: openChunk.minTime, maxTime: openChunk.maxTime)) }
        return HeadSeriesSnapshot(labels: labels, chunks: chunks, outOfOrder: outOfOrder, histograms: histograms)
    }
}

/// A closed or snapshotted chunk with its time bounds, so reads skip chunks
/// outside their range without decoding them.
struct HeadChunk: Sendable {
    let chunk: XORChunk
    let minTime: Int64
    let maxTime: Int64
}

/// A histogram chunk with its time bounds (the block's counterpart of ``HeadChunk``).
struct HeadHistogramChunk: Sendable {
    let chunk: HistogramChunk
    let minTime: Int64
    let maxTime: Int64
}

/// A series' chunks as they were when a query looked: immutable, decodable without locks.
struct HeadSeriesSnapshot: Sendable {
    let labels: SeriesLabels
    let chunks: [HeadChunk]
    let outOfOrder: [Sample]
    let histograms: [HistogramSample]

    /// Histogram samples in `[start, end]`, in time order.
    func histograms(start: Int64, end: Int64) -> [HistogramSample] {
        guard !histograms.isEmpty else { return [] }
        return histograms.filter { $0.timestamp >= start && $0.timestamp <= end }
    }

    /// Samples in `[start, end]` in time order, out-of-order ones merged in.
    func samples(start: Int64, end: Int64) throws(XORChunkError) -> [Sample] {
        var inOrder: [Sample] = []
        // Sized once: growing the array while decoding was a tenth of a head query's time.
        var capacity = 0
        for chunk in chunks where chunk.minTime <= end && chunk.maxTime >= start { capacity += chunk.chunk.count }
        inOrder.reserveCapacity(capacity)
        for chunk in chunks where chunk.minTime <= end && chunk.maxTime >= start {
            try chunk.chunk.append(into: &inOrder, start: start, end: end)
        }
        let late = outOfOrder.filter { $0.timestamp >= start && $0.timestamp <= end }
        guard !late.isEmpty else { return inOrder }
        return HeadSeriesSnapshot.merge(inOrder, late)
    }

    /// Merges two time-sorted lists; on equal timestamps the in-order sample wins.
    static func merge(_ a: [Sample], _ b: [Sample]) -> [Sample] {
        var merged: [Sample] = []
        merged.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].timestamp <= b[j].timestamp) {
                if j < b.count, a[i].timestamp == b[j].timestamp { j += 1 }
                merged.append(a[i]); i += 1
            } else {
                merged.append(b[j]); j += 1
            }
        }
        return merged
    }
}
