import CZstd

/// One-shot zstd compression of whole sections. Sections are small enough
/// (one column of one row group) that streaming would only add code.
enum TraceBlockZstd {
    /// Compresses `input` at `level`; reuses `context` so a block's many
    /// columns do not each allocate zstd's working memory.
    static func compress(_ input: [UInt8], level: Int32, context: OpaquePointer) throws(TraceBlockError) -> [UInt8] {
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

    /// Decompresses a frame that must expand to exactly `expectedSize` bytes
    /// (the size is recorded in the footer, so a lying frame is caught before
    /// it can make us allocate or read past anything).
    static func decompress(_ input: [UInt8], expectedSize: Int, path: String, section: String) throws(TraceBlockError) -> [UInt8] {
        try decompress(input[...], expectedSize: expectedSize, path: path, section: section)
    }

    /// ``decompress(_:expectedSize:path:section:)`` of a frame that is part of a larger read.
    static func decompress(_ input: ArraySlice<UInt8>, expectedSize: Int, path: String, section: String) throws(TraceBlockError) -> [UInt8] {
        let frameSize = input.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        guard frameSize == UInt64(expectedSize) else {
            throw .decompressionFailed(path: path, section: section,
                                       detail: "frame declares \(frameSize) bytes, footer \(expectedSize)")
        }
        var output = [UInt8](repeating: 0, count: expectedSize)
        let written = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { src in
                ZSTD_decompress(out.baseAddress, out.count, src.baseAddress, src.count)
            }
        }
        if ZSTD_isError(written) != 0 {
            throw .decompressionFailed(path: path, section: section, detail: String(cString: ZSTD_getErrorName(written)))
        }
        guard written == expectedSize else {
            throw .decompressionFailed(path: path, section: section, detail: "expanded to \(written) bytes, expected \(expectedSize)")
        }
        return output
    }
}
