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
}
