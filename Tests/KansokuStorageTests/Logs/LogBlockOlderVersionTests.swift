import Foundation
import KansokuModel
import Testing
@testable import KansokuStorage

/// Blocks of format versions 2 (hex ids in the compressed text) and 3 (an id
/// column per chunk, no shared trace ids) are still read.
/// `Fixtures/log-block-v2.klb` and `Fixtures/log-block-v3.klb` were written by
/// those versions' writers from ``batches()``: stream `app` one chunk per
/// line, plus an OTLP record with a trace id and a non-string body.
@Suite("Log blocks of format versions 2 and 3 stay readable and prunable")
struct LogBlockOlderVersionTests {
    static func path(version: UInt32) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/log-block-v\(version).klb").path
    }

    static let id = LogBlockPrunerTests.id
    static let lines = ["plain line", "request_id=\(id.hex) 200", "{\"trace_id\":\"\(id.hex)\",\"span_id\":\"00f067aa0ba902b7\"}",
                        "upper \(id.hex.uppercased())", "x\(id.hex)", "alpha beta"]

    static func batches() -> [LogBatch] {
        [LogTestKit.lokiBatch(app: "app", lines: lines.enumerated().map { (LogTestKit.base + UInt64($0.offset), $0.element) }),
         LogTestKit.otlpBatch(service: "svc", records: [
             LogRecord(timeUnixNano: LogTestKit.base, body: .keyValueList([Attribute(key: "k", value: .string("v"))]),
                       traceID: LogTestKit.traceID(5), spanID: SpanID(0xAB)),
         ])]
    }

    @Test("records, tokens and trace ids of a version 2 or 3 block", arguments: [UInt32(2), 3])
    func readsAndPrunes(version: UInt32) throws {
        let block = try LogBlockReader(path: Self.path(version: version))
        #expect(block.version == version)
        #expect(LogTestKit.items([try block.batch()]) == LogTestKit.items(Self.batches()))
        let app = try #require(block.streams.firstIndex { $0["app"] == "app" })
        let chunks = block.chunks.indices.filter { block.chunks[$0].stream == app }
        let kept = { (r: LogEntryRequirement) throws -> [Int] in try LogBlockPruner(r).filter(chunks, in: block) }
        #expect(try kept(.lineToken("alpha")) == [chunks[5]])
        #expect(try kept(.lineTraceID(Self.id)) == [chunks[1], chunks[2], chunks[3], chunks[4]])
        #expect(try kept(.lineToken("00f067aa0ba902b7")) == [chunks[2]])
        #expect(try block.chunks(of: LogTestKit.traceID(5)).count == 1)
    }
}
