import KansokuModel

/// One series as a block stores it: its labels and its XOR chunks, in time
/// order and not overlapping. What `MetricBlockWriter` takes and
/// `MetricBlockReader.allSeries()` gives back.
public struct MetricBlockSeries: Sendable {
    public var labels: SeriesLabels
    /// Chunks with their time bounds, oldest first.
    var chunks: [HeadChunk]

    init(labels: SeriesLabels, chunks: [HeadChunk]) {
        self.labels = labels
        self.chunks = chunks
    }

    /// Number of chunks.
    public var chunkCount: Int { chunks.count }

    /// Number of samples, as the chunk headers state.
    public var sampleCount: Int { chunks.reduce(0) { $0 + $1.chunk.count } }

    /// Every sample, oldest first.
    public func samples() throws(XORChunkError) -> [Sample] {
        var all: [Sample] = []
        all.reserveCapacity(sampleCount)
        for chunk in chunks { all += try chunk.chunk.decodeAll() }
        return all
    }
}
