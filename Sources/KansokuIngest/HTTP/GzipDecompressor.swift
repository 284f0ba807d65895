import CZlib

/// Inflates gzip (and zlib) bodies while enforcing a limit on the inflated
/// size, so a small "gzip bomb" is refused before it can exhaust memory.
enum GzipDecompressor {
    static func decompress(_ input: [UInt8], limit: Int) throws(IngestError) -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 32: detect gzip or zlib headers automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformed("gzip: could not initialise the decompressor")
        }
        defer { inflateEnd(&stream) }

        var output = [UInt8]()
        output.reserveCapacity(min(limit, max(input.count * 4, 64 * 1024)))
        let chunkSize = 64 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var status: Int32 = Z_OK
        var input = input
        return try input.withUnsafeMutableBufferPointer { (inBuffer) throws(IngestError) -> [UInt8] in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = UInt32(inBuffer.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(chunkSize)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return chunkSize - Int(stream.avail_out)
                }
                switch status {
                case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
                    break
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw .malformed("invalid gzip body: \(reason)")
                }
                if output.count + produced > limit { throw .tooLarge(limit: limit) }
                output.append(contentsOf: chunk[0..<produced])
                // Z_BUF_ERROR with no input left and nothing produced means the stream was cut short.
                if status == Z_BUF_ERROR && produced == 0 {
                    throw .malformed("invalid gzip body: truncated stream")
                }
            } while status != Z_STREAM_END
            return output
        }
    }
}
