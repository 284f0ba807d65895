/// A token a line filter requires, as a block's indexes are asked about it:
/// its hash for the chunk filters and, for a number that may spell an
/// entry's time (``LogEntryTimeToken``), the entry times it would spell.
///
/// A version-4 block leaves such a token out of the text and out of its
/// filters when it is its entry's own time, so a chunk whose time range
/// meets `entryTimes` may hold it whatever the chunk's filter says.
public struct LogQueryToken: Hashable, Sendable {
    /// The token's hash (``LogTokenizer``).
    public let hash: UInt64
    /// The entry times (ns) whose spelling in seconds, milliseconds,
    /// microseconds or nanoseconds this token is; nil when it is none.
    public let entryTimes: ClosedRange<UInt64>?

    init(_ token: UnsafeBufferPointer<UInt8>, hash: UInt64) {
        self.hash = hash
        self.entryTimes = LogEntryTimeToken.entryTimes(spelledBy: token)
    }
}
