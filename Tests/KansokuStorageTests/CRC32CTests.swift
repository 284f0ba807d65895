import Testing
import KansokuStorage

@Suite("CRC32C")
struct CRC32CTests {
    /// Bit-at-a-time reference, to check the table-driven implementation against.
    static func referenceCRC(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test("known answers (iSCSI / RFC 3720 test vectors)")
    func knownAnswers() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum("123456789".utf8) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
        #expect(CRC32C.checksum(Array("a".utf8)) == 0xC1D0_4330)
    }

    @Test("matches the bitwise reference for every length and alignment up to 70 bytes")
    func matchesReference() {
        let data = WALTestKit.pseudoRandomBytes(count: 80, seed: 42)
        for start in 0..<8 {
            for length in 0...70 {
                let slice = Array(data[start..<(start + length)])
                #expect(CRC32C.checksum(slice) == Self.referenceCRC(slice), "start \(start) length \(length)")
                #expect(CRC32C.checksum(data[start..<(start + length)]) == Self.referenceCRC(slice))
            }
        }
    }

    @Test("update continues a checksum across splits")
    func incremental() {
        let data = WALTestKit.pseudoRandomBytes(count: 1000, seed: 7)
        let whole = CRC32C.checksum(data)
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let crc = data.withUnsafeBytes { bytes in
                CRC32C.update(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[..<split])),
                              with: UnsafeRawBufferPointer(rebasing: bytes[split...]))
            }
            #expect(crc == whole, "split at \(split)")
        }
    }
}
