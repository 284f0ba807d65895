import CZstd

/// One-shot zstd compression of chunk frames and index sections.
enum MetricBlockZstd {
    /// Compresses `input` at `level`, reusing `context`'s working memory.
    static func compress(_ input: [UInt8], level: Int32, context: OpaquePointer) throws(MetricBlockError) -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { src in
                ZSTD_compressCCtx(context, out.baseAddress, out.count, src.baseAddress, src.count, level)
            }
        }
        if ZSTD_isError(written) != 0 {
            throw .compressionFailed(detail: String(cString: ZSTD_getErrorName(written)))
        }
        output.removeSubrange(written...)
        return output
    }

    /// Decompresses a frame that must expand to exactly `expectedSize` bytes;
    /// the size comes from the (checksummed) index, so a lying frame is
    /// caught before anything is allocated from its claim.
    static func decompress(_ input: [UInt8], expectedSize: Int, path: String, section: String,
                           offset: UInt64) throws(MetricBlockError) -> [UInt8] {
        let frameSize = input.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        guard frameSize == UInt64(expectedSize) else {
            throw .decompressionFailed(path: path, section: section, offset: offset,
                                       detail: "frame declares \(frameSize) bytes, index \(expectedSize)")
        }
        var output = [UInt8](repeating: 0, count: expectedSize)
        let written = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { src in
                ZSTD_decompress(out.baseAddress, out.count, src.baseAddress, src.count)
            }
        }
        if ZSTD_isError(written) != 0 {
            throw .decompressionFailed(path: path, section: section, offset: offset,
                                       detail: String(cString: ZSTD_getErrorName(written)))
        }
        guard written == expectedSize else {
            throw .decompressionFailed(path: path, section: section, offset: offset,
                                       detail: "expanded to \(written) bytes, expected \(expectedSize)")
        }
        return output
    }
}
