import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("XOR chunk")
struct XORChunkTests {
    /// Deterministic generator so random cases are reproducible.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D4_9BB4_6D4D_22EB
            return z ^ (z >> 31)
        }
    }

    static func encode(_ samples: [Sample]) -> XORChunk {
        var appender = XORChunkAppender()
        for sample in samples { appender.append(sample) }
        return appender.chunk
    }

    /// Encodes, checks the byte count and bounds, decodes both ways, compares bitwise.
    static func expectRoundTrip(_ samples: [Sample], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var appender = XORChunkAppender()
        for sample in samples { appender.append(sample) }
        let chunk = appender.chunk
        #expect(chunk.count == samples.count, sourceLocation: sourceLocation)
        #expect(appender.byteCount == chunk.bytes.count, sourceLocation: sourceLocation)
        #expect(chunk.minTime == samples.first?.timestamp, sourceLocation: sourceLocation)
        if let first = samples.first, let last = samples.last {
            #expect(appender.minTime == first.timestamp, sourceLocation: sourceLocation)
            #expect(appender.maxTime == last.timestamp, sourceLocation: sourceLocation)
        }
        let decoded = try chunk.decodeAll()
        #expect(decoded == samples, sourceLocation: sourceLocation)
        // Reading the stored bytes back through the validating initializer.
        let reread = try XORChunk(bytes: chunk.bytes)
        #expect(try reread.decodeAll() == samples, sourceLocation: sourceLocation)
    }

    static func samples(start: Int64 = 1_700_000_000_000, step: Int64 = 15_000, values: [Double]) -> [Sample] {
        values.enumerated().map { Sample(timestamp: start + Int64($0.offset) * step, value: $0.element) }
    }

    @Test("special float values round-trip bit for bit")
    func specialValues() throws {
        let stale = Double(bitPattern: Sample.staleMarkerBits)
        let values: [Double] = [
            1, stale, .nan, -.nan, Double(bitPattern: 0x7FF8_0000_0000_0001), Double(bitPattern: 0xFFF0_0000_0000_0001),
            .infinity, -.infinity, 0, -0.0, 0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
            .leastNormalMagnitude, Double(bitPattern: 0x000F_FFFF_FFFF_FFFF), .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, 1e-300, 1e300, stale, stale, 42, stale, .ulpOfOne, 1 + .ulpOfOne,
        ]
        try Self.expectRoundTrip(Self.samples(values: values))
        let decoded = try Self.encode(Self.samples(values: values)).decodeAll()
        #expect(decoded[1].isStaleMarker)
        #expect(decoded[19].isStaleMarker && decoded[20].isStaleMarker && decoded[22].isStaleMarker)
        #expect(decoded[9].value.sign == .minus && decoded[9].value == 0)
        // The stale marker as the very first value (stored raw).
        try Self.expectRoundTrip(Self.samples(values: [stale, 1, stale]))
    }

    @Test("small and standard sample counts", arguments: [1, 2, 3, 120, 10_000])
    func sampleCounts(count: Int) throws {
        var rng = SplitMix64(state: UInt64(count))
        var value = 0.0
        let values = (0..<count).map { _ in
            value += Double(rng.next() % 5)
            return value
        }
        try Self.expectRoundTrip(Self.samples(values: values))
    }

    @Test("empty chunk")
    func empty() throws {
        let chunk = XORChunkAppender().chunk
        #expect(chunk.bytes == [0, 0])
        #expect(chunk.count == 0 && chunk.isEmpty && chunk.minTime == nil)
        #expect(try chunk.decodeAll().isEmpty)
        #expect(XORChunk() == chunk)
        var iterator = chunk.makeIterator()
        #expect(try iterator.next() == nil)
        #expect(try iterator.seek(to: 0) == nil)
    }

    @Test("constant values and integer counters")
    func constantsAndCounters() throws {
        try Self.expectRoundTrip(Self.samples(values: Array(repeating: 3.25, count: 500)))
        try Self.expectRoundTrip(Self.samples(values: Array(repeating: 0, count: 500)))
        try Self.expectRoundTrip(Self.samples(values: (0..<500).map { Double($0 * $0) }))
        try Self.expectRoundTrip(Self.samples(values: (0..<500).map { Double(1 << 52) + Double($0) }))
    }

    @Test("irregular timestamp gaps hit every delta-of-delta bucket")
    func irregularTimestamps() throws {
        let gaps: [Int64] = [
            1, 1, 2, 15_000, 15_000, 15_001, 14_999, 8_192, 8_193, 1, 65_536, 65_537, 1, 524_288, 524_289, 1,
            1 << 20, (1 << 20) + 1, 1, 1 << 33, 1, 86_400_000 * 365, 3, 1 << 40, 1, 7,
        ]
        var timestamp: Int64 = -1_000_000_000_000  // before the epoch
        var samples: [Sample] = []
        for (index, gap) in gaps.enumerated() {
            samples.append(Sample(timestamp: timestamp, value: Double(index)))
            timestamp += gap
        }
        try Self.expectRoundTrip(samples)
        // Every bucket boundary, both signs, starting from a 100 000 ms delta.
        var boundary: [Sample] = [Sample(timestamp: 0, value: 0), Sample(timestamp: 1_000_000, value: 0)]
        var delta: Int64 = 1_000_000
        for bits in [14, 17, 20] as [Int64] {
            let half: Int64 = 1 << (bits - 1)
            for dod in [half, half + 1, -(half - 1), -half, 1, -1] {
                delta += dod
                boundary.append(Sample(timestamp: boundary.last!.timestamp + delta, value: 1))
            }
        }
        try Self.expectRoundTrip(boundary)
    }

    @Test("extreme timestamps")
    func extremeTimestamps() throws {
        try Self.expectRoundTrip([Sample(timestamp: .min, value: 1), Sample(timestamp: .max, value: 2)])
        try Self.expectRoundTrip([
            Sample(timestamp: .min, value: 1), Sample(timestamp: -1, value: 2), Sample(timestamp: 0, value: 3),
            Sample(timestamp: .max - 1, value: 4), Sample(timestamp: .max, value: 5),
        ])
        try Self.expectRoundTrip([Sample(timestamp: -5, value: 1), Sample(timestamp: -4, value: 1)])
    }

    @Test("random data round-trips", arguments: 0..<20)
    func randomData(seed: Int) throws {
        var rng = SplitMix64(state: UInt64(seed) &* 7919 &+ 1)
        let count = Int(rng.next() % 2_000) + 1
        var timestamp = Int64(bitPattern: rng.next() >> 2) - (1 << 61)
        var samples: [Sample] = []
        var value = 0.0
        for _ in 0..<count {
            samples.append(Sample(timestamp: timestamp, value: value))
            let gapKind = rng.next() % 10
            timestamp += gapKind < 6 ? 15_000 : gapKind < 9 ? Int64(rng.next() % 100_000) + 1 : Int64(rng.next() % (1 << 40)) + 1
            switch rng.next() % 6 {
            case 0: value = Double(bitPattern: rng.next())  // any bit pattern, NaNs included
            case 1: value += Double(rng.next() % 10)
            case 2: value = Double(Int64(bitPattern: rng.next()) % 1_000_000) / 1000
            case 3: break
            case 4: value = Double.random(in: -1e6...1e6, using: &rng)
            default: value *= -1.5
            }
        }
        try Self.expectRoundTrip(samples)
    }

    @Test("every truncated prefix throws or yields a prefix, never crashes")
    func truncatedPrefixes() throws {
        let stale = Double(bitPattern: Sample.staleMarkerBits)
        let samples = Self.samples(values: [1, 2, 2, stale, .nan, -0.0, 1e300, 5, 5.5, 6])
            + [Sample(timestamp: 1_700_000_000_000 + 10 * 15_000 + (1 << 30), value: 7)]
        let full = Self.encode(samples).bytes
        for length in 0..<full.count {
            let prefix = Array(full[..<length])
            guard let chunk = try? XORChunk(bytes: prefix) else {
                #expect(length < 2)
                continue
            }
            var iterator = chunk.makeIterator()
            var decoded: [Sample] = []
            do {
                while let sample = try iterator.next() { decoded.append(sample) }
            } catch {
                guard case .truncated = error else {
                    Issue.record("unexpected error \(error) at length \(length)")
                    continue
                }
                // The error is sticky.
                #expect(throws: error) { try iterator.next() }
            }
            #expect(decoded.count < samples.count, "length \(length)")
            #expect(decoded == Array(samples.prefix(decoded.count)), "length \(length)")
        }
    }

    @Test("corrupt bytes throw or decode, never crash")
    func corruptBytes() {
        var rng = SplitMix64(state: 99)
        let full = Self.encode(Self.samples(values: (0..<60).map { Double($0 % 7) * 1.5 })).bytes
        for _ in 0..<2_000 {
            var bytes = full
            for _ in 0..<Int(rng.next() % 4) + 1 {
                let index = Int(rng.next() % UInt64(bytes.count))
                bytes[index] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            }
            if rng.next() % 3 == 0 { bytes.append(contentsOf: [0xFF, 0xFF, 0xFF]) }
            guard let chunk = try? XORChunk(bytes: bytes) else { continue }
            if let samples = try? chunk.decodeAll() {
                #expect(samples.count == chunk.count)
                #expect(zip(samples, samples.dropFirst()).allSatisfy { $0.timestamp < $1.timestamp })
            }
        }
        #expect(throws: XORChunkError.missingHeader(byteCount: 1)) { try XORChunk(bytes: [0]) }
        // A header promising samples with nothing behind it.
        #expect(throws: XORChunkError.truncated(sampleIndex: 0, declaredCount: 5)) {
            try XORChunk(bytes: [0, 5]).decodeAll()
        }
        // Eleven continuation bytes: a varint longer than 64 bits.
        #expect(throws: XORChunkError.malformedVarint(sampleIndex: 0)) {
            try XORChunk(bytes: [0, 1] + Array(repeating: 0xFF, count: 20)).decodeAll()
        }
    }

    @Test("hand-made damage names what is wrong")
    func craftedDamage() throws {
        let firstSample: [UInt8] = [0x00] + Array(repeating: 0, count: 8)  // t = 0, value = 0
        // Second sample with a zero delta: not after the first.
        #expect(throws: XORChunkError.timestampNotIncreasing(sampleIndex: 1, timestamp: 0, previous: 0)) {
            try XORChunk(bytes: [0, 2] + firstSample + [0x00, 0x00]).decodeAll()
        }
        // Delta 1, then a fresh value window of 31 leading zeros and 63 significant bits.
        #expect(throws: XORChunkError.invalidValueWidth(sampleIndex: 1, leadingZeros: 31, significantBits: 63)) {
            try XORChunk(bytes: [0, 2] + firstSample + [0x01, 0xFF, 0xF8] + Array(repeating: 0, count: 8)).decodeAll()
        }
        // The same bytes with a header promising only the first sample decode fine.
        #expect(try XORChunk(bytes: [0, 1] + firstSample + [0x01, 0xFF, 0xF8]).decodeAll()
            == [Sample(timestamp: 0, value: 0)])
        #expect(XORChunk(uncheckedBytes: [0, 3, 0xFF]).minTime == nil)  // unfinished varint
    }

    @Test("a scraped counter takes under 1.5 bytes per sample")
    func counterCompactness() throws {
        var rng = SplitMix64(state: 2024)
        var value = 12_345.0
        let values = (0..<120).map { _ in
            value += Double(rng.next() % 6)
            return value
        }
        let chunk = Self.encode(Self.samples(values: values))
        let bytesPerSample = Double(chunk.bytes.count) / 120
        #expect(bytesPerSample < 1.5, "\(chunk.bytes.count) bytes for 120 samples")
        try Self.expectRoundTrip(Self.samples(values: values))
    }

    @Test("a snapshot stays valid while appending goes on")
    func snapshotMidway() throws {
        let samples = Self.samples(values: (0..<300).map { Double($0 % 17) * 0.25 })
        var appender = XORChunkAppender()
        var snapshots: [(Int, XORChunk)] = []
        for (index, sample) in samples.enumerated() {
            if [0, 1, 2, 3, 7, 8, 63, 64, 65, 150].contains(index) { snapshots.append((index, appender.chunk)) }
            appender.append(sample)
        }
        for (count, snapshot) in snapshots {
            #expect(try snapshot.decodeAll() == Array(samples.prefix(count)), "snapshot at \(count)")
        }
        #expect(try appender.chunk.decodeAll() == samples)
    }

    @Test("seek finds the first sample at or after a timestamp")
    func seek() throws {
        let samples = Self.samples(start: 1_000, step: 10, values: (0..<50).map(Double.init))
        let chunk = Self.encode(samples)
        var iterator = chunk.makeIterator()
        #expect(try iterator.seek(to: 0) == samples[0])
        #expect(try iterator.seek(to: 1_000) == samples[0])  // already there: not consumed again
        #expect(try iterator.next() == samples[1])
        #expect(try iterator.seek(to: 1_095) == samples[10])
        #expect(try iterator.seek(to: 1_100) == samples[10])
        #expect(try iterator.next() == samples[11])
        #expect(try iterator.seek(to: 1_490) == samples[49])
        #expect(try iterator.next() == nil)
        var other = chunk.makeIterator()
        #expect(try other.seek(to: 5_000) == nil)
        #expect(other.current == samples[49])
    }

    @Test("bit stream writer and reader agree on arbitrary widths")
    func bitStreams() {
        var rng = SplitMix64(state: 5)
        var writer = BitStreamWriter()
        var fields: [(UInt64, Int)] = []
        for _ in 0..<5_000 {
            let width = Int(rng.next() % 65)
            let value = width == 64 ? rng.next() : rng.next() & ((1 << UInt64(width)) - 1)
            fields.append((value, width))
            writer.writeBits(value, count: width)
        }
        let bytes = writer.bytes()
        #expect(bytes.count == (writer.bitCount + 7) / 8)
        var reader = BitStreamReader(bytes)
        for (value, width) in fields {
            #expect(reader.readBits(width) == value)
        }
        #expect(!reader.overran)
        _ = reader.readBits(8)
        #expect(reader.overran)
    }
}
