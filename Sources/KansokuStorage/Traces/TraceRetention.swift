/// How long and how much trace data to keep. Whole blocks are deleted: by age
/// when even their latest span ended before the cut-off, by size oldest first.
public struct TraceRetention: Sendable, Hashable {
    /// Blocks whose spans all ended longer ago than this are deleted; nil keeps them forever.
    public var maxAge: Duration?
    /// When blocks take more bytes than this, the oldest are deleted; nil means no limit.
    public var maxBytes: Int64?

    public init(maxAge: Duration? = nil, maxBytes: Int64? = nil) {
        self.maxAge = maxAge
        self.maxBytes = maxBytes
    }

    /// Nanoseconds before `nowNanos` that data must have ended by to be kept, or nil.
    func cutoff(nowNanos: UInt64) -> UInt64? {
        guard let maxAge else { return nil }
        let (seconds, attoseconds) = maxAge.components
        let nanos = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
        return nowNanos > nanos ? nowNanos - nanos : 0
    }
}
