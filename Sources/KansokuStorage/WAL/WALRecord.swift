/// One record read back from a ``WriteAheadLog``.
public struct WALRecord: Sendable {
    /// Where the record's frame starts.
    public let position: WALPosition
    /// The bytes passed to ``WriteAheadLog/append(_:)``; their checksum was verified on read.
    public let payload: [UInt8]

    public init(position: WALPosition, payload: [UInt8]) {
        self.position = position
        self.payload = payload
    }
}
