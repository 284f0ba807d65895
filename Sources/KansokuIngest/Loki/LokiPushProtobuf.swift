import KansokuModel

/// A `logproto.PushRequest` as read off the wire (see `Proto/loki/push.proto`),
/// before any validation.
struct LokiPushProtobuf {
    struct Stream {
        var labels = ""
        var entries: [Entry] = []
    }

    struct Entry {
        /// `google.protobuf.Timestamp`; nil when the field was absent.
        var timestamp: (seconds: Int64, nanos: Int32)?
        var line = ""
        var structuredMetadata: [(name: String, value: String)] = []
    }

    var streams: [Stream] = []

    /// Why the bytes are not a `PushRequest`.
    struct Failure: Error, Equatable {
        var message: String
    }

    /// Decodes a serialized `PushRequest`.
    ///
    /// Hand-written rather than through the generated `Logproto_PushRequest`
    /// because swift-protobuf refuses a whole message when any string is not
    /// valid UTF-8, while Loki (gogoproto) takes such log lines as they are; here
    /// invalid sequences become U+FFFD and the line is kept. Unknown fields are
    /// skipped, as protobuf requires.
    static func decode(_ bytes: [UInt8]) throws(Failure) -> LokiPushProtobuf {
        var reader = Reader(bytes: bytes, index: 0, end: bytes.count)
        var request = LokiPushProtobuf()
        while !reader.isAtEnd {
            let (field, wireType) = try reader.tag()
            if field == 1 {
                var sub = try reader.message(wireType, "PushRequest.streams")
                request.streams.append(try decodeStream(&sub))
            } else {
                try reader.skip(wireType)
            }
        }
        return request
    }

    private static func decodeStream(_ reader: inout Reader) throws(Failure) -> Stream {
        var stream = Stream()
        while !reader.isAtEnd {
            let (field, wireType) = try reader.tag()
            switch field {
            case 1: stream.labels = try reader.string(wireType, "StreamAdapter.labels")
            case 2:
                var sub = try reader.message(wireType, "StreamAdapter.entries")
                stream.entries.append(try decodeEntry(&sub))
            default: try reader.skip(wireType)
            }
        }
        return stream
    }

    private static func decodeEntry(_ reader: inout Reader) throws(Failure) -> Entry {
        var entry = Entry()
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
            case 2: entry.line = try reader.string(wireType, "EntryAdapter.line")
            case 3:
                var sub = try reader.message(wireType, "EntryAdapter.structuredMetadata")
                var pair = (name: "", value: "")
                while !sub.isAtEnd {
                    let (pairField, pairWireType) = try sub.tag()
                    switch pairField {
                    case 1: pair.name = try sub.string(pairWireType, "LabelPairAdapter.name")
                    case 2: pair.value = try sub.string(pairWireType, "LabelPairAdapter.value")
                    default: try sub.skip(pairWireType)
                    }
                }
                entry.structuredMetadata.append(pair)
            default: try reader.skip(wireType)  // including `parsed` (4), which only Loki's query responses fill
            }
        }
        return entry
    }

    /// A cursor over `bytes[index..<end]`; sub-messages share the array.
    private struct Reader {
        let bytes: [UInt8]
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

        mutating func rawVarint() throws(Failure) -> UInt64 {
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

        /// A string field; invalid UTF-8 is repaired (U+FFFD), never refused.
        mutating func string(_ wireType: UInt8, _ field: String) throws(Failure) -> String {
            let range = try lengthDelimited(wireType, field)
            return String(decoding: bytes[range], as: UTF8.self)
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
