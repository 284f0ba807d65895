#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KansokuModel

/// Reads one metric block file (layout in `docs/metric-block-format.md`).
///
/// Opening reads and validates the footer, frame table, symbols, series
/// table and postings, and keeps them in memory; chunk frames are read with
/// `pread` and decompressed on demand, by each query. Nothing mutable is
/// shared, so concurrent queries need no locking. Every section and frame is
/// checked against its CRC-32C before it is decoded; damage of any kind
/// surfaces as a ``MetricBlockError`` naming the file and section.
public final class MetricBlockReader: Sendable {
    /// The file this reader was opened on.
    public let path: String
    /// What the block holds.
    public let meta: MetricBlockMeta

    let fd: Int32
    let frames: [MetricBlockFrame]
    /// The file's format version: from 3 on, float chunks carry an encoding tag.
    let formatVersion: UInt32
    private let entries: [MetricBlockSeriesEntry]
    private let postings: MetricBlockPostings

    /// Opens the block at `path` and validates everything but the chunk frames.
    public init(path: String) throws(MetricBlockError) {
        let fd: Int32
        let size: UInt64
        do {
            fd = try POSIXFile.open(path, flags: O_RDONLY)
        } catch {
            throw MetricBlockError.from(error, path: path)
        }
        do throws(MetricBlockError) {
            do { size = try POSIXFile.size(fd, path: path) } catch { throw MetricBlockError.from(error, path: path) }
            let footer = try Self.readFooter(fd: fd, size: size, path: path)
            let frames = try MetricBlockIndex.decodeFrames(Self.read(.frames, footer: footer, fd: fd, path: path),
                                                           chunksLength: footer.chunksLength, path: path)
            let symbols = try MetricBlockIndex.decodeSymbols(Self.read(.symbols, footer: footer, fd: fd, path: path), path: path)
            let entries = try MetricBlockIndex.decodeSeries(Self.read(.series, footer: footer, fd: fd, path: path),
                                                            symbols: symbols, frames: frames, footer: footer, path: path)
            postings = try MetricBlockPostings(decoding: Self.read(.postings, footer: footer, fd: fd, path: path),
                                               symbols: symbols, series: entries, path: path)
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let id = name.hasSuffix(MetricBlockFormat.fileExtension) ? String(name.dropLast(MetricBlockFormat.fileExtension.count)) : name
            meta = MetricBlockMeta(id: id, path: path, minTime: footer.minTime, maxTime: footer.maxTime,
                                   seriesCount: footer.seriesCount, sampleCount: footer.sampleCount,
                                   chunkCount: footer.chunkCount, fileBytes: Int(size))
            self.path = path
            self.formatVersion = footer.formatVersion
            self.fd = fd
            self.frames = frames
            self.entries = entries
        } catch {
            POSIXFile.close(fd)
            throw error
        }
    }

    deinit {
        POSIXFile.close(fd)
    }

    // MARK: Queries

    /// Series matching all `matchers` with samples in `[start, end]`, each
    /// with those samples in time order, sorted by label set. A matcher that
    /// matches the empty string also matches series lacking its label.
    public func select(_ matchers: [SeriesMatcher], start: Int64, end: Int64) throws(MetricBlockError) -> [SeriesSamples] {
        guard start <= end, start <= meta.maxTime, end >= meta.minTime else { return [] }
        var frames = FrameCache(reader: self)
        var result: [SeriesSamples] = []
        for ref in postings.matching(matchers, seriesCount: entries.count) {
            let entry = entries[Int(ref)]
            var samples: [Sample] = []
            for (index, c) in entry.chunks.enumerated() where c.minTime <= end && c.maxTime >= start {
                switch try loadChunk(c, index: index, of: entry, frames: &frames) {
                case .xor(let chunk):
                    var iterator = chunk.makeIterator()
                    do {
                        while let sample = try iterator.next() {
                            guard sample.timestamp >= c.minTime, sample.timestamp <= c.maxTime else {
                                throw corrupt(entry, index, "sample at \(sample.timestamp) outside [\(c.minTime), \(c.maxTime)]")
                            }
                            if sample.timestamp > end { break }
                            if sample.timestamp >= start { samples.append(sample) }
                        }
                    } catch let error as XORChunkError {
                        throw corrupt(entry, index, error.description)
                    } catch {
                        throw error as! MetricBlockError
                    }
                case .decimal(let chunk):
                    let decoded: [Sample]
                    do { decoded = try chunk.decodeAll() } catch { throw corrupt(entry, index, error.description) }
                    // An empty chunk is damage too: the writer never stores one.
                    guard let first = decoded.first, let last = decoded.last, first.timestamp >= c.minTime, last.timestamp <= c.maxTime else {
                        throw corrupt(entry, index, "samples outside [\(c.minTime), \(c.maxTime)]")
                    }
                    for sample in decoded where sample.timestamp >= start && sample.timestamp <= end { samples.append(sample) }
                }
            }
            var histograms: [HistogramSample] = []
            for (index, c) in entry.histogramChunks.enumerated() where c.minTime <= end && c.maxTime >= start {
                for sample in try loadHistograms(c, index: index, of: entry, frames: &frames)
                where sample.timestamp >= start && sample.timestamp <= end {
                    histograms.append(sample)
                }
            }
            if !samples.isEmpty || !histograms.isEmpty {
                result.append(SeriesSamples(labels: entry.labels, samples: samples, histograms: histograms))
            }
        }
        return result
    }

    /// Label sets of series matching any of `selectors` (each a conjunction
    /// of matchers; none means every series) with a chunk overlapping
    /// `[start, end]`, sorted.
    public func series(selectors: [[SeriesMatcher]], start: Int64, end: Int64) -> [SeriesLabels] {
        matchingRefs(selectors, start: start, end: end).map { entries[Int($0)].labels }
    }

    /// Label names used by the series `series(selectors:start:end:)` returns, sorted.
    public func labelNames(selectors: [[SeriesMatcher]], start: Int64, end: Int64) -> [String] {
        if selectors.isEmpty, start <= meta.minTime, end >= meta.maxTime { return postings.names }
        var names = Set<String>()
        for ref in matchingRefs(selectors, start: start, end: end) {
            for label in entries[Int(ref)].labels.labels { names.insert(label.name) }
        }
        return names.sorted()
    }

    /// Values of label `name` among those series, sorted.
    public func labelValues(name: String, selectors: [[SeriesMatcher]], start: Int64, end: Int64) -> [String] {
        if selectors.isEmpty, start <= meta.minTime, end >= meta.maxTime { return postings.values(of: name).keys.sorted() }
        var values = Set<String>()
        for ref in matchingRefs(selectors, start: start, end: end) {
            if let value = entries[Int(ref)].labels[name] { values.insert(value) }
        }
        return values.sorted()
    }

    /// Every series with all its chunks, sorted by label set, each chunk
    /// checked to decode and to match its recorded time range (for compaction).
    public func allSeries() throws(MetricBlockError) -> [MetricBlockSeries] {
        var frames = FrameCache(reader: self)
        var result: [MetricBlockSeries] = []
        result.reserveCapacity(entries.count)
        var sampleTotal = 0
        for entry in entries {
            var chunks: [HeadChunk] = []
            chunks.reserveCapacity(entry.chunks.count)
            for (index, c) in entry.chunks.enumerated() {
                let samples: [Sample]
                let chunk: XORChunk
                switch try loadChunk(c, index: index, of: entry, frames: &frames) {
                case .xor(let xor):
                    chunk = xor
                    do { samples = try xor.decodeAll() } catch { throw corrupt(entry, index, error.description) }
                case .decimal(let decimal):
                    // Blocks are handed on as XOR chunks (the head's form); a writer encodes them again.
                    do { samples = try decimal.decodeAll() } catch { throw corrupt(entry, index, error.description) }
                    var appender = XORChunkAppender()
                    for sample in samples { appender.append(sample) }
                    chunk = appender.chunk
                }
                guard samples.first?.timestamp == c.minTime, samples.last?.timestamp == c.maxTime else {
                    throw corrupt(entry, index, "samples do not span [\(c.minTime), \(c.maxTime)]")
                }
                sampleTotal += samples.count
                chunks.append(HeadChunk(chunk: chunk, minTime: c.minTime, maxTime: c.maxTime))
            }
            var histogramChunks: [HeadHistogramChunk] = []
            for (index, c) in entry.histogramChunks.enumerated() {
                let frame = try frames.frame(c.frame)
                let chunk: HistogramChunk
                do { chunk = try HistogramChunk(bytes: Array(frame[c.offset..<c.offset + c.length])) } catch {
                    throw corrupt(entry, index, "histogram chunk: \(error)")
                }
                sampleTotal += try loadHistograms(c, index: index, of: entry, frames: &frames).count
                histogramChunks.append(HeadHistogramChunk(chunk: chunk, minTime: c.minTime, maxTime: c.maxTime))
            }
            result.append(MetricBlockSeries(labels: entry.labels, chunks: chunks, histogramChunks: histogramChunks))
        }
        guard sampleTotal == meta.sampleCount else {
            throw .malformed(path: path, section: "footer", detail: "\(sampleTotal) samples, footer says \(meta.sampleCount)")
        }
        return result
    }

    // MARK: Helpers

    private func matchingRefs(_ selectors: [[SeriesMatcher]], start: Int64, end: Int64) -> [UInt32] {
        guard start <= end, start <= meta.maxTime, end >= meta.minTime else { return [] }
        return postings.matching(selectors: selectors, seriesCount: entries.count)
            .filter { entries[Int($0)].overlaps(start: start, end: end) }
    }

    /// A stored float chunk in either encoding.
    private enum StoredFloatChunk {
        case xor(XORChunk)
        case decimal(DecimalChunk)
    }

    private func loadChunk(_ c: MetricBlockChunkRef, index: Int, of entry: MetricBlockSeriesEntry,
                           frames: inout FrameCache) throws(MetricBlockError) -> StoredFloatChunk {
        let frame = try frames.frame(c.frame)
        var bytes = frame[c.offset..<c.offset + c.length]
        var encoding = MetricBlockFormat.FloatChunkEncoding.xor
        if formatVersion >= 3 {
            guard let tag = bytes.first, let tagged = MetricBlockFormat.FloatChunkEncoding(rawValue: tag) else {
                throw corrupt(entry, index, "unknown float chunk encoding \(bytes.first ?? 0)")
            }
            encoding = tagged
            bytes = bytes.dropFirst()
        }
        do {
            switch encoding {
            case .xor: return .xor(try XORChunk(bytes: Array(bytes)))
            case .decimal: return .decimal(try DecimalChunk(bytes: Array(bytes)))
            }
        } catch {
            throw corrupt(entry, index, "\(error)")
        }
    }

    /// A histogram chunk's samples, checked to span exactly its recorded range.
    private func loadHistograms(_ c: MetricBlockChunkRef, index: Int, of entry: MetricBlockSeriesEntry,
                                frames: inout FrameCache) throws(MetricBlockError) -> [HistogramSample] {
        let frame = try frames.frame(c.frame)
        let samples: [HistogramSample]
        do {
            samples = try HistogramChunk(bytes: Array(frame[c.offset..<c.offset + c.length])).decodeAll()
        } catch {
            throw corrupt(entry, index, "histogram chunk: \(error)")
        }
        guard samples.first?.timestamp == c.minTime, samples.last?.timestamp == c.maxTime else {
            throw corrupt(entry, index, "histogram chunk samples do not span [\(c.minTime), \(c.maxTime)]")
        }
        return samples
    }

    private func corrupt(_ entry: MetricBlockSeriesEntry, _ index: Int, _ detail: String) -> MetricBlockError {
        .corruptChunk(path: path, series: entry.labels.description, chunkIndex: index, detail: detail)
    }
}

/// The most recently expanded frame of one query. Series are visited in
/// table order and their chunks were written in that order, so frames are
/// needed in ascending order and one slot avoids re-reading.
private struct FrameCache {
    let reader: MetricBlockReader
    var index = -1
    var bytes: [UInt8] = []

    init(reader: MetricBlockReader) { self.reader = reader }

    mutating func frame(_ wanted: Int) throws(MetricBlockError) -> [UInt8] {
        if wanted != index {
            bytes = try reader.readFrame(wanted)
            index = wanted
        }
        return bytes
    }
}
