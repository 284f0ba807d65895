import KansokuModel

/// Reads merge the blocks that overlap the asked range with the head. A
/// series may be in several places (a chunk straddling a cut is in both a
/// block and the head): its samples are merged by time, equal timestamps
/// once.
extension EmbeddedMetricStore {
    public func select(_ matchers: [SeriesMatcher], start: Int64, end: Int64) throws -> [SeriesSamples] {
        let overlapping = blocks.overlapping(start: start, end: end)
        let snapshots = head.snapshots(matchers, start: start, end: end)
        // One block and nothing in the head (a past range): the block's answer is already sorted and merged.
        if overlapping.count == 1, snapshots.isEmpty {
            return try overlapping[0].select(matchers, start: start, end: end)
        }
        let decoded = try HeadSnapshotDecoder.decode(snapshots, start: start, end: end)
        // Only the head (recent data): its series are distinct, so nothing needs merging.
        if overlapping.isEmpty {
            var found: [SeriesSamples] = []
            found.reserveCapacity(snapshots.count)
            for (snapshot, values) in zip(snapshots, decoded) where !values.samples.isEmpty || !values.histograms.isEmpty {
                found.append(SeriesSamples(labels: snapshot.labels, samples: values.samples, histograms: values.histograms))
            }
            return Self.sortedByLabels(found)
        }
        var merged: [SeriesLabels: [Sample]] = [:]
        // Native histograms are rare next to floats: a second map, filled only when there are some.
        var histograms: [SeriesLabels: [HistogramSample]] = [:]
        for block in overlapping {
            for series in try block.select(matchers, start: start, end: end) {
                merged[series.labels] = MetricBlockCompactor.mergeSamples(merged[series.labels] ?? [], series.samples)
                if !series.histograms.isEmpty {
                    histograms[series.labels] = MetricBlockCompactor.mergeSamples(histograms[series.labels] ?? [], series.histograms)
                }
            }
        }
        for (snapshot, values) in zip(snapshots, decoded) {
            let samples = values.samples
            let recent = values.histograms
            if !recent.isEmpty {
                histograms[snapshot.labels] = MetricBlockCompactor.mergeSamples(histograms[snapshot.labels] ?? [], recent)
                if merged[snapshot.labels] == nil { merged[snapshot.labels] = [] }
            }
            guard !samples.isEmpty else { continue }
            merged[snapshot.labels] = MetricBlockCompactor.mergeSamples(merged[snapshot.labels] ?? [], samples)
        }
        return Self.sortedByLabels(merged.map { SeriesSamples(labels: $0.key, samples: $0.value, histograms: histograms[$0.key] ?? []) })
    }

    /// `series` in label order. Sorts positions, then moves each series once:
    /// sorting the series themselves moved three arrays per swap, and the
    /// reference counting of those moves cost more than the comparisons.
    static func sortedByLabels(_ series: [SeriesSamples]) -> [SeriesSamples] {
        let order = series.indices.sorted { series[$0].labels < series[$1].labels }
        return order.map { series[$0] }
    }

    public func series(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) throws -> [SeriesLabels] {
        var found = Set(head.labelSets(selectors, start: start, end: end))
        for block in blocks.overlapping(start: start, end: end) {
            found.formUnion(block.series(selectors: selectors, start: start, end: end))
        }
        return found.sorted()
    }

    public func labelNames(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) throws -> [String] {
        var names = head.labelNames(selectors, start: start, end: end)
        for block in blocks.overlapping(start: start, end: end) {
            names.formUnion(block.labelNames(selectors: selectors, start: start, end: end))
        }
        return names.sorted()
    }

    public func labelValues(_ name: String, _ selectors: [[SeriesMatcher]], start: Int64, end: Int64) throws -> [String] {
        var values = head.labelValues(name, selectors, start: start, end: end)
        for block in blocks.overlapping(start: start, end: end) {
            values.formUnion(block.labelValues(name: name, selectors: selectors, start: start, end: end))
        }
        return values.sorted()
    }
}
