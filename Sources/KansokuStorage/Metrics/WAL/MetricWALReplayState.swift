import KansokuModel

/// What replaying the metrics WAL knows so far: the series each logged id
/// stands for (from the checkpoint and definitions already read), the
/// largest id seen, and counts for the replay summary.
struct MetricWALReplayState {
    enum Entry {
        /// Defined, not yet needed by the head.
        case labels(SeriesLabels)
        /// The head series it resolved to (head references are stable during replay).
        case ref(UInt32)
    }

    var known: [UInt64: Entry] = [:]
    var maxWALID: UInt64 = 0
    /// Samples not replayed because blocks hold them (or the head refused them again).
    var skipped = 0
    /// Samples and exemplars of ids no definition names, which blocks do not explain.
    var lostSamples = 0
    var lostExemplars = 0

    mutating func noteID(_ id: UInt64) {
        if id > maxWALID { maxWALID = id }
    }

    mutating func define(_ definition: MetricWALRecord.Definition) {
        noteID(definition.walID)
        // A repeated definition (written while the first was not yet durable) changes nothing.
        if case .ref = known[definition.walID] { return }
        known[definition.walID] = .labels(definition.labels)
    }
}
