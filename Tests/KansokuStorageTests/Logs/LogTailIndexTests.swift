import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("Log tail index: WAL records decoded once, then only the sections a query needs")
struct LogTailIndexTests {
    @Test("repeated and narrower queries over the WAL tail read what a full decode reads")
    func sameAnswers() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let store = try LogStoreTests.open(dir)
            for batch in LogStoreTests.batches() { try await store.append(batch) }
            func lines(_ predicate: (LogStreamLabels) -> Bool = { _ in true }, start: Int64 = 0, end: Int64 = .max) throws -> [String] {
                try store.streams(matching: predicate, start: start, end: end)
                    .flatMap { s in s.entries.map { "\(s.labels.map { "\($0)=\($1)" })\t\($0.timestampNanos)\t\($0.line)" } }
            }
            let first = try lines()
            #expect(first.count == 660)
            #expect(try lines() == first, "second read from learned sections")
            let t = Int64(LogTestKit.base + 20 * 1_000_000)
            let narrow = try lines({ $0["app"] == "app2" }, start: t, end: t + 10_000_000)
            #expect(narrow == first.filter { $0.contains("app2") && (t..<(t + 10_000_000)).contains(Int64($0.split(separator: "\t")[1]) ?? -1) })
            #expect(narrow.count == 40)
            let whole = try store.indexStats(matching: { _ in true }, start: 0, end: .max)
            #expect(whole.entries == 660 && whole.streams == 4)
            let part = try store.indexStats(matching: { $0["app"] == "app2" }, start: t, end: t + 10_000_000)
            #expect(part.entries == 40 && part.streams == 1 && part.chunks == 1)
            _ = try store.compact()
            #expect(try lines() == first, "blocks and the remaining tail")
        }
    }
}
