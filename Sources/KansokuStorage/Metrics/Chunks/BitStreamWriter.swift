/// Appends bits, most significant first, to a growing buffer.
///
/// Bits collect in a 64-bit word and move to `words` eight bytes at a time,
/// so the common write is a shift and an or, and a full word is one append
/// of an integer (appending its eight bytes to a byte array was a twentieth
/// of remote-write ingest).
struct BitStreamWriter: Sendable {
    /// Whole 64-bit words written so far (not including the bits still in `pending`).
    private var words: [UInt64]
    /// The last `pendingCount` bits written, right-aligned; higher bits are zero.
    private var pending: UInt64 = 0
    /// How many bits `pending` holds, always in `0..<64`.
    private var pendingCount: Int = 0

    /// An empty stream with room for `capacity` bytes before the first reallocation.
    init(reservingCapacity capacity: Int = 128) {
        words = []
        words.reserveCapacity((capacity &+ 7) / 8)
    }

    /// Number of bits written so far.
    var bitCount: Int { words.count &* 64 &+ pendingCount }

    /// Appends one bit.
    @inline(__always)
    mutating func writeBit(_ bit: Bool) {
        writeBits(bit ? 1 : 0, count: 1)
    }

    /// Appends one byte (eight bits); need not be byte-aligned.
    @inline(__always)
    mutating func writeByte(_ byte: UInt8) {
        writeBits(UInt64(byte), count: 8)
    }

    /// Appends the low `count` bits of `value`, most significant first.
    ///
    /// - Parameter count: `0...64`; bits of `value` above `count` are ignored.
    @inline(__always)
    mutating func writeBits(_ value: UInt64, count: Int) {
        assert(count >= 0 && count <= 64, "bit count \(count) out of range")
        // `&<<`/`&>>` mask the shift amount, so the `count == 64` and
        // `count == 0` cases are handled without extra branches below.
        let bits = count == 64 ? value : value & ((1 &<< UInt64(count)) &- 1)
        let free = 64 &- pendingCount  // 1...64
        if count < free {
            // `count < 64` here, and `pending` has room: just shift in.
            pending = (pending &<< UInt64(count)) | bits
            pendingCount &+= count
            return
        }
        // Fill the word with the top `free` bits, flush it, keep the rest.
        let rest = count &- free  // 0..<64
        // When `free == 64` the word is empty (`pending == 0`), so the masked
        // shift by 0 still yields 0.
        let word = (pending &<< UInt64(free)) | (bits &>> UInt64(rest))
        flush(word)
        pending = bits & ((1 &<< UInt64(rest)) &- 1)
        pendingCount = rest
    }

    @inline(__always)
    private mutating func flush(_ word: UInt64) {
        words.append(word)
    }

    /// Everything written so far, the last byte zero-padded on the right.
    ///
    /// Copies; the writer keeps its own storage so appending can go on.
    func bytes() -> [UInt8] {
        let tailBytes = (pendingCount &+ 7) >> 3
        var out = [UInt8]()
        out.reserveCapacity(words.count &* 8 &+ tailBytes)
        for word in words {
            withUnsafeBytes(of: word.bigEndian) { out.append(contentsOf: $0) }
        }
        if tailBytes > 0 {
            // Left-align the pending bits so they read first, then emit whole bytes.
            let aligned = pending &<< UInt64(64 &- pendingCount)
            for index in 0..<tailBytes {
                out.append(UInt8(truncatingIfNeeded: aligned &>> UInt64(56 &- 8 &* index)))
            }
        }
        return out
    }
}

extension BitStreamWriter {
    /// Appends an unsigned LEB128 varint (Go's `binary.PutUvarint`).
    mutating func writeUVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            writeByte(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest &>>= 7
        }
        writeByte(UInt8(truncatingIfNeeded: rest))
    }

    /// Appends a zigzag-encoded signed varint (Go's `binary.PutVarint`), so
    /// small negative numbers stay short.
    mutating func writeVarint(_ value: Int64) {
        let zigzag = UInt64(bitPattern: value &<< 1) ^ UInt64(bitPattern: value &>> 63)
        writeUVarint(zigzag)
    }
}
