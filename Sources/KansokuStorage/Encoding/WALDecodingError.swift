/// Why a WAL payload could not be decoded, and where.
///
/// Decoding checks every length and tag against the bytes it has, so damaged or
/// foreign input ends in this error rather than a crash or a huge allocation.
public struct WALDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong with the payload.
    public enum Reason: Sendable, Hashable {
        /// The payload has no bytes at all.
        case emptyPayload
        /// The leading version byte is not one this build can read.
        case unsupportedVersion(found: UInt8, supported: UInt8)
        /// The payload holds another kind of item (e.g. logs read as spans).
        case wrongItemKind(expected: UInt8, found: UInt8)
        /// A field needs more bytes than remain.
        case truncated(needed: Int, available: Int)
        /// A varint runs on past 10 bytes or overflows 64 bits.
        case malformedVarint
        /// A varint is too large for the field it encodes.
        case valueOutOfRange(value: UInt64, maximum: UInt64)
        /// An element count larger than the remaining bytes could hold.
        case countExceedsPayload(count: UInt64, remaining: Int)
        /// A string's bytes are not valid UTF-8.
        case invalidUTF8(length: Int)
        /// A tag or enum value that the format does not define.
        case invalidTag(field: String, value: UInt64)
        /// Arrays or key/value lists nested deeper than `WALFormat.maxNestingDepth`.
        case nestingTooDeep(limit: Int)
        /// Bytes left over after the last resource.
        case trailingBytes(count: Int)
    }

    /// What was wrong.
    public var reason: Reason
    /// Byte offset in the payload of the field that could not be decoded.
    public var offset: Int

    /// An error about the field starting at byte `offset`.
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// One line naming the offset and the problem, for logs.
    public var description: String {
        "invalid WAL payload at byte \(offset): \(reasonDescription)"
    }

    private var reasonDescription: String {
        switch reason {
        case .emptyPayload:
            "payload is empty"
        case .unsupportedVersion(let found, let supported):
            "format version \(found) is not supported (this build reads version \(supported))"
        case .wrongItemKind(let expected, let found):
            "payload holds item kind \(found), expected \(expected)"
        case .truncated(let needed, let available):
            "truncated: field needs \(needed) bytes, \(available) remain"
        case .malformedVarint:
            "malformed varint"
        case .valueOutOfRange(let value, let maximum):
            "value \(value) exceeds the field's maximum \(maximum)"
        case .countExceedsPayload(let count, let remaining):
            "element count \(count) cannot fit in the \(remaining) remaining bytes"
        case .invalidUTF8(let length):
            "string of \(length) bytes is not valid UTF-8"
        case .invalidTag(let field, let value):
            "invalid \(field) \(value)"
        case .nestingTooDeep(let limit):
            "attribute values nest deeper than \(limit) levels"
        case .trailingBytes(let count):
            "\(count) unexpected bytes after the last resource"
        }
    }
}
