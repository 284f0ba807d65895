#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KansokuModel

/// A Bloom filter over the trace ids of one block, so that asking a block
/// for a trace it does not hold costs the footer and this filter only.
///
/// Bits are derived by double hashing (`h1 + i·h2`) from one 64-bit mix of
/// the id: ids are mostly random already, but Zipkin-style 64-bit ids leave
/// the high half zero, so both halves are mixed before use.
///
/// ```text
/// bloom := hashCount:uvar wordCount:uvar word:fixed64*
/// ```
struct TraceBloomFilter: Sendable, Hashable {
    private(set) var words: [UInt64]
    let hashCount: Int

    /// Sized for `expectedCount` ids at about `falsePositiveRate`:
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

    mutating func insert(_ id: TraceID) {
        let bitCount = UInt64(words.count) * 64
        var (h, step) = Self.hashes(id)
        for _ in 0..<hashCount {
            let bit = h % bitCount
            words[Int(bit >> 6)] |= 1 << (bit & 63)
            h &+= step
        }
    }

    func mayContain(_ id: TraceID) -> Bool {
        let bitCount = UInt64(words.count) * 64
        var (h, step) = Self.hashes(id)
        for _ in 0..<hashCount {
            let bit = h % bitCount
            if words[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
            h &+= step
        }
        return true
    }

    private static func hashes(_ id: TraceID) -> (UInt64, UInt64) {
        let h = mix(id.high ^ mix(id.low))
        return (h, mix(h) | 1)
    }

    /// SplitMix64's finaliser: every input bit affects every output bit.
    private static func mix(_ value: UInt64) -> UInt64 {
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

    init(decoding bytes: [UInt8], path: String) throws(TraceBlockError) {
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
            throw .malformed(path: path, section: TraceBlockSectionKind.bloom.name, detail: error.description)
        }
    }
}
