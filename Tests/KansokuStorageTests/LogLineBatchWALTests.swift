import KansokuModel
import Logging
import Testing
@testable import KansokuStorage

/// `LogLineBatch.walPayload()` writes log lines from their request's bytes;
/// it must produce exactly the payload of the `LogBatch` they stand for.
@Suite("LogLineBatch WAL payload")
struct LogLineBatchWALTests {
    /// A deterministic batch of `streams` streams: lines of every length
    /// class (empty, short, past one and two varint bytes), some not valid
    /// UTF-8, some with structured metadata (itself sometimes invalid).
    static func batch(seed: UInt64, streams: Int) -> LogLineBatch {
        var random = SplitMix(state: seed)
        var bytes: [UInt8] = []
        func add(_ piece: [UInt8]) -> Range<Int> {
            bytes += piece
            return bytes.count - piece.count..<bytes.count
        }
        let pieces: [[UInt8]] = [
            [], Array("GET /cart 200".utf8), Array("é€😀 ok".utf8), [0x66, 0xFF, 0x6F], [0xE2, 0x82], [0xED, 0xA0, 0x80],
            Array(repeating: 0x61, count: 200), Array(repeating: 0x62, count: 20_000), Array("{\"level\":\"info\"}".utf8),
        ]
        var entries: [LogLineBatch.Entry] = []
        var metadata: [LogLineBatch.Metadata] = []
        var streamList: [LogLineBatch.Stream] = []
        for s in 0..<streams {
            let first = entries.count
            for _ in 0..<(1 + Int(random.next() % 6)) {
                let line = add(pieces[Int(random.next() % UInt64(pieces.count))])
                let firstPair = metadata.count
                if random.next() % 4 == 0 {
                    for _ in 0..<(1 + Int(random.next() % 2)) {
                        metadata.append(LogLineBatch.Metadata(name: add(Array("trace_id".utf8)),
                                                              value: add(pieces[Int(random.next() % 6)])))
                    }
                }
                let time = [0, 1, 1_700_000_000_123_456_789, UInt64.max][Int(random.next() % 4)]
                entries.append(LogLineBatch.Entry(timeUnixNano: time, line: line, metadata: firstPair..<metadata.count))
            }
            let labels = [Attribute(key: "app", value: .string("app-\(s)")), Attribute(key: "env", value: .string("prod"))]
            streamList.append(LogLineBatch.Stream(labels: Array(labels.prefix(1 + s % 2)), entries: first..<entries.count))
        }
        var batch = LogLineBatch(bytes: bytes)
        batch.entries = entries
        batch.metadata = metadata
        batch.streams = streamList
        return batch
    }

    @Test("equals the payload of the LogBatch the lines stand for, and decodes back to it")
    func matchesTheLogBatchPayload() throws {
        for seed in 0..<40 as Range<UInt64> {
            let lines = Self.batch(seed: seed, streams: Int(seed % 7))
            let batch = lines.logBatch()
            let payload = lines.walPayload()
            #expect(payload == batch.walPayload(), "seed \(seed)")
            #expect(try LogBatch(walPayload: payload) == batch)
            #expect(lines.itemCount == batch.itemCount)
        }
    }

    @Test("the plain record layout is cut where the line goes")
    func plainLayout() {
        let layout = PlainEntryLayout.shared
        var writer = WALWriter()
        LogRecord(timeUnixNano: 7, body: .string("hello")).encode(to: &writer)
        let expected = writer.bytes
        #expect(expected == [7, 0, 0, 0, 0, 0, 0, 0] + layout.middle + [5] + Array("hello".utf8) + layout.tail)
        #expect(layout.size(lineCount: 5) == expected.count)
        #expect(layout.size(lineCount: 200) == expected.count - 5 + 200 + 1)
    }

    @Test("a log store keeps appended lines as the batch they stand for, through the protocol too")
    func storeAppend() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let log = try WriteAheadLog(directory: "\(dir)/wal", signal: "logs", options: WALOptions(), logger: Logger(label: "test"))
            let store = try LogStore(log: log, blocksDirectory: "\(dir)/blocks", logger: Logger(label: "test"))
            let first = Self.batch(seed: 3, streams: 4), second = Self.batch(seed: 4, streams: 2)
            try await store.append(first)
            try await (store as any LogSignalStore).append(second)
            var stored: [LogBatch] = []
            try store.forEachBatch { stored.append($0); return true }
            #expect(stored == [first.logBatch(), second.logBatch()])
            await store.close()
        }
    }
}

@Suite("Live tail hub with log lines")
struct LogTailHubLinesTests {
    @Test("published lines reach a tail as the batch they stand for; without a tail nothing is converted")
    func publishLines() async throws {
        let hub = LogTailHub()
        hub.publish(LogLineBatchWALTests.batch(seed: 1, streams: 2))  // no subscriber: dropped
        let subscription = try hub.subscribe(capacity: 100) { $0 }
        let lines = LogLineBatchWALTests.batch(seed: 2, streams: 3)
        hub.publish(lines)
        let delivered = try #require(await subscription.next()).entries
        #expect(delivered.map(\.line) == hub.entries(of: lines.logBatch()).map(\.line))
        #expect(delivered.count == lines.itemCount)
    }
}
