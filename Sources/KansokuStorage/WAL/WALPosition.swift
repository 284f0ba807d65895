/// Where a record starts: its segment's sequence number and the byte offset
/// of its frame header within that segment file.
///
/// Positions order the log: every record appended later has a greater position.
public struct WALPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Sequence number of the segment file (`00000007.wal` is segment 7).
    public let segment: UInt64
    /// Byte offset of the record's frame header in the segment file.
    public let offset: UInt64

    /// Creates a position, for example one restored from a checkpoint to pass
    /// to ``WriteAheadLog/removeSegments(before:)``.
    public init(segment: UInt64, offset: UInt64) {
        self.segment = segment
        self.offset = offset
    }

    public static func < (lhs: WALPosition, rhs: WALPosition) -> Bool {
        (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
    }

    /// `segment:offset`, e.g. `7:1048576`.
    public var description: String { "\(segment):\(offset)" }
}
