import KansokuModel

/// The newest exemplars of all series in one fixed-size circular buffer, as
/// Prometheus keeps them: old exemplars fall out as new ones arrive, so the
/// memory they take is bounded whatever the traffic.
struct ExemplarRing: Sendable {
    private var entries: [(ref: UInt32, exemplar: SeriesExemplar)] = []
    private var next = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func add(_ exemplar: SeriesExemplar, ref: UInt32) {
        guard capacity > 0 else { return }
        if entries.count < capacity {
            entries.append((ref, exemplar))
        } else {
            entries[next] = (ref, exemplar)
        }
        next = (next + 1) % capacity
    }

    /// Renumbers series references after the head drops series; entries whose
    /// series is gone (`transform` returns nil) are removed.
    mutating func remap(_ transform: (UInt32) -> UInt32?) {
        let ordered = entries.count < capacity ? Array(entries) : Array(entries[next...] + entries[..<next])
        entries = ordered.compactMap { entry in transform(entry.ref).map { ($0, entry.exemplar) } }
        next = entries.count % max(capacity, 1)
    }

    /// Exemplars of `refs` in `[start, end]`, grouped by series reference, oldest first.
    func exemplars(of refs: Set<UInt32>, start: Int64, end: Int64) -> [UInt32: [SeriesExemplar]] {
        var found: [UInt32: [SeriesExemplar]] = [:]
        let ordered = entries.count < capacity ? entries[...] : entries[next...] + entries[..<next]
        for entry in ordered where refs.contains(entry.ref) {
            let t = entry.exemplar.timestamp
            if t >= start, t <= end { found[entry.ref, default: []].append(entry.exemplar) }
        }
        return found
    }
}
