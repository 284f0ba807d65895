/// A run of whole traces whose columns are compressed together. Lookups
/// decompress one group, not the block; scans skip groups by start time.
public struct TraceBlockRowGroup: Sendable, Hashable {
    /// Index of the group's first row in the block.
    public var firstRow: Int
    public var rowCount: Int
    /// Index of the group's first trace in the trace index.
    public var firstTrace: Int
    public var traceCount: Int
    public var minStartTimeUnixNano: UInt64
    public var maxStartTimeUnixNano: UInt64
}
