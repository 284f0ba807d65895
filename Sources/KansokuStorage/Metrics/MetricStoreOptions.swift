/// How the embedded metric store lays data out on disk and how long it keeps it.
public struct MetricStoreOptions: Sendable, Hashable {
    /// Span of the blocks cut from the head (ms). The head is cut once it
    /// spans one and a half blocks, so samples up to half a block late still
    /// land in memory — Prometheus's rule, with its 2 h default.
    public var blockDuration: Int64
    /// Blocks are merged into blocks up to this span (ms).
    public var maxBlockDuration: Int64
    /// Blocks whose newest sample is older than this (ms before now) are deleted; nil keeps them.
    public var retentionAge: Int64?
    /// Bytes of blocks kept at most, oldest deleted first; nil for no limit.
    public var retentionBytes: Int64?

    public init(blockDuration: Int64 = 2 * 3_600_000, maxBlockDuration: Int64 = 24 * 3_600_000,
                retentionAge: Int64? = 15 * 24 * 3_600_000, retentionBytes: Int64? = nil) {
        self.blockDuration = blockDuration
        self.maxBlockDuration = maxBlockDuration
        self.retentionAge = retentionAge
        self.retentionBytes = retentionBytes
    }
}
