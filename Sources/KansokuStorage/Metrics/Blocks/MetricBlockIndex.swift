import KansokuModel

/// One zstd (or raw) frame of the chunk section, as the frame table records it.
struct MetricBlockFrame: Sendable, Hashable {
    /// Byte offset in the file.
    var offset: UInt64
    var storedLength: Int
    /// Bytes of chunk data the frame expands to.
    var rawLength: Int
    var codec: MetricBlockCodec
    /// CRC-32C of the stored bytes.
    var crc: UInt32
}

/// Where one chunk's bytes are: inside the expanded frame `frame`, at `offset`.
struct MetricBlockChunkRef: Sendable, Hashable {
    var minTime: Int64
    var maxTime: Int64
    var frame: Int
    var offset: Int
    var length: Int
}

/// A series as the reader keeps it in memory: labels and chunk locations.
struct MetricBlockSeriesEntry: Sendable {
    var labels: SeriesLabels
    var chunks: [MetricBlockChunkRef]
    /// Native histogram chunks (format version 2).
    var histogramChunks: [MetricBlockChunkRef] = []

    /// Whether any chunk overlaps `[start, end]`.
    func overlaps(start: Int64, end: Int64) -> Bool {
        chunks.contains { $0.minTime <= end && $0.maxTime >= start }
            || histogramChunks.contains { $0.minTime <= end && $0.maxTime >= start }
    }
}

/// Encoding and validated decoding of the frame table, symbol table and
/// series table (layouts in `docs/metric-block-format.md`).
enum MetricBlockIndex {
    // MARK: Frames

    /// `count:uvar (stored:uvar raw:uvar codec:u8 crc:u32)*`; offsets are implied.
    static func encode(frames: [MetricBlockFrame]) -> [UInt8] {
        var w = WALWriter(reservingCapacity: frames.count * 10 + 4)
        w.writeCount(frames.count)
        for f in frames {
            w.writeCount(f.storedLength)
            w.writeCount(f.rawLength)
            w.writeByte(f.codec.rawValue)
            withUnsafeBytes(of: f.crc.littleEndian) { for b in $0 { w.writeByte(b) } }
        }
        return w.bytes
    }

    /// Frames must tile the chunk section exactly.
    static func decodeFrames(_ bytes: [UInt8], chunksLength: UInt64, path: String) throws(MetricBlockError) -> [MetricBlockFrame] {
        func malformed(_ detail: String) -> MetricBlockError { .malformed(path: path, section: "frames", detail: detail) }
        var r = WALReader(bytes)
        var frames: [MetricBlockFrame] = []
        var offset = UInt64(MetricBlockFormat.headerSize)
        let end = offset + chunksLength
        do {
            let count = try r.readCount(minimumElementSize: 7)
            frames.reserveCapacity(count)
            for index in 0..<count {
                let stored = try r.readInt(), raw = try r.readInt()
                let tag = try r.readByte()
                guard let codec = MetricBlockCodec(rawValue: tag) else { throw malformed("frame \(index) has unknown codec \(tag)") }
                var crc: UInt32 = 0
                for shift in stride(from: 0, to: 32, by: 8) {
                    let byte = try r.readByte()
                    crc |= UInt32(byte) << UInt32(shift)
                }
                guard raw >= 1, raw <= MetricBlockFormat.maxFrameSize, codec == .zstd || raw == stored else {
                    throw malformed("frame \(index) claims \(raw) bytes")
                }
                guard UInt64(stored) <= end - offset else { throw malformed("frame \(index) at byte \(offset) runs past the chunk section") }
                frames.append(MetricBlockFrame(offset: offset, storedLength: stored, rawLength: raw, codec: codec, crc: crc))
                offset += UInt64(stored)
            }
            guard r.isAtEnd else { throw malformed("\(r.remaining) trailing bytes") }
        } catch let error as MetricBlockError {
            throw error
        } catch {
            throw malformed("\(error)")
        }
        guard offset == end else { throw malformed("frames cover \(offset) of \(end) bytes of the chunk section") }
        return frames
    }

    // MARK: Symbols

    /// `count:uvar str*`, strictly ascending.
    static func encode(symbols: [String]) -> [UInt8] {
        var w = WALWriter(reservingCapacity: symbols.count * 12 + 4)
        w.writeCount(symbols.count)
        for s in symbols { w.writeString(s) }
        return w.bytes
    }

    static func decodeSymbols(_ bytes: [UInt8], path: String) throws(MetricBlockError) -> [String] {
        var r = WALReader(bytes)
        var symbols: [String] = []
        do {
            let count = try r.readCount(minimumElementSize: 1)
            symbols.reserveCapacity(count)
            for _ in 0..<count {
                let s = try r.readString()
                if let last = symbols.last, !(last < s) {
                    throw MetricBlockError.malformed(path: path, section: "symbols", detail: "symbol \(symbols.count) out of order")
                }
                symbols.append(s)
            }
            guard r.isAtEnd else { throw MetricBlockError.malformed(path: path, section: "symbols", detail: "\(r.remaining) trailing bytes") }
        } catch let error as MetricBlockError {
            throw error
        } catch {
            throw .malformed(path: path, section: "symbols", detail: "\(error)")
        }
        return symbols
    }

    // MARK: Series

    /// `count:uvar series*`; `series := labelCount:uvar (name:uvar value:uvar)*
    /// chunks histogramChunks` with `chunks := count:uvar (gap:uvar span:uvar
    /// frame:uvar offset:uvar length:uvar)*`, where the first chunk's gap is
    /// `minTime - blockMinTime` and later ones `minTime - previousMaxTime`
    /// (the histogram chunk list starts again from `blockMinTime`).
    static func encode(series: [MetricBlockSeries], refs: [(floats: [MetricBlockChunkRef], histograms: [MetricBlockChunkRef])],
                       symbolIDs: [String: Int], blockMinTime: Int64, withHistograms: Bool = true) -> [UInt8] {
        var w = WALWriter(reservingCapacity: series.count * 64)
        w.writeCount(series.count)
        for (s, chunks) in zip(series, refs) {
            w.writeCount(s.labels.labels.count)
            for label in s.labels.labels {
                w.writeCount(symbolIDs[label.name]!)
                w.writeCount(symbolIDs[label.value]!)
            }
            for list in withHistograms ? [chunks.floats, chunks.histograms] : [chunks.floats] {
                w.writeCount(list.count)
                var previous = blockMinTime
                for c in list {
                    w.writeVarUInt(UInt64(bitPattern: c.minTime &- previous))
                    w.writeVarUInt(UInt64(bitPattern: c.maxTime &- c.minTime))
                    w.writeCount(c.frame)
                    w.writeCount(c.offset)
                    w.writeCount(c.length)
                    previous = c.maxTime
                }
            }
        }
        return w.bytes
    }

    /// Decodes and validates the series table against the symbols, frames
    /// and footer: labels sorted and non-empty, series strictly ascending,
    /// chunks inside the block's range, in order, and inside their frame.
    static func decodeSeries(_ bytes: [UInt8], symbols: [String], frames: [MetricBlockFrame],
                             footer: MetricBlockFooter, path: String) throws(MetricBlockError) -> [MetricBlockSeriesEntry] {
        func malformed(_ detail: String) -> MetricBlockError { .malformed(path: path, section: "series", detail: detail) }
        var r = WALReader(bytes)
        var entries: [MetricBlockSeriesEntry] = []
        var chunkTotal = 0
        /// One chunk list: in the block's range, in order, inside its frame.
        func readChunks(_ r: inout WALReader, series index: Int, kind: String) throws -> [MetricBlockChunkRef] {
            let chunkCount = try r.readCount(minimumElementSize: 5)
            var chunks: [MetricBlockChunkRef] = []
            chunks.reserveCapacity(chunkCount)
            var previous = footer.minTime
            for c in 0..<chunkCount {
                let gap = try r.readVarUInt(), span = try r.readVarUInt()
                let frame = try r.readInt(), offset = try r.readInt(), length = try r.readInt()
                let limit = UInt64(bitPattern: footer.maxTime &- footer.minTime)
                let (minTime, maxTime) = (previous &+ Int64(bitPattern: gap), previous &+ Int64(bitPattern: gap) &+ Int64(bitPattern: span))
                guard gap <= limit, span <= limit, (c == 0 || gap >= 1), minTime <= maxTime, maxTime <= footer.maxTime,
                      minTime >= footer.minTime else {
                    throw malformed("\(kind) \(c) of series \(index) lies outside the block or overlaps its predecessor")
                }
                guard frame < frames.count, length >= XORChunk.headerByteCount, offset <= frames[frame].rawLength,
                      length <= frames[frame].rawLength - offset else {
                    throw malformed("\(kind) \(c) of series \(index) lies outside its frame")
                }
                chunks.append(MetricBlockChunkRef(minTime: minTime, maxTime: maxTime, frame: frame, offset: offset, length: length))
                previous = maxTime
            }
            return chunks
        }
        do {
            let count = try r.readCount(minimumElementSize: 2)
            guard count == footer.seriesCount else { throw malformed("\(count) series, footer says \(footer.seriesCount)") }
            entries.reserveCapacity(count)
            for index in 0..<count {
                let labelCount = try r.readCount(minimumElementSize: 2)
                var labels: [SeriesLabel] = []
                labels.reserveCapacity(labelCount)
                for _ in 0..<labelCount {
                    let name = try r.readInt(), value = try r.readInt()
                    guard name < symbols.count, value < symbols.count else { throw malformed("series \(index) names symbol past \(symbols.count)") }
                    let label = SeriesLabel(name: symbols[name], value: symbols[value])
                    guard !label.name.isEmpty, !label.value.isEmpty, labels.last.map({ $0.name < label.name }) ?? true else {
                        throw malformed("series \(index) has empty or unsorted labels")
                    }
                    labels.append(label)
                }
                let seriesLabels = SeriesLabels(sorted: labels)
                if let previous = entries.last, !(previous.labels < seriesLabels) { throw malformed("series \(index) out of order") }
                let chunks = try readChunks(&r, series: index, kind: "chunk")
                let histogramChunks = footer.formatVersion >= 2 ? try readChunks(&r, series: index, kind: "histogram chunk") : []
                chunkTotal += chunks.count + histogramChunks.count
                entries.append(MetricBlockSeriesEntry(labels: seriesLabels, chunks: chunks, histogramChunks: histogramChunks))
            }
            guard r.isAtEnd else { throw malformed("\(r.remaining) trailing bytes") }
        } catch let error as MetricBlockError {
            throw error
        } catch {
            throw malformed("\(error)")
        }
        guard chunkTotal == footer.chunkCount else { throw malformed("\(chunkTotal) chunks, footer says \(footer.chunkCount)") }
        return entries
    }
}
