/// Reads bits, most significant first, from a byte array without ever
/// reading past its end.
///
/// Reads past the end do not trap or throw: they yield zero bits and set
/// `overran`, which stays set. A decoder reads a whole record and then checks
/// `overran` once, which keeps the per-field path free of error handling
/// while damaged input still ends in an error instead of a crash.
struct BitStreamReader: Sendable {
    private let storage: [UInt8]
    /// Offset of the next bit to read, from the start of `storage`.
    private(set) var bitOffset: Int
    /// Total number of readable bits.
    let bitCount: Int
    /// Whether any read asked for bits beyond `bitCount`.
    private(set) var overran = false

    /// A reader over `bytes` starting at bit `bitOffset`.
    init(_ bytes: [UInt8], bitOffset: Int = 0) {
        storage = bytes
        self.bitOffset = bitOffset
        bitCount = bytes.count &* 8
    }

    /// Bits not yet read (negative once the reader overran).
    var remainingBits: Int { bitCount &- bitOffset }

    /// The 64 bits starting at byte `bitOffset / 8`, shifted so the bit at
    /// `bitOffset` is the most significant: at least 57 meaningful bits, with
    /// zeros standing in for anything beyond the end.
    @inline(__always)
    private func window() -> UInt64 {
        let byteIndex = bitOffset &>> 3
        let shift = UInt64(bitOffset & 7)
        let count = storage.count
        if byteIndex &+ 8 <= count {
            let word = storage.withUnsafeBytes {
                $0.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self)
            }
            return UInt64(bigEndian: word) &<< shift
        }
        return slowWindow(byteIndex: byteIndex, shift: shift)
    }

    // Near the end: assemble the word byte by byte, zero-padded.
    private func slowWindow(byteIndex: Int, shift: UInt64) -> UInt64 {
        var word: UInt64 = 0
        for step in 0..<8 {
            let index = byteIndex &+ step
            guard index < storage.count else { break }
            word |= UInt64(storage[index]) &<< UInt64(56 &- 8 &* step)
        }
        return word &<< shift
    }

    /// The next `count` bits (`0...56`) without consuming them; zeros past the end.
    @inline(__always)
    func peekBits(_ count: Int) -> UInt64 {
        // Two shifts so that `count == 0` yields 0 rather than the whole word.
        (window() &>> 1) &>> UInt64(63 &- count)
    }

    /// Consumes `count` bits that were already peeked.
    @inline(__always)
    mutating func skipBits(_ count: Int) {
        bitOffset &+= count
        if bitOffset > bitCount { overran = true }
    }

    /// Reads one bit.
    @inline(__always)
    mutating func readBit() -> Bool {
        let bit = window() &>> 63
        skipBits(1)
        return bit != 0
    }

    /// Reads `count` bits (`0...64`) as the low bits of the result.
    @inline(__always)
    mutating func readBits(_ count: Int) -> UInt64 {
        if count <= 56 {
            let bits = peekBits(count)
            skipBits(count)
            return bits
        }
        // A window only guarantees 57 bits; split wide reads in two.
        let high = peekBits(count &- 32)
        skipBits(count &- 32)
        let low = peekBits(32)
        skipBits(32)
        return (high &<< 32) | low
    }

    /// Reads eight bits; need not be byte-aligned.
    @inline(__always)
    mutating func readByte() -> UInt8 {
        UInt8(truncatingIfNeeded: readBits(8))
    }
}

extension BitStreamReader {
    /// Reads an unsigned LEB128 varint (as Go's `binary.PutUvarint` writes
    /// it); `nil` if it runs past 10 bytes or overflows 64 bits.
    mutating func readUVarint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0..<10 {
            let byte = readByte()
            // The tenth byte may only contribute the single top bit.
            if index == 9, byte > 1 { return nil }
            result |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { return result }
            shift &+= 7
        }
        return nil
    }

    /// Reads a zigzag-encoded signed varint (Go's `binary.PutVarint`).
    mutating func readVarint() -> Int64? {
        guard let zigzag = readUVarint() else { return nil }
        let magnitude = Int64(bitPattern: zigzag &>> 1)
        return zigzag & 1 == 0 ? magnitude : ~magnitude
    }
}
