#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CZstd
import KansokuModel

/// Writes series as one immutable metric block file, `<directory>/<id>.kmb`
/// (layout in `docs/metric-block-format.md`).
///
/// Series are sorted by label set; their chunks are laid out in that order
/// and packed, whole, into frames of about `Options.frameSize` raw bytes that
/// are each compressed with zstd, so a query decompresses a frame or two per
/// series run instead of the block. Labels are stored once in a symbol table.
///
/// The write is atomic: the file is written as `<id>.kmb.tmp`, fsynced,
/// renamed and the directory fsynced, so a crash leaves no block or a whole
/// one, and a failure removes the temporary file.
public enum MetricBlockWriter {
    /// Tuning knobs; `write(_:minTime:maxTime:to:)` uses the defaults.
    struct Options: Sendable {
        /// Target raw bytes of chunk data per frame. 64 KiB keeps a frame's
        /// decompression under ~0.1 ms; the measurement in the tests shows
        /// larger frames gain little (see the format document).
        var frameSize = 64 * 1024
        /// zstd level of frames and index sections.
        var compressionLevel: Int32 = 3
        /// Whether to try zstd at all (off only to measure what it gains).
        var compress = true
        /// Test hook: fail with an I/O error at this point of the write.
        var failAt: FaultPoint?
        /// Test hook: write an older format version (1: no histogram chunks),
        /// to check that readers still open such blocks.
        var formatVersion = MetricBlockFormat.version
    }

    /// Where a test can make a write fail.
    enum FaultPoint: Sendable {
        case afterChunks
        case beforeRename
    }

    /// Writes `series` as a new block covering `[minTime, maxTime]` in
    /// `directory`, which must exist.
    ///
    /// - Throws: `.invalidInput` if two series share a label set, a label is
    ///   empty, a chunk is empty, out of order, overlapping its predecessor or
    ///   outside `[minTime, maxTime]`; I/O and compression errors otherwise.
    @discardableResult
    public static func write(_ series: [MetricBlockSeries], minTime: Int64, maxTime: Int64,
                             to directory: String) throws(MetricBlockError) -> MetricBlockMeta {
        try write(series, minTime: minTime, maxTime: maxTime, to: directory, options: Options())
    }

    static func write(_ input: [MetricBlockSeries], minTime: Int64, maxTime: Int64, to directory: String,
                      options: Options) throws(MetricBlockError) -> MetricBlockMeta {
        guard minTime <= maxTime else { throw .invalidInput(detail: "minTime \(minTime) is after maxTime \(maxTime)") }
        let series = input.sorted { $0.labels < $1.labels }
        try validate(series, minTime: minTime, maxTime: maxTime)
        if options.formatVersion < 2, series.contains(where: { !$0.histogramChunks.isEmpty }) {
            throw .invalidInput(detail: "format version \(options.formatVersion) cannot hold native histograms")
        }

        let id = makeID(minTime: minTime)
        let path = directory + "/" + id + MetricBlockFormat.fileExtension
        let temporary = path + ".tmp"
        var sink: BlockFileSink
        do {
            sink = BlockFileSink(fd: try POSIXFile.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC), path: temporary)
        } catch {
            throw MetricBlockError.from(error, path: temporary)
        }
        let context = ZSTD_createCCtx()!
        defer { ZSTD_freeCCtx(context) }
        do throws(MetricBlockError) {
            let counts = try writeContents(series, minTime: minTime, maxTime: maxTime, sink: &sink,
                                           context: context, options: options)
            do {
                try POSIXFile.sync(sink.fd, path: temporary)
                POSIXFile.close(sink.fd)
                sink.fd = -1
                if options.failAt == .beforeRename { throw WALError.io(operation: "rename (injected)", path: temporary, errno: EIO) }
                if rename(temporary, path) != 0 { throw WALError.io(operation: "rename", path: temporary, errno: errno) }
                try POSIXFile.syncDirectory(directory)
            } catch {
                throw MetricBlockError.from(error, path: path)
            }
            return MetricBlockMeta(id: id, path: path, minTime: minTime, maxTime: maxTime, seriesCount: series.count,
                                   sampleCount: counts.samples, chunkCount: counts.chunks, fileBytes: Int(sink.offset))
        } catch {
            if sink.fd >= 0 { POSIXFile.close(sink.fd) }
            try? POSIXFile.unlinkIfPresent(temporary)
            throw error
        }
    }

    /// Header, chunk frames, index sections, footer and trailer.
    private static func writeContents(_ series: [MetricBlockSeries], minTime: Int64, maxTime: Int64,
                                      sink: inout BlockFileSink, context: OpaquePointer,
                                      options: Options) throws(MetricBlockError) -> (chunks: Int, samples: Int) {
        var header = WALWriter(reservingCapacity: MetricBlockFormat.headerSize)
        appendUInt32(MetricBlockFormat.magic, to: &header)
        appendUInt32(options.formatVersion, to: &header)
        try sink.write(header.bytes)

        // Chunk section: whole chunks packed into frames, series by series.
        var frames: [MetricBlockFrame] = []
        var frame: [UInt8] = []
        frame.reserveCapacity(options.frameSize + 1024)
        var refs: [(floats: [MetricBlockChunkRef], histograms: [MetricBlockChunkRef])] = []
        refs.reserveCapacity(series.count)
        var chunkCount = 0, sampleCount = 0
        func flush() throws(MetricBlockError) {
            guard !frame.isEmpty else { return }
            let (stored, codec) = try encodeSection(frame, compress: options.compress, level: options.compressionLevel, context: context)
            frames.append(MetricBlockFrame(offset: sink.offset, storedLength: stored.count, rawLength: frame.count,
                                           codec: codec, crc: CRC32C.checksum(stored)))
            try sink.write(stored)
            frame.removeAll(keepingCapacity: true)
        }
        func place(_ bytes: [UInt8], minTime: Int64, maxTime: Int64, samples: Int) throws(MetricBlockError) -> MetricBlockChunkRef {
            if !frame.isEmpty && frame.count + bytes.count > options.frameSize { try flush() }
            let ref = MetricBlockChunkRef(minTime: minTime, maxTime: maxTime, frame: frames.count, offset: frame.count, length: bytes.count)
            frame.append(contentsOf: bytes)
            chunkCount += 1
            sampleCount += samples
            return ref
        }
        for s in series {
            var floats: [MetricBlockChunkRef] = [], histograms: [MetricBlockChunkRef] = []
            floats.reserveCapacity(s.chunks.count)
            for c in s.chunks {
                let bytes = options.formatVersion >= 3 ? blockEncoding(of: c.chunk) : c.chunk.bytes
                floats.append(try place(bytes, minTime: c.minTime, maxTime: c.maxTime, samples: c.chunk.count))
            }
            for c in s.histogramChunks {
                histograms.append(try place(c.chunk.bytes, minTime: c.minTime, maxTime: c.maxTime, samples: c.chunk.count))
            }
            refs.append((floats, histograms))
        }
        try flush()
        let chunksLength = sink.offset - UInt64(MetricBlockFormat.headerSize)
        if options.failAt == .afterChunks {
            throw .io(operation: "write (injected)", path: sink.path, errno: EIO)
        }

        // Index sections.
        var symbolSet = Set<String>()
        for s in series { for label in s.labels.labels { symbolSet.insert(label.name); symbolSet.insert(label.value) } }
        let symbols = symbolSet.sorted()
        let symbolIDs = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, $0) })
        let raws: [(MetricBlockSectionKind, [UInt8])] = [
            (.frames, MetricBlockIndex.encode(frames: frames)),
            (.symbols, MetricBlockIndex.encode(symbols: symbols)),
            (.series, MetricBlockIndex.encode(series: series, refs: refs, symbolIDs: symbolIDs, blockMinTime: minTime,
                                              withHistograms: options.formatVersion >= 2)),
            (.postings, MetricBlockPostings(series: series).encoded(symbolIDs: symbolIDs)),
        ]
        var entries: [MetricBlockSectionEntry] = []
        for (kind, raw) in raws {
            let (stored, codec) = try encodeSection(raw, compress: options.compress, level: options.compressionLevel, context: context)
            entries.append(MetricBlockSectionEntry(kind: kind, offset: sink.offset, storedLength: stored.count,
                                                   rawLength: raw.count, codec: codec, crc: CRC32C.checksum(stored)))
            try sink.write(stored)
        }

        let footer = MetricBlockFooter(minTime: minTime, maxTime: maxTime, seriesCount: series.count, chunkCount: chunkCount,
                                       sampleCount: sampleCount, chunksLength: chunksLength, sections: entries).encoded()
        var trailer = WALWriter(reservingCapacity: footer.count + MetricBlockFormat.trailerSize)
        for b in footer { trailer.writeByte(b) }
        appendUInt32(UInt32(footer.count), to: &trailer)
        appendUInt32(CRC32C.checksum(footer), to: &trailer)
        appendUInt32(options.formatVersion, to: &trailer)
        appendUInt32(MetricBlockFormat.magic, to: &trailer)
        try sink.write(trailer.bytes)
        return (chunkCount, sampleCount)
    }

    /// A float chunk as a version 3 block stores it: as a ``DecimalChunk``
    /// when its values allow (its varints compress under the frame's zstd
    /// to about half of what XOR bits do), else the XOR chunk; tagged.
    static func blockEncoding(of chunk: XORChunk) -> [UInt8] {
        if let samples = try? chunk.decodeAll(), let decimal = DecimalChunk(samples) {
            return [MetricBlockFormat.FloatChunkEncoding.decimal.rawValue] + decimal.bytes
        }
        return [MetricBlockFormat.FloatChunkEncoding.xor.rawValue] + chunk.bytes
    }

    /// zstd-compressed bytes when that is smaller, else the raw bytes.
    private static func encodeSection(_ raw: [UInt8], compress: Bool, level: Int32,
                                      context: OpaquePointer) throws(MetricBlockError) -> ([UInt8], MetricBlockCodec) {
        guard compress, !raw.isEmpty else { return (raw, .raw) }
        let compressed = try MetricBlockZstd.compress(raw, level: level, context: context)
        return compressed.count < raw.count ? (compressed, .zstd) : (raw, .raw)
    }

    /// Checks what the reader will insist on, so a bad input fails here
    /// rather than producing a block that cannot be opened.
    private static func validate(_ series: [MetricBlockSeries], minTime: Int64, maxTime: Int64) throws(MetricBlockError) {
        var previous: SeriesLabels?
        for s in series {
            if let previous, previous == s.labels { throw .invalidInput(detail: "series \(s.labels) appears twice") }
            previous = s.labels
            var lastName: String?
            for label in s.labels.labels {
                guard !label.name.isEmpty, !label.value.isEmpty, lastName.map({ $0 < label.name }) ?? true else {
                    throw .invalidInput(detail: "series \(s.labels) has empty, unsorted or repeated labels")
                }
                lastName = label.name
            }
            var lastTime: Int64?
            for (index, c) in s.chunks.enumerated() {
                guard c.chunk.count > 0, c.minTime <= c.maxTime, c.minTime >= minTime, c.maxTime <= maxTime,
                      lastTime.map({ $0 < c.minTime }) ?? true, c.chunk.bytes.count <= MetricBlockFormat.maxFrameSize else {
                    throw .invalidInput(detail: "chunk \(index) of \(s.labels) [\(c.minTime), \(c.maxTime)] is empty, "
                                        + "out of order or outside the block [\(minTime), \(maxTime)]")
                }
                lastTime = c.maxTime
            }
            lastTime = nil
            for (index, c) in s.histogramChunks.enumerated() {
                guard c.chunk.count > 0, c.minTime <= c.maxTime, c.minTime >= minTime, c.maxTime <= maxTime,
                      lastTime.map({ $0 < c.minTime }) ?? true, c.chunk.bytes.count <= MetricBlockFormat.maxFrameSize else {
                    throw .invalidInput(detail: "histogram chunk \(index) of \(s.labels) [\(c.minTime), \(c.maxTime)] is empty, "
                                        + "out of order or outside the block [\(minTime), \(maxTime)]")
                }
                lastTime = c.maxTime
            }
        }
    }

    /// `minTime` with the sign bit flipped, as 16 hex digits (so ids sort by
    /// time, negative times first), then 8 random hex digits.
    static func makeID(minTime: Int64) -> String {
        let biased = UInt64(bitPattern: minTime) ^ (1 << 63)
        let time = String(biased, radix: 16)
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return String(repeating: "0", count: 16 - time.count) + time + "-" + String(repeating: "0", count: 8 - random.count) + random
    }

    private static func appendUInt32(_ value: UInt32, to writer: inout WALWriter) {
        withUnsafeBytes(of: value.littleEndian) { for b in $0 { writer.writeByte(b) } }
    }
}

/// The temporary file being written, and how far.
private struct BlockFileSink {
    var fd: Int32
    let path: String
    var offset: UInt64 = 0

    mutating func write(_ bytes: [UInt8]) throws(MetricBlockError) {
        do {
            try bytes.withUnsafeBytes { try POSIXFile.pwriteAll(fd, $0, at: offset, path: path) }
        } catch {
            throw MetricBlockError.from(error, path: path)
        }
        offset += UInt64(bytes.count)
    }
}
