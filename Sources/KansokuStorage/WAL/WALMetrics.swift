import Metrics

/// The log's metrics, all labelled with the signal so the three logs can be told apart.
struct WALMetrics: Sendable {
    /// Records made durable.
    let records: Counter
    /// Bytes made durable, frame headers included (what actually hits the disk).
    let bytes: Counter
    /// Time spent in each `fdatasync`: the floor of append latency.
    let fsyncDuration: Metrics.Timer
    /// Segment files currently on disk.
    let segments: Meter

    init(signal: String) {
        let dimensions = [("signal", signal)]
        records = Counter(label: "kansoku_wal_records_total", dimensions: dimensions)
        bytes = Counter(label: "kansoku_wal_bytes_total", dimensions: dimensions)
        fsyncDuration = Metrics.Timer(label: "kansoku_wal_fsync_duration_seconds", dimensions: dimensions,
                                      preferredDisplayUnit: .seconds)
        segments = Meter(label: "kansoku_wal_segments", dimensions: dimensions)
    }
}
