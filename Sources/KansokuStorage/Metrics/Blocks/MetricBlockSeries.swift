import KansokuModel

/// One series as a block stores it: its labels and its XOR chunks, in time
/// order and not overlapping. What `MetricBlockWriter` takes and
/// `MetricBlockReader.allSeries()` gives back.
public struct MetricBlockSeries: Sendable {
    public var labels: SeriesLabels
    /// Float chunks with their time bounds, oldest first.
    var chunks: [HeadChunk]
    /// Native histogram chunks with their time bounds, oldest first.
    var histogramChunks: [HeadHistogramChunk]

    init(labels: SeriesLabels, chunks: [HeadChunk], histogramChunks: [HeadHistogramChunk] = []) {
        self.labels = labels
        self.chunks = chunks
        self.histogramChunks = histogramChunks
    }

    /// Number of chunks of either kind.
    public var chunkCount: Int { chunks.count + histogramChunks.count }

    /// Number of samples of either kind, as the chunk headers state.
    public var sampleCount: Int { chunks.reduce(0) { $0 + $1.chunk.count } + histogramChunks.reduce(0) { $0 + $1.chunk.count } }

    /// Every histogram sample, oldest first.
    public func histogramSamples() throws(WALDecodingError) -> [HistogramSample] {
        var all: [HistogramSample] = []
        for chunk in histogramChunks { all += try chunk.chunk.decodeAll() }
        return all
    }

    /// Every sample, oldest first.
    public func samples() throws(XORChunkError) -> [Sample] {
        var all: [Sample] = []
        all.reserveCapacity(sampleCount)
        for chunk in chunks { all += try chunk.chunk.decodeAll() }
        return all
    }
}
