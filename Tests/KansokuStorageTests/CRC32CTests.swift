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

    @Test("the CPU instructions and the lookup tables agree on every length and alignment, from any start value")
    func hardwareMatchesTables() {
        // Long buffers are checksummed in three interleaved lanes of 4 KiB: cover
        // one block, several, and the bytes around their edges.
        let data = WALTestKit.pseudoRandomBytes(count: 60_000, seed: 11)
        let block = 3 * 4096
        data.withUnsafeBytes { bytes in
            for start in 0..<9 {
                for length in Array(0...80) + [255, 256, 1000, 4096, block - 1, block, block + 1, block + 7, block + 8,
                                               2 * block - 1, 2 * block, 2 * block + 9, 59_991 - start] {
                    let part = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])
                    #expect(CRC32C.update(0, with: part) == CRC32C.softwareUpdate(0, with: part), "start \(start) length \(length)")
                    #expect(CRC32C.update(0x1234_5678, with: part) == CRC32C.softwareUpdate(0x1234_5678, with: part))
                }
            }
        }
        #expect(CRC32C.softwareUpdate(0, with: UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32C.softwareUpdate(0, with: $0) } == 0xE306_9283)
    }
}
