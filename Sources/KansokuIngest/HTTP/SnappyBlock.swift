import CSnappy

/// Snappy block format (not the framed/stream format), as Loki clients and
/// Prometheus remote_write senders compress protobuf bodies.
enum SnappyBlock {
    /// Decompresses `compressed`, refusing with `.tooLarge` before allocating when
    /// the length the block declares exceeds `maxBytes`.
    static func uncompress(_ compressed: [UInt8], maxBytes: Int) throws(IngestError) -> [UInt8] {
        guard !compressed.isEmpty else { throw .malformed("empty body: expected a snappy-compressed protobuf message") }
        var declared = 0
        let lengthStatus = compressed.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { snappy_uncompressed_length($0.baseAddress, $0.count, &declared) }
        }
        guard lengthStatus == SNAPPY_OK else {
            throw .malformed("body is not snappy block-compressed (invalid length header)")
        }
        guard declared <= maxBytes else { throw .tooLarge(limit: maxBytes) }

        var status = SNAPPY_OK
        let output = [UInt8](unsafeUninitializedCapacity: max(declared, 1)) { buffer, initialized in
            var length = declared
            status = compressed.withUnsafeBufferPointer { input in
                input.withMemoryRebound(to: CChar.self) { input in
                    UnsafeMutableRawPointer(buffer.baseAddress!).withMemoryRebound(to: CChar.self, capacity: buffer.count) { out in
                        snappy_uncompress(input.baseAddress, input.count, out, &length)
                    }
                }
            }
            initialized = status == SNAPPY_OK ? min(length, declared) : 0
        }
        guard status == SNAPPY_OK, output.count == declared else {
            throw .malformed("corrupt snappy data")
        }
        return output
    }
}
