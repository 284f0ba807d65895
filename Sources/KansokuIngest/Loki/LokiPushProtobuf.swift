/// A `logproto.PushRequest` as read off the wire (see `Proto/loki/push.proto`),
/// before any validation.
///
/// Lines and structured metadata stay byte ranges into the serialized request
/// until ``string(_:)`` makes them strings, so that decoding allocates
/// nothing per entry and entries that are then rejected cost no string. The
/// entries of all streams share one array (and their metadata pairs another),
/// each stream owning a contiguous run of it.
struct LokiPushProtobuf {
    struct Stream {
        var labels = ""
        /// The stream's entries: indices into ``LokiPushProtobuf/entries``.
        var entries: Range<Int> = 0..<0
    }

    struct Entry {
        /// `google.protobuf.Timestamp`; nil when the field was absent.
        var timestamp: (seconds: Int64, nanos: Int32)?
        /// The line's bytes in ``LokiPushProtobuf/bytes`` (UTF-8, not validated).
        var line: Range<Int> = 0..<0
        /// The entry's metadata pairs: indices into ``LokiPushProtobuf/labelPairs``, in the order sent.
        var structuredMetadata: Range<Int> = 0..<0
    }

    /// One `LabelPairAdapter`: name and value as byte ranges in ``LokiPushProtobuf/bytes``.
    struct LabelPair {
        var name: Range<Int> = 0..<0
        var value: Range<Int> = 0..<0
    }

    /// The serialized request the ranges point into.
    let bytes: [UInt8]
    var streams: [Stream] = []
    var entries: [Entry] = []
    var labelPairs: [LabelPair] = []

    /// Why the bytes are not a `PushRequest`.
    struct Failure: Error, Equatable {
        var message: String
    }

    /// The bytes at `range` as a string; invalid UTF-8 is repaired (U+FFFD), never refused.
    func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// Decodes a serialized `PushRequest`.
    ///
    /// Hand-written rather than through the generated `Logproto_PushRequest`
    /// because swift-protobuf refuses a whole message when any string is not
    /// valid UTF-8, while Loki (gogoproto) takes such log lines as they are; here
    /// invalid sequences become U+FFFD (in ``string(_:)``) and the line is kept.
    /// Unknown fields are skipped, as protobuf requires; a repeated singular
    /// field keeps its last value, and a repeated message field merges.
    static func decode(_ bytes: [UInt8]) throws(Failure) -> LokiPushProtobuf {
        var request = LokiPushProtobuf(bytes: bytes)
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
            var reader = Reader(bytes: buffer, index: 0, end: buffer.count)
            while !reader.isAtEnd {
                let (field, wireType) = try reader.tag()
                if field == 1 {
                    var sub = try reader.message(wireType, "PushRequest.streams")
                    let first = request.entries.count
                    var stream = Stream()
                    try request.decodeStream(&sub, into: &stream)
                    stream.entries = first..<request.entries.count
                    request.streams.append(stream)
                } else {
                    try reader.skip(wireType)
                }
            }
        }
        return request
    }

    private mutating func decodeStream(_ reader: inout Reader, into stream: inout Stream) throws(Failure) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.tag()
            switch field {
            case 1:
                let range = try reader.lengthDelimited(wireType, "StreamAdapter.labels")
                stream.labels = String(decoding: UnsafeBufferPointer(rebasing: reader.bytes[range]), as: UTF8.self)
            case 2:
                var sub = try reader.message(wireType, "StreamAdapter.entries")
                entries.append(try decodeEntry(&sub))
            default: try reader.skip(wireType)
            }
        }
    }

    private mutating func decodeEntry(_ reader: inout Reader) throws(Failure) -> Entry {
        var entry = Entry()
        let firstPair = labelPairs.count
        while !reader.isAtEnd {
            let (field, wireType) = try reader.tag()
            switch field {
            case 1:
                var sub = try reader.message(wireType, "EntryAdapter.timestamp")
                // A repeated message field merges into the earlier one, as protobuf specifies.
                var (seconds, nanos) = entry.timestamp ?? (0, 0)
                while !sub.isAtEnd {
                    let (tsField, tsWireType) = try sub.tag()
                    switch tsField {
                    case 1: seconds = Int64(bitPattern: try sub.varint(tsWireType, "Timestamp.seconds"))
                    case 2: nanos = Int32(truncatingIfNeeded: try sub.varint(tsWireType, "Timestamp.nanos"))
                    default: try sub.skip(tsWireType)
                    }
                }
                entry.timestamp = (seconds, nanos)
            case 2: entry.line = try reader.lengthDelimited(wireType, "EntryAdapter.line")
            case 3:
                var sub = try reader.message(wireType, "EntryAdapter.structuredMetadata")
                var pair = LabelPair()
                while !sub.isAtEnd {
                    let (pairField, pairWireType) = try sub.tag()
                    switch pairField {
                    case 1: pair.name = try sub.lengthDelimited(pairWireType, "LabelPairAdapter.name")
                    case 2: pair.value = try sub.lengthDelimited(pairWireType, "LabelPairAdapter.value")
                    default: try sub.skip(pairWireType)
                    }
                }
                labelPairs.append(pair)
            default: try reader.skip(wireType)  // including `parsed` (4), which only Loki's query responses fill
            }
        }
        entry.structuredMetadata = firstPair..<labelPairs.count
        return entry
    }

    /// A cursor over `bytes[index..<end]`; sub-messages share the buffer, which
    /// is only valid inside ``decode(_:)``.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int
        let end: Int

        var isAtEnd: Bool { index >= end }

        private func fail(_ message: String) -> Failure { Failure(message: "\(message) at byte \(index)") }

        mutating func tag() throws(Failure) -> (field: UInt64, wireType: UInt8) {
            let key = try rawVarint()
            let field = key >> 3
            guard field > 0, field <= 0x1FFF_FFFF else { throw fail("invalid field number \(field)") }
            return (field, UInt8(key & 7))
        }

        @inline(__always)
        mutating func rawVarint() throws(Failure) -> UInt64 {
            // One- and two-byte varints (tags, lengths of lines) are the common case.
            if index < end {
                let first = bytes[index]
                if first < 0x80 {
                    index += 1
                    return UInt64(first)
                }
                if end - index >= 2, bytes[index + 1] < 0x80 {
                    let value = UInt64(first & 0x7F) | UInt64(bytes[index + 1]) << 7
                    index += 2
                    return value
                }
            }
            return try longVarint()
        }

        private mutating func longVarint() throws(Failure) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < end else { throw fail("truncated varint") }
                let byte = bytes[index]
                index += 1
                guard shift < 64 else { throw fail("varint longer than 10 bytes") }
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }

        mutating func varint(_ wireType: UInt8, _ field: String) throws(Failure) -> UInt64 {
            guard wireType == 0 else { throw fail("\(field) has wire type \(wireType), expected 0 (varint)") }
            return try rawVarint()
        }

        mutating func lengthDelimited(_ wireType: UInt8, _ field: String) throws(Failure) -> Range<Int> {
            guard wireType == 2 else { throw fail("\(field) has wire type \(wireType), expected 2 (length-delimited)") }
            let length = try rawVarint()
            guard length <= UInt64(end - index) else { throw fail("\(field) is \(length) bytes long, past the end of its message") }
            let range = index..<index + Int(length)
            index = range.upperBound
            return range
        }

        mutating func message(_ wireType: UInt8, _ field: String) throws(Failure) -> Reader {
            let range = try lengthDelimited(wireType, field)
            return Reader(bytes: bytes, index: range.lowerBound, end: range.upperBound)
        }

        mutating func skip(_ wireType: UInt8) throws(Failure) {
            switch wireType {
            case 0: _ = try rawVarint()
            case 1, 5:
                let size = wireType == 1 ? 8 : 4
                guard end - index >= size else { throw fail("truncated fixed-size field") }
                index += size
            case 2: _ = try lengthDelimited(2, "an unknown field")
            default: throw fail("unsupported wire type \(wireType)")
            }
        }
    }
}
