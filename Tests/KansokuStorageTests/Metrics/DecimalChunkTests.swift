import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("DecimalChunk")
struct DecimalChunkTests {
    private func samples(_ values: [Double], start: Int64 = 1_700_000_000_000, step: Int64 = 15_000) -> [Sample] {
        values.enumerated().map { Sample(timestamp: start + Int64($0.offset) * step, value: $0.element) }
    }

    @Test("short decimals round-trip bit for bit, at the smallest scale that holds them all")
    func roundTrip() throws {
        let cases: [([Double], UInt8)] = [
            ([1, 2, 3, 1e15, -7, 0], 0),
            ([0.5, 1.25, 100.75, -3.5], 2),
            ([123456.78, 123467.9, 123470.01], 2),
            ([0.1, 0.2, 0.3], 1),
            ([1e-9, 3e-9], 9),
        ]
        for (values, scale) in cases {
            let input = samples(values)
            let chunk = try #require(DecimalChunk(input), "\(values) should encode")
            #expect(chunk.bytes[2] == scale, "\(values)")
            let decoded = try chunk.decodeAll()
            #expect(decoded.map(\.timestamp) == input.map(\.timestamp))
            #expect(decoded.map(\.value.bitPattern) == input.map(\.value.bitPattern), "\(values)")
        }
    }

    @Test("values it cannot hold exactly are refused: NaN, staleness markers, infinities, -0, too many digits, past 2^53")
    func refusals() {
        let stale = Double(bitPattern: Sample.staleMarkerBits)
        for value in [Double.nan, stale, .infinity, -.infinity, -0.0, 1.0 / 3, 9_007_199_254_740_993 * 4, 0.1234567891,
                      0.30000000000000004, 1e-10] {
            #expect(DecimalChunk(samples([1, value])) == nil, "\(value)")
        }
        #expect(DecimalChunk([]) == nil)
    }

    @Test("irregular, negative and large timestamp steps round-trip")
    func timestamps() throws {
        let times: [Int64] = [-5_000, -1, 0, 15_000, 15_001, 1_000_000_000, 1_000_015_000]
        let input = times.enumerated().map { Sample(timestamp: $0.element, value: Double($0.offset) * 0.25) }
        #expect(try DecimalChunk(input)!.decodeAll() == input)
    }

    @Test("a regular counter costs a few bytes per sample before compression")
    func size() throws {
        var value = 123_456.78
        let input = (0..<120).map { i -> Sample in
            value += Double(i % 7) * 1.01
            return Sample(timestamp: Int64(i) * 15_000, value: (value * 100).rounded() / 100)
        }
        let chunk = try #require(DecimalChunk(input))
        #expect(chunk.bytes.count < 120 * 4)
        #expect(try chunk.decodeAll() == input)
    }

    @Test("damaged bytes are reported, not decoded into wrong samples")
    func damage() throws {
        let chunk = try #require(DecimalChunk(samples([1, 2, 3])))
        #expect(throws: DecimalChunkError.self) { try DecimalChunk(bytes: Array(chunk.bytes.dropLast())).decodeAll() }
        #expect(throws: DecimalChunkError.self) { try DecimalChunk(bytes: chunk.bytes + [0]).decodeAll() }
        var badScale = chunk.bytes
        badScale[2] = 200
        #expect(throws: DecimalChunkError.self) { try DecimalChunk(bytes: badScale).decodeAll() }
        #expect(throws: DecimalChunkError.self) { try DecimalChunk(bytes: [0, 1]) }
    }
}
