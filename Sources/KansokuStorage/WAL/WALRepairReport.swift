/// What opening a ``WriteAheadLog`` had to cut away. Empty (``isClean``) when
/// every segment was intact.
public struct WALRepairReport: Sendable {
    /// One segment whose valid data ended before its end of file, and was truncated there.
    public struct Truncation: Sendable, Hashable {
        /// Sequence number of the segment.
        public let segment: UInt64
        /// Path of the segment file.
        public let path: String
        /// Where the file was cut: the start of the first rejected record, and now the file's size.
        public let offset: UInt64
        /// How many bytes were removed from the end of the file.
        public let bytesDropped: UInt64
        /// How many records were lost, when that can be told: a cut-short header
        /// is one record, and a checksum failure followed by intact frames up to
        /// the end of the file is those plus one. `nil` when the length field
        /// itself cannot be trusted.
        public let recordsDropped: Int?
        /// Why the first rejected record was rejected.
        public let damage: WALDamage
        /// Whether this was the newest segment. Damage there is the expected
        /// trace of a crash mid-write; damage in an older, sealed segment means
        /// the disk or something else altered data that had been fsync'd.
        public let wasLastSegment: Bool

        public init(segment: UInt64, path: String, offset: UInt64, bytesDropped: UInt64,
                    recordsDropped: Int?, damage: WALDamage, wasLastSegment: Bool) {
            self.segment = segment
            self.path = path
            self.offset = offset
            self.bytesDropped = bytesDropped
            self.recordsDropped = recordsDropped
            self.damage = damage
            self.wasLastSegment = wasLastSegment
        }
    }

    /// Every truncation made while opening, oldest segment first.
    public var truncations: [Truncation]

    public init(truncations: [Truncation] = []) {
        self.truncations = truncations
    }

    /// `true` when nothing had to be repaired.
    public var isClean: Bool { truncations.isEmpty }

    /// Total bytes removed across all segments.
    public var bytesDropped: UInt64 { truncations.reduce(0) { $0 + $1.bytesDropped } }
}
