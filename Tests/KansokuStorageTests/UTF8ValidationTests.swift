import Testing
@testable import KansokuStorage

/// The WAL's strict UTF-8 check against the standard library's.
@Suite("UTF-8 validation")
struct UTF8ValidationTests {
    static func expected(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }
    static func actual(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) } }

    @Test("agrees with String(validating:) with each kind of sequence at every offset of an ASCII run")
    func offsetsInASCII() {
        let sequences: [[UInt8]] = [
            [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],  // valid
            [0xFF], [0x80], [0xC0, 0xAF], [0xC3], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF0, 0x9F, 0x98], [0xE2, 0x28, 0xA1], [0xF8, 0x88, 0x80, 0x80, 0x80],  // invalid
        ]
        for sequence in sequences {
            for length in [0, 1, 7, 8, 9, 31, 32, 33, 40, 63, 64, 65, 100] {
                for offset in Set([0, 1, 7, 8, 15, 16, 24, 31, 32, 33, length / 2, length].filter { $0 <= length }) {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    bytes.insert(contentsOf: sequence, at: offset)
                    #expect(Self.actual(bytes) == Self.expected(bytes), "\(sequence) at \(offset) of \(length)")
                }
            }
        }
        #expect(Self.actual([]) && Self.actual(Array(repeating: 0x7F, count: 1000)))
    }

    @Test("agrees with String(validating:) on random bytes")
    func randomBytes() {
        var state: UInt64 = 12345
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for _ in 0..<5000 {
            let length = Int(next() % 70)
            let highChance = next() % 4  // from mostly ASCII to mostly high bytes
            let bytes = (0..<length).map { _ in next() % 16 < highChance * 4 ? UInt8(0x80 | next() % 0x80) : UInt8(next() % 0x80) }
            #expect(Self.actual(bytes) == Self.expected(bytes), "\(bytes)")
        }
    }

    @Test("accepts random valid text and agrees once a byte of it is changed")
    func randomText() {
        var state: UInt64 = 99
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let ranges: [ClosedRange<UInt32>] = [0x20...0x7E, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF]
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int(next() % 40) {
                let range = ranges[Int(next() % UInt64(ranges.count))]
                text.unicodeScalars.append(Unicode.Scalar(range.lowerBound + UInt32(next() % UInt64(range.count)))!)
            }
            var bytes = Array(text.utf8)
            #expect(Self.actual(bytes))
            guard !bytes.isEmpty else { continue }
            bytes[Int(next() % UInt64(bytes.count))] = UInt8(next() % 256)
            #expect(Self.actual(bytes) == Self.expected(bytes), "\(bytes)")
        }
    }
}
