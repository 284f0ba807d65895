/// What a metric block holds, known without reading its chunks: the result
/// of writing or merging a block, and `MetricBlockReader.meta` once opened.
public struct MetricBlockMeta: Sendable, Hashable {
    /// Block identity: the file name without `.kmb`. Ids sort by `minTime`
    /// (a biased hex rendering of it) and end in a random suffix.
    public var id: String
    /// The block file.
    public var path: String
    /// Inclusive time range the block covers, in milliseconds; every chunk lies inside.
    public var minTime: Int64
    public var maxTime: Int64
    public var seriesCount: Int
    public var sampleCount: Int
    public var chunkCount: Int
    /// Size of the file in bytes.
    public var fileBytes: Int

    public init(id: String, path: String, minTime: Int64, maxTime: Int64, seriesCount: Int,
                sampleCount: Int, chunkCount: Int, fileBytes: Int) {
        self.id = id
        self.path = path
        self.minTime = minTime
        self.maxTime = maxTime
        self.seriesCount = seriesCount
        self.sampleCount = sampleCount
        self.chunkCount = chunkCount
        self.fileBytes = fileBytes
    }
}
