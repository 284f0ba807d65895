import Testing
@testable import KansokuStorage

@Suite("WriteAheadLog records larger than the read buffer")
struct WALLargeRecordTests {
    /// Small records first put the reader's cursor mid-buffer; the large one
    /// then forces the buffer to slide and grow. This once read past the buffer.
    @Test("a record over the 1 MiB read chunk after small ones reads back intact")
    func largeRecordAfterSmallOnes() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let large = WALTestKit.pseudoRandomBytes(count: SegmentReader.chunkSize + 12_345, seed: 7)
            let payloads = [WALTestKit.payload(1), WALTestKit.payload(2, size: 700_000), large, WALTestKit.payload(3)]
            let log = try WALTestKit.open(dir)
            _ = try await WALTestKit.appendAndClose(log, payloads)

            let reopened = try WALTestKit.open(dir)
            #expect(reopened.repairReport.isClean)
            #expect(try reopened.allRecords().map(\.payload) == payloads)
            await reopened.close()
        }
    }

    /// Records over half the read buffer that are not buffered yet are read
    /// straight into their payload; damage to them must still be found.
    static func seedLarge(_ dir: String) async throws -> (positions: [WALPosition], payloads: [[UInt8]]) {
        let payloads = [WALTestKit.payload(1), WALTestKit.pseudoRandomBytes(count: 900_000, seed: 3),
                        WALTestKit.pseudoRandomBytes(count: 3 * SegmentReader.chunkSize, seed: 5), WALTestKit.payload(2)]
        let log = try WALTestKit.open(dir)
        return (try await WALTestKit.appendAndClose(log, payloads), payloads)
    }

    @Test("a flipped byte in the unbuffered part of a large record drops it and the rest of the segment")
    func corruptLargeRecord() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let (positions, payloads) = try await Self.seedLarge(dir)
            let path = WALTestKit.segmentPath(dir, 1)
            var bytes = try WALTestKit.readFile(path)
            bytes[Int(positions[2].offset) + 2 * SegmentReader.chunkSize] ^= 0x10
            try WALTestKit.writeFile(path, bytes)

            let log = try WALTestKit.open(dir)
            #expect(try log.allRecords().map(\.payload) == Array(payloads[0..<2]))
            let cut = try #require(log.repairReport.truncations.first)
            #expect(cut.offset == positions[2].offset)
            #expect(cut.recordsDropped == 2)
            guard case .checksumMismatch = cut.damage else {
                Issue.record("unexpected damage \(cut.damage)")
                return
            }
            await log.close()
        }
    }

    @Test("a large record cut short is truncated; the records before it survive")
    func tornLargeRecord() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let (positions, payloads) = try await Self.seedLarge(dir)
            let path = WALTestKit.segmentPath(dir, 1)
            let bytes = try WALTestKit.readFile(path)
            try WALTestKit.writeFile(path, Array(bytes.prefix(Int(positions[2].offset) + SegmentReader.chunkSize + 100)))

            let log = try WALTestKit.open(dir)
            #expect(try log.allRecords().map(\.payload) == Array(payloads[0..<2]))
            let cut = try #require(log.repairReport.truncations.first)
            #expect(cut.offset == positions[2].offset)
            guard case .lengthPastEnd(let length, _) = cut.damage, length == UInt32(payloads[2].count) else {
                Issue.record("unexpected damage \(cut.damage)")
                return
            }
            #expect(try WALTestKit.fileSize(path) == positions[2].offset)
            await log.close()
        }
    }
}
