/// How a ``WriteAheadLog`` lays out and syncs its files.
public struct WALOptions: Sendable {
    /// A segment is closed and the next one started when appending a record
    /// would take the active segment past this many bytes. A single record
    /// larger than this still gets written, alone in a fresh segment.
    /// Default 64 MiB.
    public var segmentSizeBytes: Int

    /// Whether commits call `fdatasync` (and repairs, rotations and removals
    /// `fsync`). Leave it `true`: with `false`, appends survive a process crash
    /// but not a power loss or kernel crash. Only tests and benchmarks that say
    /// so turn it off.
    public var fsync: Bool

    /// - Parameters:
    ///   - segmentSizeBytes: Rotation threshold in bytes; values below 1 are treated as 1
    ///     (every record in its own segment).
    ///   - fsync: Whether to make appends durable before acknowledging them.
    public init(segmentSizeBytes: Int = 64 << 20, fsync: Bool = true) {
        self.segmentSizeBytes = segmentSizeBytes
        self.fsync = fsync
    }
}
