import CZlib
import Testing
@testable import KansokuIngest

/// gzip-compresses `input` with zlib (window bits 31 selects the gzip wrapper).
func gzip(_ input: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 64)
    var input = input
    let written = input.withUnsafeMutableBufferPointer { inBuf in
        output.withUnsafeMutableBufferPointer { outBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            stream.next_out = outBuf.baseAddress
            stream.avail_out = UInt32(outBuf.count)
            deflate(&stream, Z_FINISH)
            return outBuf.count - Int(stream.avail_out)
        }
    }
    return Array(output[0..<written])
}

@Suite struct GzipDecompressorTests {
    @Test func roundTrip() throws {
        let original = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7 % 251) }
        #expect(try GzipDecompressor.decompress(gzip(original), limit: 1 << 20) == original)
    }

    @Test func emptyBody() throws {
        #expect(try GzipDecompressor.decompress(gzip([]), limit: 10) == [])
    }

    @Test func bombIsRefusedAtTheLimit() {
        let bomb = gzip([UInt8](repeating: 0, count: 32 << 20))
        #expect(bomb.count < 100_000)
        #expect {
            try GzipDecompressor.decompress(bomb, limit: 1 << 20)
        } throws: { error in
            if case IngestError.tooLarge(let limit) = error { return limit == 1 << 20 }
            return false
        }
    }

    @Test func truncatedStreamIsMalformed() {
        let compressed = gzip(Array("hello, kansoku".utf8))
        #expect {
            try GzipDecompressor.decompress(Array(compressed.prefix(compressed.count / 2)), limit: 1 << 20)
        } throws: { error in
            if case IngestError.malformed = error { return true }
            return false
        }
    }

    @Test func garbageIsMalformed() {
        #expect {
            try GzipDecompressor.decompress(Array("definitely not gzip".utf8), limit: 1 << 20)
        } throws: { error in
            if case IngestError.malformed(let message) = error { return message.contains("gzip") }
            return false
        }
    }
}
