import CSnappy
import KansokuModel
import Testing
@testable import KansokuIngest

/// The range-based protobuf decoder against ``LokiPushReferenceDecoder`` on
/// generated pushes: valid, odd (repeated and unknown fields, invalid UTF-8,
/// bad timestamps and labels) and corrupted (truncated, flipped, spliced).
@Suite struct LokiPushDecoderEquivalenceTests {
    /// SplitMix64: deterministic, so a failure reproduces.
    private struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    private static func varint(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        return out + [UInt8(v)]
    }

    private static func field(_ number: UInt64, _ bytes: [UInt8]) -> [UInt8] {
        varint(number << 3 | 2) + varint(UInt64(bytes.count)) + bytes
    }

    private static func field(_ number: UInt64, varint value: UInt64) -> [UInt8] { varint(number << 3) + varint(value) }

    private static let labelPool = [
        #"{app="api"}"#, #"{app="api", env="prod"}"#, #"{env="prod",app="x",}"#, #"{b="x", a=""}"#,
        "{foo=}", "", "{}", #"{a="1", a="2"}"#, #"{1a="x"}"#, #"{a="é\u00e9", b='q'}"#,
    ]

    private static func bytes(_ random: inout Random) -> [UInt8] {
        let pieces: [[UInt8]] = [Array("GET /cart 200 ".utf8), Array("é€😀".utf8), [0xFF], [0xC3], [0xE2, 0x82], [0], Array("x".utf8)]
        var out: [UInt8] = []
        for _ in 0..<random.below(6) { out += pieces[random.below(pieces.count)] }
        return out
    }

    private static func unknownField(_ random: inout Random, number: UInt64) -> [UInt8] {
        switch random.below(4) {
        case 0: return field(number, varint: random.next() >> UInt64(random.below(64)))
        case 1: return varint(number << 3 | 1) + (0..<8).map { UInt8($0) }
        case 2: return field(number, bytes(&random))
        default: return varint(number << 3 | 5) + [1, 2, 3, 4]
        }
    }

    private static func timestamp(_ random: inout Random) -> [UInt8] {
        let seconds: [Int64] = [0, 1, 1_700_000_000, -1, Int64.max, 18_446_744_073, -9_000_000_000]
        let nanos: [Int32] = [0, 1, 999_999_999, 1_000_000_000, -1, 123_456_789, Int32.max]
        var out: [UInt8] = []
        if random.chance(90) { out += field(1, varint: UInt64(bitPattern: seconds[random.below(seconds.count)])) }
        if random.chance(80) { out += field(2, varint: UInt64(bitPattern: Int64(nanos[random.below(nanos.count)]))) }
        if random.chance(10) { out += unknownField(&random, number: 7) }
        return out
    }

    private static func entry(_ random: inout Random) -> [UInt8] {
        var parts: [[UInt8]] = []
        if random.chance(92) { parts.append(field(1, timestamp(&random))) }
        if random.chance(8) { parts.append(field(1, timestamp(&random))) }  // merges into the first
        parts.append(field(2, bytes(&random)))
        if random.chance(5) { parts.append(field(2, bytes(&random))) }  // the last one wins
        for _ in 0..<random.below(3) {
            var pair = field(1, bytes(&random)) + field(2, bytes(&random))
            if random.chance(20) { pair = field(2, bytes(&random)) + unknownField(&random, number: 9) }
            if random.chance(10) { pair += field(1, bytes(&random)) }
            parts.append(field(3, pair))
        }
        if random.chance(10) { parts.append(field(4, field(1, Array("parsed".utf8)))) }
        if random.chance(10) { parts.append(unknownField(&random, number: 15)) }
        if random.chance(30) { parts.shuffle(using: &random) }
        return parts.flatMap { $0 }
    }

    private static func request(_ random: inout Random) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<random.below(5) {
            var parts: [[UInt8]] = [field(1, Array(labelPool[random.below(labelPool.count)].utf8))]
            for _ in 0..<random.below(7) { parts.append(field(2, entry(&random))) }
            if random.chance(10) { parts.append(field(3, varint: random.next())) }  // StreamAdapter.hash
            if random.chance(5) { parts.append(field(1, Array(labelPool[random.below(labelPool.count)].utf8))) }
            if random.chance(30) { parts.shuffle(using: &random) }
            out += field(1, parts.flatMap { $0 })
            if random.chance(10) { out += unknownField(&random, number: 2) }
        }
        return out
    }

    private static func corrupted(_ bytes: [UInt8], _ random: inout Random) -> [UInt8] {
        guard !bytes.isEmpty else { return [UInt8(random.below(256))] }
        var out = bytes
        switch random.below(4) {
        case 0: out.removeLast(1 + random.below(out.count))
        case 1: out[random.below(out.count)] ^= UInt8(1 << random.below(8))
        case 2: out[random.below(out.count)] = UInt8(random.below(256))
        default: out.insert(contentsOf: (0..<1 + random.below(4)).map { _ in UInt8(random.below(256)) }, at: random.below(out.count + 1))
        }
        return out
    }

    /// Shared by all the pushes, and small, so that hits, misses and evictions all happen.
    private static let labelCache = LokiLabelCache(capacity: 4, maxSelectorBytes: 20)

    /// Equal batches, rejections and messages, or the same error; with and without the label cache.
    private static func agree(_ raw: [UInt8]) -> Bool {
        let compressed = snappy(raw)
        let fast = Result { () throws(IngestError) in
            try LokiPushDecoder.decode(compressed, contentType: "application/x-protobuf", maxDecompressedBytes: 1 << 24)
        }
        let cached = Result { () throws(IngestError) in
            try LokiPushDecoder.decode(compressed, contentType: "application/x-protobuf", maxDecompressedBytes: 1 << 24,
                                       labelCache: labelCache)
        }
        guard same(fast, cached) else { return false }
        let reference = Result { () throws(IngestError) in try LokiPushReferenceDecoder.convert(raw) }
        return same(fast, reference)
    }

    private static func same(_ fast: Result<ConversionOutcome<LogRecord>, IngestError>,
                             _ reference: Result<ConversionOutcome<LogRecord>, IngestError>) -> Bool {
        switch (fast, reference) {
        case (.success(let a), .success(let b)):
            return a.batch == b.batch && a.rejected == b.rejected && a.errorMessage == b.errorMessage
        case (.failure(let a), .failure(let b)):
            return a.description == b.description
        default:
            return false
        }
    }

    @Test func generatedPushesDecodeAsTheReferenceDoes() {
        var random = Random(state: 20_240_601)
        var decoded = 0
        for i in 0..<3000 {
            let raw = Self.request(&random)
            #expect(Self.agree(raw), "request \(i): \(raw)")
            if (try? LokiPushReferenceDecoder.convert(raw)).map({ !$0.batch.isEmpty }) == true { decoded += 1 }
        }
        #expect(decoded > 1000, "the generator must mostly produce pushes with stored entries")
    }

    @Test func corruptedPushesFailOrDecodeAsTheReferenceDoes() {
        var random = Random(state: 7)
        var refused = 0
        for i in 0..<3000 {
            let raw = Self.corrupted(Self.request(&random), &random)
            #expect(Self.agree(raw), "request \(i): \(raw)")
            if (try? LokiPushReferenceDecoder.convert(raw)) == nil { refused += 1 }
        }
        #expect(refused > 500, "corruption must often make the request malformed")
    }

    @Test func randomBytesFailOrDecodeAsTheReferenceDoes() {
        var random = Random(state: 99)
        for i in 0..<3000 {
            let raw = (0..<random.below(40)).map { _ in UInt8(random.below(256)) }
            #expect(Self.agree(raw), "input \(i): \(raw)")
        }
    }

    @Test func labelCacheAnswersAsTheParserDoes() throws {
        let cache = LokiLabelCache(capacity: 3, maxSelectorBytes: 30)
        let selectors = [#"{b="2", a="1"}"#, "{foo=}", "{}", #"{a="1", a="2"}"#, #"{b="2", a="1"}"#, "{foo=}",
                         #"{long="\#(String(repeating: "x", count: 40))"}"#]
        for _ in 0..<3 {
            for text in selectors {
                let expected = Result { () throws(LokiLabelSelector.Failure) in try LokiLabelSelector.parse(text) }
                let actual = Result { () throws(LokiLabelSelector.Failure) in try cache.parse(text) }
                #expect(actual == expected, "\(text)")
                #expect(cache.count <= 3)
            }
        }
        #expect(cache.count > 0)
    }
}
