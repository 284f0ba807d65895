import Foundation
import KansokuModel
import Testing
@testable import KansokuStorage

/// Blocks written before chunk filters (format version 1: one Bloom filter
/// per block and an exact trace index) are still read. `Fixtures/log-block-v1.klb`
/// was written by the version-1 writer from the lines below, one chunk per
/// line in stream `app`, plus the trace-id metadata batches of
/// ``LogBlockPrunerTests``.
@Suite("Log blocks of format version 1 stay readable and prunable")
struct LogBlockVersion1Tests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/log-block-v1.klb").path
    static let lines = ["plain line", "id=\(LogBlockPrunerTests.id.hex) alone", "x\(LogBlockPrunerTests.id.hex)",
                        "\(LogBlockPrunerTests.id.hex)ff", "sha 0123456789abcdef0123456789abcdef0123456789abcdef",
                        "alpha beta", "gamma"]

    /// Chunk index of line `i` of stream `app`.
    static func chunk(_ block: LogBlockReader, line i: Int) throws -> Int {
        let app = try #require(block.streams.firstIndex { $0["app"] == "app" })
        return block.chunks.indices.filter { block.chunks[$0].stream == app }[i]
    }

    @Test("records, tokens and trace ids of a version 1 block")
    func readsAndPrunes() throws {
        let block = try LogBlockReader(path: Self.path)
        #expect(block.version == 1)
        let lines = try block.batch().resources.flatMap { $0.scopes.flatMap(\.items) }.map { LogLine.render($0.body) }
        #expect(Set(Self.lines).isSubset(of: Set(lines)))
        let all = Array(block.chunks.indices)
        let kept = { (r: LogEntryRequirement) throws -> [Int] in try LogBlockPruner(r).filter(all, in: block) }
        // Version 1's Bloom filter is block-wide: a present token keeps every chunk, an absent one none.
        #expect(try kept(.lineToken("alpha")) == all)
        #expect(try kept(.lineToken("zeta")).isEmpty)
        let id = LogBlockPrunerTests.id
        #expect(try block.chunks(of: id) == [try Self.chunk(block, line: 1)])
        let hexRuns = try [2, 3, 4].map { try Self.chunk(block, line: $0) }
        #expect(try kept(.lineTraceID(id)) == ([try Self.chunk(block, line: 1)] + hexRuns).sorted())
        #expect(try kept(.lineTraceID(LogTestKit.traceID(7))) == hexRuns.sorted())
        for n in 101...104 { #expect(try kept(.metadataTraceID(LogTestKit.traceID(UInt64(n)))).count == 1, "\(n)") }
        #expect(try kept(.metadataTraceID(LogTestKit.traceID(999))).isEmpty)
    }
}
