import KansokuModel

/// Merges blocks into one, as Prometheus's compactor does for adjacent or
/// overlapping blocks.
public enum MetricBlockCompactor {
    /// Samples per re-encoded chunk, as the head cuts them.
    static let samplesPerChunk = 120

    /// Writes one block to `directory` holding every series of `readers`.
    ///
    /// A series found in one input keeps its chunks as they are. A series in
    /// several inputs has its samples merged by time — on equal timestamps
    /// the sample of the later input in `readers` wins — and re-encoded into
    /// XOR chunks of at most 120 samples. The block spans the union of the
    /// inputs' time ranges. The inputs are left in place; deleting them once
    /// the new block is durable is the caller's job.
    ///
    /// - Throws: `.invalidInput` for an empty `readers`; read errors of the
    ///   inputs (a corrupt chunk stops the merge); write errors of the output.
    @discardableResult
    public static func merge(_ readers: [MetricBlockReader], into directory: String) throws(MetricBlockError) -> MetricBlockMeta {
        guard !readers.isEmpty else { throw .invalidInput(detail: "no blocks to merge") }
        var sources: [SeriesLabels: [(input: Int, series: MetricBlockSeries)]] = [:]
        for (input, reader) in readers.enumerated() {
            for series in try reader.allSeries() {
                sources[series.labels, default: []].append((input, series))
            }
        }
        var merged: [MetricBlockSeries] = []
        merged.reserveCapacity(sources.count)
        for (labels, parts) in sources {
            if parts.count == 1 {
                merged.append(parts[0].series)
                continue
            }
            var samples: [Sample] = []
            var histograms: [HistogramSample] = []
            for part in parts {
                do {
                    samples = mergeSamples(samples, try part.series.samples())
                } catch {
                    let path = readers[part.input].path
                    throw .corruptChunk(path: path, series: labels.description, chunkIndex: -1, detail: error.description)
                }
                do {
                    histograms = mergeSamples(histograms, try part.series.histogramSamples())
                } catch {
                    let path = readers[part.input].path
                    throw .corruptChunk(path: path, series: labels.description, chunkIndex: -1, detail: error.description)
                }
            }
            merged.append(MetricBlockSeries(labels: labels, chunks: encode(samples), histogramChunks: encode(histograms)))
        }
        let minTime = readers.map(\.meta.minTime).min()!
        let maxTime = readers.map(\.meta.maxTime).max()!
        return try MetricBlockWriter.write(merged, minTime: minTime, maxTime: maxTime, to: directory)
    }

    /// Merges two time-sorted runs; on equal timestamps `newer`'s sample wins.
    static func mergeSamples<S: BlockSample>(_ older: [S], _ newer: [S]) -> [S] {
        if older.isEmpty { return newer }
        if newer.isEmpty { return older }
        var out: [S] = []
        out.reserveCapacity(older.count + newer.count)
        var i = 0, j = 0
        while i < older.count || j < newer.count {
            if j == newer.count || (i < older.count && older[i].timestamp < newer[j].timestamp) {
                out.append(older[i]); i += 1
            } else {
                if i < older.count, older[i].timestamp == newer[j].timestamp { i += 1 }
                out.append(newer[j]); j += 1
            }
        }
        return out
    }

    /// Time-sorted samples (strictly increasing timestamps) as XOR chunks of
    /// at most `samplesPerChunk` samples.
    static func encode(_ samples: [Sample]) -> [HeadChunk] {
        var chunks: [HeadChunk] = []
        chunks.reserveCapacity(samples.count / samplesPerChunk + 1)
        var appender = XORChunkAppender()
        for sample in samples {
            if appender.count == samplesPerChunk {
                chunks.append(HeadChunk(chunk: appender.chunk, minTime: appender.minTime, maxTime: appender.maxTime))
                appender = XORChunkAppender()
            }
            appender.append(sample)
        }
        if appender.count > 0 {
            chunks.append(HeadChunk(chunk: appender.chunk, minTime: appender.minTime, maxTime: appender.maxTime))
        }
        return chunks
    }

    /// Time-sorted histogram samples as histogram chunks of at most
    /// `samplesPerChunk` samples.
    static func encode(_ samples: [HistogramSample]) -> [HeadHistogramChunk] {
        stride(from: 0, to: samples.count, by: samplesPerChunk).map { start in
            let part = samples[start..<min(start + samplesPerChunk, samples.count)]
            return HeadHistogramChunk(chunk: HistogramChunk(part), minTime: part.first!.timestamp, maxTime: part.last!.timestamp)
        }
    }
}

/// A sample of either kind, for merging.
protocol BlockSample {
    var timestamp: Int64 { get }
}

extension Sample: BlockSample {}
extension HistogramSample: BlockSample {}
