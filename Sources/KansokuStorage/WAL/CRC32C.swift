import CIsal

/// CRC-32C (Castagnoli, reflected polynomial `0x82F63B78`), the checksum that
/// frames every write-ahead-log record.
///
/// It runs on every append and every replayed record, so it goes through
/// Intel's ISA-L (`crc32_iscsi`, Debian's libisal-dev), which uses the CPU's
/// CRC-32C instructions when there are any. ``softwareUpdate(_:with:)`` keeps
/// a slicing-by-8 version (eight 256-entry tables fold eight input bytes per
/// iteration) as the reference the library is tested against.
///
/// `CRC32C.checksum("123456789".utf8)` is `0xE3069283`.
public enum CRC32C {
    /// The eight lookup tables, flattened: table `k` occupies `k*256 ..< (k+1)*256`.
    /// Table 0 is the classic byte-at-a-time table; table `k` advances a byte
    /// value through `k` further zero bytes, which is what lets eight bytes be
    /// folded independently and XOR-ed together.
    private static let tables: [UInt32] = {
        let polynomial: UInt32 = 0x82F6_3B78
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1
            }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            var crc = tables[byte]
            for table in 1..<8 {
                crc = (crc >> 8) ^ tables[Int(crc & 0xFF)]
                tables[table * 256 + byte] = crc
            }
        }
        return tables
    }()

    /// The CRC-32C of `bytes`.
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, with: bytes)
    }

    /// The CRC-32C of `bytes`.
    @inlinable
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The CRC-32C of `bytes` (for example `"abc".utf8` or an `ArraySlice`).
    @inlinable
    public static func checksum<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        if let crc = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0)) }) {
            return crc
        }
        return checksum(Array(bytes))
    }

    /// Extends a checksum: `update(checksum(a), with: b) == checksum(a + b)`.
    /// Pass `0` as `crc` to start a new checksum.
    public static func update(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        // ISA-L picks the CPU's instructions at run time; it takes an `int` length.
        var state = ~crc
        var offset = 0
        while offset < bytes.count {
            let length = min(bytes.count - offset, 1 << 30)
            state = crc32_iscsi(UnsafeMutablePointer(mutating: base.advanced(by: offset).assumingMemoryBound(to: UInt8.self)),
                                Int32(length), state)
            offset += length
        }
        return ~state
    }

    /// ``update(_:with:)`` with the lookup tables only (the reference the
    /// library is tested against).
    public static func softwareUpdate(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return tables.withUnsafeBufferPointer { table in
            var crc = ~crc
            var cursor = base
            let wordsEnd = base + (bytes.count & ~7)
            let end = base + bytes.count
            // Eight bytes per round; loads are unaligned because records sit
            // at arbitrary offsets in the segment buffer.
            while cursor < wordsEnd {
                let word = UInt64(littleEndian: cursor.loadUnaligned(as: UInt64.self)) ^ UInt64(crc)
                crc = table[7 * 256 + Int(word & 0xFF)]
                    ^ table[6 * 256 + Int((word >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((word >> 16) & 0xFF)]
                    ^ table[4 * 256 + Int((word >> 24) & 0xFF)]
                    ^ table[3 * 256 + Int((word >> 32) & 0xFF)]
                    ^ table[2 * 256 + Int((word >> 40) & 0xFF)]
                    ^ table[1 * 256 + Int((word >> 48) & 0xFF)]
                    ^ table[Int(word >> 56)]
                cursor += 8
            }
            while cursor < end {
                crc = table[Int((crc ^ UInt32(cursor.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
                cursor += 1
            }
            return ~crc
        }
    }
}
