import KansokuModel
import NIOPosix
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
/// `maxLabelBytes` are never kept, and a table empties when it holds
/// `capacity` of them. The label sets live in one table under a lock, and
/// each thread keeps its own copy of the entries it has used, read without
/// any lock: decoding threads looking up every sample's series in one locked
/// table spent more time waiting on each other than decoding.
final class RemoteWriteLabelCache: Sendable {
    let capacity: Int
    let maxLabelBytes: Int
    private let shared = Mutex(Table())
    private let local = ThreadSpecificVariable<ThreadTable>()

    init(capacity: Int = 100_000, maxLabelBytes: Int = 4096) {
        self.capacity = capacity
        self.maxLabelBytes = maxLabelBytes
    }

    /// The label set decoded before from exactly these label bytes, if any.
    func labels(for bytes: UnsafeRawBufferPointer) -> SeriesLabels? {
        guard bytes.count <= maxLabelBytes else { return nil }
        let hash = LabelBytesHash.hash(bytes)
        let mine = threadTable()
        if let slot = mine.table.slot(hash, bytes) { return mine.table.labels[slot] }
        guard let (found, storedBytes) = shared.withLock({ table in
            table.slot(hash, bytes).map { (table.labels[$0], table.bytes[$0]) }
        }) else { return nil }
        mine.table.insert(found, bytes: storedBytes, hash: hash, capacity: capacity)
        return found
    }

    /// Remembers that `bytes` decode to the valid label set `labels`.
    func insert(_ labels: SeriesLabels, for bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= maxLabelBytes else { return }
        let hash = LabelBytesHash.hash(bytes)
        let copy = Array(bytes)
        shared.withLock { $0.insert(labels, bytes: copy, hash: hash, capacity: capacity) }
        threadTable().table.insert(labels, bytes: copy, hash: hash, capacity: capacity)
    }

    /// How many label sets are cached (for tests).
    var count: Int { shared.withLock { $0.labels.count } }

    private func threadTable() -> ThreadTable {
        if let mine = local.currentValue { return mine }
        let mine = ThreadTable()
        local.currentValue = mine
        return mine
    }

    /// Entries in parallel arrays, so a lookup copies nothing out of the
    /// table but what it returns.
    private struct Table {
        /// Index into `bytes` and `labels` by ``LabelBytesHash`` of the bytes.
        var slots = FingerprintTable()
        var bytes: [[UInt8]] = []
        var labels: [SeriesLabels] = []

        /// The slot holding exactly `bytes`, if any.
        func slot(_ hash: UInt64, _ bytes: UnsafeRawBufferPointer) -> Int? {
            guard let slot = slots[hash].map(Int.init),
                  self.bytes[slot].withUnsafeBytes({ RemoteWriteDecodingState.equal($0, bytes) }) else { return nil }
            return slot
        }

        mutating func insert(_ labels: SeriesLabels, bytes: [UInt8], hash: UInt64, capacity: Int) {
            if let slot = slots[hash].map(Int.init) {
                // The same bytes again, or a colliding hash: the newer entry wins; lookups check the bytes.
                self.bytes[slot] = bytes
                self.labels[slot] = labels
                return
            }
            if self.labels.count >= capacity { self = Table() }
            slots.set(hash, UInt32(self.labels.count))
            self.bytes.append(bytes)
            self.labels.append(labels)
        }
    }

    /// One thread's table. Only the thread that created it reads or writes
    /// it (``ThreadSpecificVariable``), hence no lock.
    private final class ThreadTable: @unchecked Sendable {
        var table = Table()
    }
}
