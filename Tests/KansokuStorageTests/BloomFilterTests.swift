import Testing
@testable import KansokuStorage

@Suite("Bloom filters")
struct BloomFilterTests {
    /// The on-disk layout: probe i of a hash is (hash &+ i &* step) % bitCount.
    static func naiveBits(_ hash: UInt64, bitCount: UInt64, count: Int) -> [UInt64] {
        let step = BloomFilter.mix(hash) | 1
        return (0..<count).map { (hash &+ UInt64($0) &* step) % bitCount }
    }

    @Test("a filter holds what it was given and answers like one built probe by probe")
    func insertAndQuery() {
        var rng = SplitMix(state: 7)
        let hashes = (0..<500).map { _ in rng.next() }
        var one = BloomFilter(expectedCount: hashes.count, falsePositiveRate: 0.01)
        var all = one
        for hash in hashes { one.insert(hash) }
        all.insertAll { yield in hashes.forEach(yield) }
        #expect(one == all)
        #expect(hashes.allSatisfy(one.mayContain))
        let absent = (0..<10_000).map { _ in rng.next() }.filter { !hashes.contains($0) }
        let falsePositives = absent.filter(one.mayContain).count
        #expect(falsePositives < 300, "about 1% of 10,000 expected, got \(falsePositives)")
        // The bits set are the layout's.
        var expected = [UInt64](repeating: 0, count: one.words.count)
        for hash in hashes {
            for bit in Self.naiveBits(hash, bitCount: UInt64(expected.count) * 64, count: one.hashCount) {
                expected[Int(bit >> 6)] |= 1 << (bit & 63)
            }
        }
        #expect(expected == one.words)
    }
}
