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
            #expect(block.version == LogBlockFormat.version)
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

    static func info(time: UInt64) -> LogBlockChunkInfo {
        LogBlockChunkInfo(stream: 0, entryCount: 1, minTimeUnixNano: time, maxTimeUnixNano: time, offset: 8,
                          storedLength: 0, rawLength: 0, crc: 0)
    }

    /// The line of a one-entry chunk at `time`; `version` 3 reads no time markers.
    static func decode(_ raw: [UInt8], ids: [UInt8]?, time: UInt64 = 7, version: UInt32 = LogBlockFormat.version) throws(LogBlockError) -> String {
        let reader = ids.map { LogChunkIDColumn.Reader($0, timeMarkers: version >= 4) }
        let rows = try LogBlockEntryCodec.decode(raw, ids: reader, info: info(time: time), originCount: 1,
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
        #expect(failure(Self.chunk(body: [0x10, 3, 0x61, 0xFE, 7]), column).contains("token marker"))
        #expect(failure(Self.chunk(body: [0x10, 2, 0x61, 0xFE]), column).contains("truncated"))
        #expect(failure(Self.chunk(body: [0x10, 3, 0xFE, 8, 0xC3]), column).contains("UTF-8"))
    }

    static let time = LogTestKit.base + 123_456_789

    @Test("a number that spells the entry's time in s, ms, µs or ns leaves a marker and is given back; other numbers stay")
    func timeTokens() async throws {
        let t = Self.time
        let moved = ["{\"ts\":\(t),\"msg\":\"ok\"}", "us=\(t / 1000)", "ms=\(t / 1_000_000)", "s=\(t / 1_000_000_000) x"]
        let kept = ["{\"ts\":\(t + 1),\"msg\":\"ok\"}", "us=\(t / 1000 + 1)", "ms=\(t / 1_000_000 - 1)", "s=\(t / 1_000_000_000 + 1) x"]
        let unmoved = ["0\(t) has 20 digits", "x\(t) is inside a token", "\(t / 100) has 17 digits"]
        try await WALTestKit.withTemporaryDirectory { dir in
            var writer = LogBlockWriter(options: .init(chunkTargetBytes: 1))
            let lines = (moved + kept + unmoved).map { (t, $0) }
            let batch = LogTestKit.lokiBatch(app: "app", lines: lines)
            let old = LogTestKit.lokiBatch(app: "old", lines: [(999_999_999_999_999_999, "ts=999999999999999999 before 2001-09-09")])
            writer.append(batch)
            writer.append(old)
            try writer.write(to: "\(dir)/b.klb")
            let block = try LogBlockReader(path: "\(dir)/b.klb")
            #expect(LogTestKit.items([try block.batch()]) == LogTestKit.items([batch, old]))
            let app = try #require(block.streams.firstIndex { $0["app"] == "app" })
            // Chunks of one line each, in arrival order (all at the same time): a time token
            // leaves its two-byte marker; the same line with another number keeps the digits,
            // except that a 16-digit number is hex and moves to the id column.
            let chunks = block.chunks.filter { $0.stream == app }
            for (i, digits) in [19, 16, 13, 10].enumerated() {
                let (time, other) = (chunks[i], chunks[moved.count + i])
                #expect(time.idColumnLength == 0, "\(moved[i])")
                #expect(time.rawLength == other.rawLength - (digits == 16 ? 0 : digits - 2), "\(moved[i])")
                #expect(other.idColumnLength == (digits == 16 ? 8 : 0), "\(kept[i])")
            }
            #expect(chunks[(moved.count + kept.count)...].map(\.rawLength) == unmoved.map { $0.utf8.count + 2 + 10 })
        }
    }

    @Test("a time token is not filed in the chunk filters; queries find it by the chunk's time range")
    func timeTokenQueries() async throws {
        let t = Self.time, later = Self.time + 5_000_000_000
        try await WALTestKit.withTemporaryDirectory { dir in
            var writer = LogBlockWriter(options: .init(chunkTargetBytes: 1))
            writer.append(LogTestKit.lokiBatch(app: "app", lines: [(t, "ts=\(t) first"), (later, "ts=\(later) second"),
                                                                   (later + 1, "mentions \(t) third")]))
            try writer.write(to: "\(dir)/b.klb")
            let block = try LogBlockReader(path: "\(dir)/b.klb")
            let all = Array(block.chunks.indices)
            func kept(_ token: String) throws -> [Int] { try LogBlockPruner(.lineToken(token)).filter(all, in: block) }
            // By time range (first), by filter (third, where the number is not its entry's time).
            #expect(try kept("\(t)") == [0, 2])
            #expect(try kept("\(t / 1000)") == [0])
            #expect(try kept("\(later / 1_000_000_000)") == [1, 2], "the third entry is in the same second as the second")
            #expect(try kept("\(t + 1)").isEmpty)
            #expect(try block.chunks(mayContainTokens: LogTokenizer.queryTokens(["first \(t)"])) == .chunks([0]))
            #expect(try block.chunks(mayContainTokens: LogTokenizer.queryTokens(["second \(t)"])) == .none)
            guard case .version2(let filters) = try block.index() else { Issue.record("a version-4 block has chunk filters"); return }
            #expect(!filters.mayContain(chunk: 0, LogTokenizer.singleQueryToken("\(t)")!.hash), "not filed (no false positive here)")
        }
        #expect(LogTokenizer.singleQueryToken("\(t)")?.entryTimes == t...t)
        #expect(LogTokenizer.singleQueryToken("\(t / 1000)")?.entryTimes == (t / 1000 * 1000)...(t / 1000 * 1000 + 999))
        #expect(LogTokenizer.singleQueryToken("0\(t / 1000)")?.entryTimes == nil, "a leading zero spells no time")
        #expect(LogTokenizer.singleQueryToken("\(t / 100)")?.entryTimes == nil, "17 digits spell no unit")
        #expect(LogTokenizer.singleQueryToken("x\(t)")?.entryTimes == nil)
    }

    @Test("time markers read the entry's time; before version 4, or for a time without 19 digits, they are errors")
    func decodingTimeMarkers() throws {
        let body: [UInt8] = [0x10, 9, 0x74, 0x3D, 0xFE, 0x93, 0x20, 0xFE, 0x8A, 0xFE, 8]
        let column: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        #expect(try Self.decode(Self.chunk(body: body), ids: column, time: Self.time)
            == "t=\(Self.time) \(Self.time / 1_000_000_000)0102030405060708")
        func failure(_ time: UInt64, version: UInt32) -> String {
            do { _ = try Self.decode(Self.chunk(body: body), ids: column, time: time, version: version); return "" } catch { return error.description }
        }
        #expect(failure(Self.time, version: 3).contains("token marker"))
        #expect(failure(999_999_999_999_999_999, version: 4).contains("time marker"))
        #expect(failure(10_000_000_000_000_000_000, version: 4).contains("time marker"))
    }
}
