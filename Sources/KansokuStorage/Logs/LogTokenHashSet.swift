/// A set of token hashes (already well mixed, ``LogTokenizer``), open
/// addressing with linear probing: the block writer inserts every token of
/// every line, and a general-purpose `Set` would hash each hash again.
/// The value 0 marks an empty slot, so a zero hash is stored as 1 (one more
/// Bloom-filter false positive in 2⁶⁴, never a missed token: queries hash the
/// same way through ``LogChunkFilters``).
struct LogTokenHashSet {
    private var slots: [UInt64]
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
    }

    /// The stored form of `hash`.
    @inline(__always)
    static func key(_ hash: UInt64) -> UInt64 { hash == 0 ? 1 : hash }

    mutating func insert(_ hash: UInt64) {
        let key = Self.key(hash)
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: key) & mask
        while true {
            let slot = slots[index]
            if slot == key { return }
            if slot == 0 { break }
            index = (index + 1) & mask
        }
        slots[index] = key
        count += 1
        if count * 2 > slots.count { grow() }
    }

    /// Calls `body` with every stored hash.
    func forEach(_ body: (UInt64) -> Void) {
        for slot in slots where slot != 0 { body(slot) }
    }

    /// Empties the set, keeping its storage.
    mutating func removeAll() {
        guard count > 0 else { return }
        for i in slots.indices { slots[i] = 0 }
        count = 0
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        count = 0
        for slot in old where slot != 0 { insert(slot) }
    }
}
