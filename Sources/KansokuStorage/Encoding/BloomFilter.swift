#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A Bloom filter over 64-bit keys, as log and trace blocks store them: log
/// token hashes (``LogTokenizer``, one filter per chunk, or per block in
/// version-1 log blocks) and mixed trace ids (``TraceBloomFilter``).
///
/// ```text
/// bloom := hashCount:uvar wordCount:uvar word:fixed64*
/// ```
struct BloomFilter: Sendable, Hashable {
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

    /// Probe `i` of `hash` is bit `(hash &+ i &* step) % bitCount` with
    /// `step = mix(hash) | 1` (double hashing), the layout on disk.
    mutating func insert(_ hash: UInt64) {
        insertAll { $0(hash) }
    }

    /// Inserts every hash `forEachHash` yields, writing the words in place.
    mutating func insertAll(_ forEachHash: ((UInt64) -> Void) -> Void) {
        let bitCount = UInt64(words.count) * 64
        let hashCount = hashCount
        words.withUnsafeMutableBufferPointer { words in
            forEachHash { hash in
                var h = hash
                let step = Self.mix(hash) | 1
                for _ in 0..<hashCount {
                    let bit = h % bitCount
                    words[Int(bit >> 6)] |= 1 << (bit & 63)
                    h &+= step
                }
            }
        }
    }

    func mayContain(_ hash: UInt64) -> Bool {
        Self.mayContain(hash, words: words[...], hashCount: hashCount)
    }

    /// Whether the filter whose bits are `words` and probe count `hashCount`
    /// may hold `hash`, for filters stored side by side in one array
    /// (``LogChunkFilters``).
    static func mayContain(_ hash: UInt64, words: ArraySlice<UInt64>, hashCount: Int) -> Bool {
        let bitCount = UInt64(words.count) * 64
        var h = hash
        let step = mix(hash) | 1
        for _ in 0..<hashCount {
            let bit = h % bitCount
            if words[words.startIndex + Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
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

    /// Reads a filter written by ``encoded()``.
    init(decoding bytes: [UInt8]) throws(WALDecodingError) {
        var r = WALReader(bytes)
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
    }
}
