import KansokuStorage
import Testing

@Suite("WAL encoding primitives")
struct WALEncodingPrimitivesTests {
    @Test func unsignedVarintsAtEveryBoundary() throws {
        var values: [UInt64] = [0, 1, .max, .max - 1]
        for shift in stride(from: 7, through: 63, by: 7) {
            let boundary = UInt64(1) << UInt64(shift)
            values += [boundary - 1, boundary, boundary + 1]
        }
        var writer = WALWriter()
        for value in values { writer.writeVarUInt(value) }
        var reader = WALReader(writer.bytes)
        for value in values { #expect(try reader.readVarUInt() == value) }
        #expect(reader.isAtEnd)
    }

    @Test func varintLengths() {
        func length(_ value: UInt64) -> Int {
            var writer = WALWriter()
            writer.writeVarUInt(value)
            return writer.bytes.count
        }
        #expect(length(0) == 1)
        #expect(length(127) == 1)
        #expect(length(128) == 2)
        #expect(length(.max) == 10)
    }

    @Test func zigZagSignedVarints() throws {
        let values: [Int64] = [0, -1, 1, -64, 64, .min, .max, .min + 1, .max - 1]
        var writer = WALWriter()
        for value in values { writer.writeVarInt(value) }
        #expect(writer.bytes[0...1] == [0, 1])  // 0 → 0, -1 → 1: small negatives stay one byte
        var reader = WALReader(writer.bytes)
        for value in values { #expect(try reader.readVarInt() == value) }
    }

    @Test func fixedWidthIsLittleEndian() throws {
        var writer = WALWriter()
        writer.writeFixed64(0x0102_0304_0506_0708)
        #expect(writer.bytes == [8, 7, 6, 5, 4, 3, 2, 1])
        var reader = WALReader(writer.bytes)
        #expect(try reader.readFixed64() == 0x0102_0304_0506_0708)
    }

    @Test func stringsAreLengthPrefixedUTF8() throws {
        var writer = WALWriter()
        writer.writeString("aé")
        #expect(writer.bytes == [3, 0x61, 0xC3, 0xA9])
        var reader = WALReader(writer.bytes)
        #expect(try reader.readString() == "aé")
    }

    @Test func elevenByteVarintIsMalformed() {
        var reader = WALReader([UInt8](repeating: 0xFF, count: 10) + [0x01])
        #expect(throws: WALDecodingError(.malformedVarint, at: 0)) { try reader.readVarUInt() }
    }

    @Test func tenthVarintByteMayOnlyHoldBit63() throws {
        var ok = WALReader([UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(try ok.readVarUInt() == .max)
        var overflow = WALReader([UInt8](repeating: 0xFF, count: 9) + [0x02])
        #expect(throws: WALDecodingError(.malformedVarint, at: 0)) { try overflow.readVarUInt() }
    }

    @Test func narrowingChecksRange() {
        var writer = WALWriter()
        writer.writeVarUInt(UInt64(UInt32.max) + 1)
        var reader = WALReader(writer.bytes)
        #expect(throws: WALDecodingError.self) { try reader.readVarUInt32() }
    }

    /// `readString` must accept exactly what the standard library's strict
    /// validator accepts.
    @Test func utf8ValidationMatchesTheStandardLibrary() {
        func agrees(_ bytes: [UInt8]) -> Bool {
            var writer = WALWriter()
            writer.writeBytes(bytes)
            var reader = WALReader(writer.bytes)
            let ours = try? reader.readString()
            return ours == String(validating: bytes, as: UTF8.self)
        }
        var samples: [[UInt8]] = []
        for a in 0...255 { samples.append([UInt8(a)]) }
        for a in 0xC0...0xFF { for b in 0...255 { samples.append([UInt8(a), UInt8(b)]) } }
        for a in [0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5] {
            for b in stride(from: 0x70, through: 0xC0, by: 0x08) {
                for c in [0x3F, 0x80, 0xBF, 0xC0] {
                    samples.append([UInt8(a), UInt8(b), UInt8(c)])
                    samples.append([UInt8(a), UInt8(b), UInt8(c), 0x80])
                    samples.append([0x41, UInt8(a), UInt8(b), UInt8(c), 0xBF, 0x41])
                }
            }
        }
        var rng = WALEncodingRandomGenerator(seed: 3)
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<20_000 {
            samples.append((0..<Int(rng.next() % 24)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        }
        samples.append(Array("plain ASCII that is longer than eight bytes".utf8))
        samples.append(Array("mixed ünïcödé, 世界 and 🌍 across word boundaries".utf8))
        for sample in samples where !agrees(sample) {
            Issue.record("disagrees on \(sample)")
        }
    }
}
