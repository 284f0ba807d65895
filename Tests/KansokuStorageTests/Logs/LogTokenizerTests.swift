import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("Log tokenizer: the writer's one-pass scan files what queries look up")
struct LogTokenizerTests {
    static let lines = [
        "GET /api/v1/Users?id=42 HTTP/1.1 200 caf\u{e9} \u{1F600}x",
        "trace=0123456789ABCDEF0123456789abcdef span=x0123456789abcdef0123456789abcdefZ",
        "", "---", "MiXeD CaSe 9f", String(repeating: "a", count: 40) + " " + String(repeating: "g", count: 40),
    ]

    @Test("scan hashes each token like the query side and flags hex runs inside longer tokens")
    func scanMatchesQueryHashes() {
        for line in Self.lines {
            var scanned: [UInt64] = [], flags: [Bool] = []
            LogTokenizer.scan(line) { hash, hexRun in
                scanned.append(hash)
                flags.append(hexRun)
            }
            var expected: [UInt64] = []
            LogTokenizer.forEachTokenHash(line) { expected.append($0) }
            #expect(scanned == expected, "\(line)")
            #expect(flags.contains(true) == LogTraceIndexCoverage.hasEmbeddedHexRun(line), "\(line)")
        }
    }

    @Test("runs of up to four digits alone are not filed; longer ones, and digits inside a word, are")
    func shortNumbers() {
        var hashes: [UInt64] = []
        LogTokenizer.scan("GET 200 0.080 2026-11-22 v1 x42 12345 42x 0000 1234567") { hash, _ in hashes.append(hash) }
        var expected: [UInt64] = []
        for token in ["get", "v1", "x42", "12345", "42x", "1234567"] { expected.append(LogTokenizer.singleQueryToken(token)!.hash) }
        #expect(hashes == expected)
        #expect(LogTokenizer.singleQueryToken("200") == nil && LogTokenizer.singleQueryToken("0000") == nil)
        #expect(LogTokenizer.queryTokens(["status 200 at 10:00"]) == LogTokenizer.queryTokens(["STATUS AT"]))
        #expect(LogTokenizer.tokens("GET /api/v1?Q=ab-CD 42 12345") == ["get", "api", "v1", "q", "ab", "cd", "12345"])
    }

    @Test("a trace id's spelling and a line token of the same 32 hex digits hash alike, in either case")
    func traceIDHash() {
        let id = TraceID(high: 0x0123_4567_89AB_CDEF, low: 0x0123_4567_89AB_CDEF)
        var hashes: [UInt64] = []
        LogTokenizer.scan("trace=0123456789ABCDEF0123456789abcdef") { hash, _ in hashes.append(hash) }
        #expect(hashes.last == LogChunkFilters.hash(of: id))
    }
}
