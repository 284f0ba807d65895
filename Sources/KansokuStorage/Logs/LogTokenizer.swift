#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KansokuModel

/// Splits log lines into the tokens the block Bloom filter indexes: maximal
/// runs of ASCII letters and digits (and of non-ASCII bytes, so UTF-8 words
/// stay whole), lowercased. No n-grams: a query token must be a whole token
/// of the line to benefit from the filter. Tokens are indexed by a 64-bit
/// hash (FNV-1a over the lowercased bytes, then SplitMix64's finaliser).
public enum LogTokenizer {
    /// The distinct tokens of `text`, lowercased, in first-seen order.
    public static func tokens(_ text: String) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            forEachToken(buffer) { range in
                let token = String(decoding: buffer[range].map(lower), as: UTF8.self)
                if seen.insert(token).inserted { result.append(token) }
            }
        }
        return result
    }

    /// Hashes of the tokens a query requires: each given string is tokenised
    /// the same way (so `"GET /api"` requires `get` and `api`).
    public static func queryHashes(_ required: [String]) -> [UInt64] {
        var hashes = Set<UInt64>()
        for text in required { forEachTokenHash(text) { hashes.insert($0) } }
        return hashes.sorted()
    }

    /// The hash of `text` when it is exactly one token, else nil.
    public static func singleTokenHash(_ text: String) -> UInt64? {
        var result: UInt64?
        withUTF8(text) { buffer in
            guard !buffer.isEmpty, buffer.allSatisfy(isTokenByte) else { return }
            result = hash(buffer, 0..<buffer.count)
        }
        return result
    }

    /// Calls `body` with the hash of every token of `text` (repeats included).
    static func forEachTokenHash(_ text: String, _ body: (UInt64) -> Void) {
        withUTF8(text) { buffer in
            forEachToken(buffer) { range in body(hash(buffer, range)) }
        }
    }

    /// One pass over `text` for the block writer: calls `body` with each
    /// token's hash (repeats included) and whether the token is longer than
    /// 32 bytes and holds 32 or more consecutive hex digits
    /// (``LogTraceIndexCoverage/hasEmbeddedHexRun(_:)``).
    static func scan(_ text: String, _ body: (UInt64, Bool) -> Void) {
        withUTF8(text) { scan($0, body) }
    }

    /// ``scan(_:_:)`` over a line's UTF-8 bytes.
    static func scan(_ buffer: UnsafeBufferPointer<UInt8>, _ body: (UInt64, Bool) -> Void) {
        byteClasses.withUnsafeBufferPointer { classes in
            var i = 0
            let n = buffer.count
            while i < n {
                while i < n && classes[Int(buffer[i])] & tokenClass == 0 { i += 1 }
                guard i < n else { return }
                let start = i
                var h: UInt64 = 0xCBF2_9CE4_8422_2325
                var run = 0, longestRun = 0
                while i < n {
                    let c = buffer[i]
                    let cls = classes[Int(c)]
                    guard cls & tokenClass != 0 else { break }
                    h = (h ^ UInt64(c | (cls & upperClass))) &* 0x0000_0100_0000_01B3
                    run = cls & hexClass != 0 ? run + 1 : 0
                    longestRun = max(longestRun, run)
                    i += 1
                }
                body(LogBloomFilter.mix(h), i - start > 32 && longestRun >= 32)
            }
        }
    }

    private static let tokenClass: UInt8 = 1
    private static let hexClass: UInt8 = 2
    /// Set for `A`–`Z`: OR-ing it in lowercases the byte (0x20).
    private static let upperClass: UInt8 = 0x20
    /// Per byte: token byte, hex digit, upper-case letter.
    private static let byteClasses: [UInt8] = (0..<256).map { value in
        let byte = UInt8(value)
        var cls: UInt8 = isTokenByte(byte) ? tokenClass : 0
        if Hex.value(of: byte) != nil { cls |= hexClass }
        if byte >= 0x41 && byte <= 0x5A { cls |= upperClass }
        return cls
    }

    /// Trace ids spelled as 32 hex digits standing alone as a token in `text`.
    static func forEachHexTraceID(_ text: String, _ body: (TraceID) -> Void) {
        withUTF8(text) { buffer in
            forEachToken(buffer) { range in
                guard range.count == 32 else { return }
                var high: UInt64 = 0, low: UInt64 = 0
                for (i, index) in range.enumerated() {
                    guard let digit = Hex.value(of: buffer[index]) else { return }
                    if i < 16 { high = high << 4 | UInt64(digit) } else { low = low << 4 | UInt64(digit) }
                }
                let id = TraceID(high: high, low: low)
                if !id.isZero { body(id) }
            }
        }
    }

    private static func withUTF8(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if text.utf8.withContiguousStorageIfAvailable({ body($0) }) == nil {
            var copy = text
            copy.withUTF8 { body($0) }
        }
    }

    @inline(__always)
    static func isTokenByte(_ c: UInt8) -> Bool {
        c >= 0x80 || (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
    }

    @inline(__always)
    private static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    static func forEachToken(_ buffer: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        var i = 0
        let n = buffer.count
        while i < n {
            while i < n && !isTokenByte(buffer[i]) { i += 1 }
            let start = i
            while i < n && isTokenByte(buffer[i]) { i += 1 }
            if i > start { body(start..<i) }
        }
    }

    static func hash(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for i in range {
            h = (h ^ UInt64(lower(buffer[i]))) &* 0x0000_0100_0000_01B3
        }
        return LogBloomFilter.mix(h)
    }
}

/// A Bloom filter over token hashes (see ``LogTokenizer``), one per block.
/// Same construction and encoding as the trace-id filter:
///
/// ```text
/// bloom := hashCount:uvar wordCount:uvar word:fixed64*
/// ```
struct LogBloomFilter: Sendable, Hashable {
    private(set) var words: [UInt64]
    let hashCount: Int

    /// m = −n·ln p / (ln 2)², k = m/n · ln 2.
    init(expectedCount: Int, falsePositiveRate: Double) {
        let n = Double(max(1, expectedCount))
        let p = min(max(falsePositiveRate, 1e-9), 0.5)
        let bits = (-n * log(p) / (0.693_147_180_559_945 * 0.693_147_180_559_945)).rounded(.up)
        let wordCount = max(1, Int((bits / 64).rounded(.up)))
        words = [UInt64](repeating: 0, count: wordCount)
        hashCount = min(16, max(1, Int((Double(wordCount * 64) / n * 0.693_147_180_559_945).rounded())))
    }

    private init(words: [UInt64], hashCount: Int) {
        self.words = words
        self.hashCount = hashCount
    }

    mutating func insert(_ hash: UInt64) {
        let bitCount = UInt64(words.count) * 64
        var h = hash
        let step = Self.mix(hash) | 1
        for _ in 0..<hashCount {
            let bit = h % bitCount
            words[Int(bit >> 6)] |= 1 << (bit & 63)
            h &+= step
        }
    }

    func mayContain(_ hash: UInt64) -> Bool {
        let bitCount = UInt64(words.count) * 64
        var h = hash
        let step = Self.mix(hash) | 1
        for _ in 0..<hashCount {
            let bit = h % bitCount
            if words[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
            h &+= step
        }
        return true
    }

    /// SplitMix64's finaliser.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func encoded() -> [UInt8] {
        var w = WALWriter(reservingCapacity: 4 + words.count * 8)
        w.writeCount(hashCount)
        w.writeCount(words.count)
        for word in words { w.writeFixed64(word) }
        return w.bytes
    }

    init(decoding bytes: [UInt8], path: String) throws(LogBlockError) {
        var r = WALReader(bytes)
        do throws(WALDecodingError) {
            let hashCount = try r.readInt()
            let wordCount = try r.readCount(minimumElementSize: 8)
            guard (1...16).contains(hashCount), wordCount >= 1 else {
                throw r.failure(.valueOutOfRange(value: UInt64(hashCount), maximum: 16))
            }
            var words = [UInt64]()
            words.reserveCapacity(wordCount)
            for _ in 0..<wordCount { words.append(try r.readFixed64()) }
            guard r.isAtEnd else { throw r.failure(.trailingBytes(count: r.remaining)) }
            self.init(words: words, hashCount: hashCount)
        } catch {
            throw .malformed(path: path, section: "bloom", detail: error.description)
        }
    }
}
