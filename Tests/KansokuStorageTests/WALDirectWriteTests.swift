import Testing
@testable import KansokuStorage

/// Large payloads are written from their own storage (`pwritev`) instead of
/// being copied into the commit buffer; the bytes on disk must not change.
@Suite("WriteAheadLog direct writes of large payloads")
struct WALDirectWriteTests {
    /// A frame as `WALFrame` documents it, with the bitwise CRC reference.
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count), crc = CRC32CTests.referenceCRC(payload)
        return withUnsafeBytes(of: length.littleEndian, Array.init) + withUnsafeBytes(of: crc.littleEndian, Array.init) + payload
    }

    @Test("small and large payloads in turn leave exactly their frames in the segment")
    func segmentBytesAreTheFrames() async throws {
        let large = GroupCommitWriter.directWriteThreshold
        try await WALTestKit.withTemporaryDirectory { dir in
            let payloads = [
                WALTestKit.payload(1), WALTestKit.pseudoRandomBytes(count: large, seed: 1), WALTestKit.payload(2, size: 700),
                WALTestKit.pseudoRandomBytes(count: large * 3 + 17, seed: 2), WALTestKit.pseudoRandomBytes(count: large - 1, seed: 3),
                WALTestKit.pseudoRandomBytes(count: large + 1, seed: 4),
            ]
            let log = try WALTestKit.open(dir)
            let positions = try await WALTestKit.appendAndClose(log, payloads)
            let onDisk = try WALTestKit.readFile(WALTestKit.segmentPath(dir, 1))
            #expect(onDisk == payloads.flatMap(Self.frame))
            var offset: UInt64 = 0
            for (payload, position) in zip(payloads, positions) {
                #expect(position == WALPosition(segment: 1, offset: offset))
                offset += WALTestKit.frameSize(payload.count)
            }
            let reopened = try WALTestKit.open(dir)
            #expect(reopened.repairReport.isClean)
            #expect(try reopened.allRecords().map(\.payload) == payloads)
            await reopened.close()
        }
    }

    @Test("concurrent small and large appends commit together, rotate segments and read back")
    func concurrentMixedAppends() async throws {
        let large = GroupCommitWriter.directWriteThreshold
        try await WALTestKit.withTemporaryDirectory { dir in
            let payloads = (0..<60).map { i in
                i % 3 == 0 ? WALTestKit.pseudoRandomBytes(count: large + i * 101, seed: UInt64(i)) : WALTestKit.payload(i, size: 50 + i)
            }
            let log = try WALTestKit.open(dir, segmentSize: 300_000)
            let positions = try await withThrowingTaskGroup(of: ([UInt8], WALPosition).self) { group in
                for payload in payloads { group.addTask { (payload, try await log.append(payload)) } }
                var positions: [[UInt8]: WALPosition] = [:]
                for try await (payload, position) in group { positions[payload] = position }
                return positions
            }
            await log.close()

            let reopened = try WALTestKit.open(dir, segmentSize: 300_000)
            #expect(reopened.repairReport.isClean)
            let records = try reopened.allRecords()
            #expect(records.count == payloads.count)
            #expect(Set(records.map(\.payload)) == Set(payloads))
            for record in records { #expect(positions[record.payload] == record.position) }
            #expect(Set(records.map(\.position.segment)).count > 1, "the test must cross a segment boundary")
            await reopened.close()
        }
    }
}
