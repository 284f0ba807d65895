/// A hash table from 64-bit fingerprints (already well mixed, such as
/// ``LabelBytesHash`` values) to 32-bit values (series references, table
/// indices): open addressing with linear probing, slots chosen by the
/// fingerprint's own top bits (a product's best-mixed ones), each slot's key
/// and value side by side so a lookup touches one cache line. `Dictionary`
/// would hash the fingerprint again with SipHash, and its two lookups per
/// remote-written sample showed in ingest profiles.
///
/// A fingerprint maps to at most one value; telling apart different keys
/// with equal fingerprints is the caller's business. Not generic, so that
/// callers in other modules need no runtime generic metadata per lookup.
public struct FingerprintTable: Sendable {
    private struct Slot {
        var key: UInt64 = 0
        var value: UInt32 = 0
        var used = false
    }

    private var slots = [Slot](repeating: Slot(), count: 16)
    /// 64 minus log2 of the slot count: a fingerprint's slot is its top bits.
    private var shift: UInt64 = 60
    /// Slots in use.
    public private(set) var count = 0

    /// An empty table.
    public init() {}

    /// The value stored under `fingerprint`, if any.
    public subscript(fingerprint: UInt64) -> UInt32? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count &- 1
            var index = Int(truncatingIfNeeded: fingerprint &>> shift)
            while slots[index].used {
                if slots[index].key == fingerprint { return slots[index].value }
                index = (index &+ 1) & mask
            }
            return nil
        }
    }

    /// Stores `value` under `fingerprint`, replacing what was there.
    public mutating func set(_ fingerprint: UInt64, _ value: UInt32) {
        // At most half full, so probes stay short and an empty slot always ends them.
        if (count &+ 1) &* 2 > slots.count { grow() }
        let mask = slots.count &- 1
        var index = Int(truncatingIfNeeded: fingerprint &>> shift)
        while slots[index].used {
            if slots[index].key == fingerprint {
                slots[index].value = value
                return
            }
            index = (index &+ 1) & mask
        }
        slots[index] = Slot(key: fingerprint, value: value, used: true)
        count &+= 1
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count &* 2)
        shift -= 1
        count = 0
        for slot in old where slot.used { set(slot.key, slot.value) }
    }
}
