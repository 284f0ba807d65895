import KansokuModel
import Synchronization

/// Decoded label sets by the bytes of their `labels` fields, shared by the
/// requests a receiver decodes. A sender writes the same series in every
/// request, labels encoded the same way each time, and one sample per series
/// is usual: building the label strings again for every sample was about a
/// fifth of remote-write ingest. A label set from here is also the very same
/// storage the head keeps as its key, so the head's lookup compares nothing
/// but a hash and a pointer.
///
/// Holds only label sets that were valid. Bounded: label bytes longer than
/// `maxLabelBytes` are never kept, and a shard empties when it holds its
/// share of `capacity`. Sharded by hash so concurrent requests seldom wait
/// on each other.
final class RemoteWriteLabelCache: Sendable {
    let capacity: Int
    let maxLabelBytes: Int
    private let shards: [Shard]
    private static let shardCount = 16

    /// A class, so a lookup copies one reference out of the table, not an
    /// array and a label set (each a reference count touched by every core).
    private final class Entry: Sendable {
        let bytes: [UInt8]
        let labels: SeriesLabels
        init(bytes: [UInt8], labels: SeriesLabels) {
            self.bytes = bytes
            self.labels = labels
        }
    }

    private final class Shard: Sendable {
        let table = Mutex<[UInt64: Entry]>([:])
    }

    init(capacity: Int = 100_000, maxLabelBytes: Int = 4096) {
        self.capacity = capacity
        self.maxLabelBytes = maxLabelBytes
        shards = (0..<Self.shardCount).map { _ in Shard() }
    }

    /// The label set decoded before from exactly these label bytes, if any.
    func labels(for bytes: UnsafeRawBufferPointer) -> SeriesLabels? {
        guard bytes.count <= maxLabelBytes else { return nil }
        let hash = LabelBytesHash.hash(bytes)
        guard let entry = shard(hash).table.withLock({ $0[hash] }), entry.bytes.count == bytes.count,
              entry.bytes.withUnsafeBytes({ RemoteWriteDecodingState.equal($0, bytes) }) else { return nil }
        return entry.labels
    }

    /// Remembers that `bytes` decode to the valid label set `labels`.
    func insert(_ labels: SeriesLabels, for bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= maxLabelBytes else { return }
        let hash = LabelBytesHash.hash(bytes)
        let entry = Entry(bytes: Array(bytes), labels: labels)
        let shareOfCapacity = max(1, capacity / Self.shardCount)
        shard(hash).table.withLock { table in
            if table.count >= shareOfCapacity { table.removeAll(keepingCapacity: true) }
            // A colliding hash replaces the older entry; lookups check the bytes.
            table[hash] = entry
        }
    }

    /// How many label sets are cached (for tests).
    var count: Int { shards.reduce(0) { total, shard in total + shard.table.withLock { $0.count } } }

    private func shard(_ hash: UInt64) -> Shard {
        shards[Int(truncatingIfNeeded: hash >> 60) & (Self.shardCount - 1)]
    }
}
