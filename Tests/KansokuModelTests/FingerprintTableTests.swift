import Testing
@testable import KansokuModel

@Suite("FingerprintTable: lookups agree with a Dictionary through growth and probing")
struct FingerprintTableTests {
    @Test func agreesWithADictionary() {
        var table = FingerprintTable()
        var reference: [UInt64: UInt32] = [:]
        var generator = SystemRandomNumberGenerator()
        for i in 0..<5_000 {
            // Every third key differs from a random one in its low bits only: same top bits, same slot, so probing.
            let key = i % 3 == 0 ? (reference.keys.first ?? 7) ^ UInt64(i) : generator.next()
            table.set(key, UInt32(i))
            reference[key] = UInt32(i)
        }
        #expect(table.count == reference.count)
        for (key, value) in reference { #expect(table[key] == value) }
        for _ in 0..<1_000 {
            let missing: UInt64 = generator.next()
            if reference[missing] == nil { #expect(table[missing] == nil) }
        }
    }

    @Test func setReplacesTheValueOfAKnownFingerprint() {
        var table = FingerprintTable()
        table.set(42, 1)
        table.set(42, 2)
        table.set(0, 3)
        #expect(table[42] == 2 && table[0] == 3 && table.count == 2 && table[1] == nil)
    }
}
