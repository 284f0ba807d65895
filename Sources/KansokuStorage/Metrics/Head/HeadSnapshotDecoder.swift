import KansokuModel

/// Decodes the chunks of many head series for one query on every core.
///
/// A query that selects thousands of series spends most of its storage time
/// decoding XOR chunks, one series at a time and independent of the others:
/// split into contiguous parts (``ParallelParts``), a range query on a
/// two-core machine reads its head data in about half the time. Results
/// keep the snapshots' order.
enum HeadSnapshotDecoder {
    /// What one series holds in the asked range.
    struct Decoded: Sendable {
        var samples: [Sample]
        var histograms: [HistogramSample]
    }

    /// Series per part below which a thread costs more than it saves.
    static let minimumSeriesPerPart = 128

    /// Each snapshot's samples and histograms in `[start, end]`, in snapshot order.
    static func decode(_ snapshots: [HeadSeriesSnapshot], start: Int64, end: Int64) throws(XORChunkError) -> [Decoded] {
        let parts = try ParallelParts.map(count: snapshots.count, minimumPerPart: minimumSeriesPerPart) {
            range throws(XORChunkError) in
            var decoded: [Decoded] = []
            decoded.reserveCapacity(range.count)
            for index in range {
                let snapshot = snapshots[index]
                decoded.append(Decoded(samples: try snapshot.samples(start: start, end: end),
                                       histograms: snapshot.histograms(start: start, end: end)))
            }
            return decoded
        }
        return parts.count == 1 ? parts[0] : Array(parts.joined())
    }
}
