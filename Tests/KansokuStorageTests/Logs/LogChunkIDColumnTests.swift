import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("Log chunk id column: hex ids of lines are stored apart from the compressed text and read back exactly")
struct LogChunkIDColumnTests {
    static let id = LogTestKit.traceID(42).hex
    static let span = "00f067aa0ba902b7"

    /// Lines and the id-column bytes each moves out.
    static let lines: [(String, Int)] = [
        ("\(id) at the start", 16),
        ("at the end \(id)", 16),
        ("{\"trace_id\":\"\(id)\",\"span_id\":\"\(span)\"}", 24),
        ("\(id)-\(span)", 24),
        ("digits only 1234567890123456 move too", 8),
        ("caf\u{e9} (\(id)) \u{1F600}", 16),
        ("non-ASCII joins tokens: \u{1F600}\(id)\u{1F600}", 0),
        ("upper \(id.uppercased()) stays", 0),
        ("31 \(id.dropLast()) and 33 \(id)a stay", 0),
        ("inside x\(id) stays", 0),
        ("mixed \(span.prefix(8))G\(span.suffix(7)) stays", 0),
        ("", 0),
        ("plain", 0),
    ]

    @Test("a block gives back every line exactly; only whole 16- and 32-digit lowercase hex tokens of string bodies move")
    func roundTrip() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            var writer = LogBlockWriter(options: .init(chunkTargetBytes: 1))
            let batch = LogTestKit.lokiBatch(app: "app", lines: Self.lines.enumerated().map { (LogTestKit.base + UInt64($0.offset), $0.element.0) })
            let rendered = LogTestKit.otlpBatch(service: "svc", records: [
                LogRecord(timeUnixNano: LogTestKit.base, body: .keyValueList([Attribute(key: "trace_id", value: .string(Self.id))])),
            ])
            writer.append(batch)
            writer.append(rendered)
            try writer.write(to: "\(dir)/b.klb")
            let block = try LogBlockReader(path: "\(dir)/b.klb")
            #expect(block.version == 3)
            #expect(LogTestKit.items([try block.batch()]) == LogTestKit.items([batch, rendered]))
            let app = try #require(block.streams.firstIndex { $0["app"] == "app" })
            let appChunks = block.chunks.filter { $0.stream == app }
            #expect(appChunks.map(\.idColumnLength) == Self.lines.map(\.1))
            #expect(block.chunks.filter { $0.stream != app }.map(\.idColumnLength) == [0], "a rendered body is not packed")
            // The filters were made from the lines as written.
            let all = Array(block.chunks.indices)
            let moved = try LogBlockPruner(.lineToken(Self.span)).filter(all, in: block)
            #expect(moved.map { block.chunks[$0].idColumnLength } == [24, 24])
        }
    }

    /// One entry's chunk text (`flags` 4: observed = time; nothing else set) followed by `body`.
    static func chunk(body: [UInt8]) -> [UInt8] {
        let meta: [UInt8] = [0, 0, 4, 0, 0, 0, 0, 0, 0]
        return [UInt8(meta.count)] + meta + body
    }

    static let info = LogBlockChunkInfo(stream: 0, entryCount: 1, minTimeUnixNano: 7, maxTimeUnixNano: 7, offset: 8,
                                        storedLength: 0, rawLength: 0, crc: 0)

    static func decode(_ raw: [UInt8], ids: [UInt8]?) throws(LogBlockError) -> String {
        let rows = try LogBlockEntryCodec.decode(raw, ids: ids.map(LogChunkIDColumn.Reader.init), info: info, originCount: 1,
                                                 path: "b.klb", section: "chunk 0")
        return LogLine.render(rows[0].record.body)
    }

    @Test("a packed body reads its ids in order; bad markers, a short or unused id column, or a packed body before version 3 are errors")
    func decoding() throws {
        let packed = Self.chunk(body: [0x10, 7, 0x61, 0xFE, 8, 0x2D, 0xFE, 16, 0x7A])
        let column: [UInt8] = [0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01, 0x02, 0x03] + Array(repeating: 0xAB, count: 16)
        #expect(try Self.decode(packed, ids: column) == "a" + "deadbeef00010203" + "-" + String(repeating: "ab", count: 16) + "z")
        #expect(try Self.decode(Self.chunk(body: [0x10, 0]), ids: []) == "", "an empty packed text is an empty line")
        #expect(try Self.decode(Self.chunk(body: [0x10, 2, 0x6F, 0x6B]), ids: []) == "ok", "a packed text without markers reads as it is")

        func failure(_ raw: [UInt8], _ ids: [UInt8]?) -> String {
            do { _ = try Self.decode(raw, ids: ids); return "" } catch { return error.description }
        }
        #expect(failure(packed, Array(column.dropLast())).contains("truncated"))
        #expect(failure(packed, column + [1]).contains("1 bytes of the id column are not referred to"))
        #expect(failure(packed, nil).contains("attribute value tag"))
        #expect(failure(Self.chunk(body: [0x10, 3, 0x61, 0xFE, 7]), column).contains("id marker length"))
        #expect(failure(Self.chunk(body: [0x10, 2, 0x61, 0xFE]), column).contains("truncated"))
        #expect(failure(Self.chunk(body: [0x10, 3, 0xFE, 8, 0xC3]), column).contains("UTF-8"))
    }
}
