import KansokuModel
@testable import KansokuIngest

/// The straightforward protobuf push decoder Kansoku had before the
/// range-based ``LokiPushProtobuf``: every line and metadata pair a `String`
/// as soon as it is read, a reader that slices the array. Kept as the
/// reference the fast decoder must agree with, result for result and error
/// message for error message.
enum LokiPushReferenceDecoder {
    struct Entry {
        var timestamp: (seconds: Int64, nanos: Int32)?
        var line = ""
        var structuredMetadata: [(name: String, value: String)] = []
    }

    struct Stream {
        var labels = ""
        var entries: [Entry] = []
    }

    struct Failure: Error {
        var message: String
    }

    /// What `LokiPushDecoder.decodeProtobuf` makes of the uncompressed `bytes`.
    static func convert(_ bytes: [UInt8]) throws(IngestError) -> ConversionOutcome<LogRecord> {
        let streams: [Stream]
        do {
            streams = try decode(bytes)
        } catch {
            throw .malformed("invalid protobuf PushRequest: \(error.message)")
        }
        var outcome = ConversionOutcome<LogRecord>()
        for (s, stream) in streams.enumerated() {
            let path = "streams[\(s)]"
            let labels: [Attribute]
            do {
                labels = try LokiLabelSelector.parse(stream.labels)
            } catch {
                if !stream.entries.isEmpty { outcome.reject(stream.entries.count, "\(path): \(error.message)") }
                continue
            }
            var records: [LogRecord] = []
            for (e, entry) in stream.entries.enumerated() {
                do {
                    let time = try timestamp(entry.timestamp)
                    records.append(LogRecord(
                        timeUnixNano: time, observedTimeUnixNano: 0, body: .string(entry.line),
                        attributes: entry.structuredMetadata.map { Attribute(key: $0.name, value: .string($0.value)) }))
                } catch {
                    outcome.reject(1, "\(path).entries[\(e)] of stream '\(stream.labels)': \(error.message)")
                }
            }
            if !records.isEmpty {
                outcome.batch.resources.append(ResourceItems(
                    resource: Resource(attributes: labels),
                    scopes: [ScopedItems(scope: InstrumentationScope(), items: records)]))
            }
        }
        return outcome
    }

    private static func timestamp(_ value: (seconds: Int64, nanos: Int32)?) throws(Failure) -> UInt64 {
        guard let value else { throw Failure(message: "entry has no timestamp") }
        guard (0..<1_000_000_000).contains(value.nanos) else {
            throw Failure(message: "invalid timestamp: nanos \(value.nanos) out of range [0, 999999999]")
        }
        guard value.seconds >= 0 else { throw Failure(message: "invalid timestamp: \(value.seconds)s is before 1970") }
        let (scaled, overflow) = UInt64(value.seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = scaled.addingReportingOverflow(UInt64(value.nanos))
        guard !overflow, !overflow2 else { throw Failure(message: "invalid timestamp: \(value.seconds)s is out of range") }
        return total
    }

    static func decode(_ bytes: [UInt8]) throws(Failure) -> [Stream] {
        var reader = Reader(bytes: bytes, index: 0, end: bytes.count)
        var streams: [Stream] = []
        while !reader.isAtEnd {
            let (field, wireType) = try reader.tag()
            if field == 1 {
                var sub = try reader.message(wireType, "PushRequest.streams")
                streams.append(try decodeStream(&sub))
            } else {
                try reader.skip(wireType)
            }
        }
        return streams
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
            default: try reader.skip(wireType)
            }
        }
        return entry
    }

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

        mutating func string(_ wireType: UInt8, _ field: String) throws(Failure) -> String {
            String(decoding: bytes[try lengthDelimited(wireType, field)], as: UTF8.self)
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
