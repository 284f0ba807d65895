import KansokuModel

/// Decodes the body of Loki's `POST /loki/api/v1/push` into Kansoku's model, so
/// that Promtail, Grafana Alloy and the Loki clients can push logs unchanged.
///
/// Two encodings, chosen by Content-Type as Loki does:
/// - `application/x-protobuf` (what Promtail and Alloy send), or no
///   Content-Type at all: a snappy **block**-compressed `logproto.PushRequest`
///   (`Proto/loki/push.proto`);
/// - `application/json`: `{"streams":[{"stream":{"app":"api"},"values":[["<unix ns>","<line>"],
///   ["<unix ns>","<line>",{"structured":"metadata"}]]}]}`.
/// Any `Content-Encoding` (gzip on JSON pushes) must already be undone by the receiver.
/// A protobuf push can also be decoded into a `LogLineBatch`
/// (``decodeProtobufLines(_:maxDecompressedBytes:labelCache:)``): the same
/// records, their lines left in the request's bytes, which is how the
/// receiver hands them to the sink.
///
/// Mapping, a faithful transport mapping with no interpretation of the content:
/// - each stream becomes one `ResourceItems` whose resource attributes are the
///   stream's labels (string values, sorted by name, empty values dropped as
///   Loki does), with a single `ScopedItems` whose scope is empty;
/// - each entry becomes one `LogRecord`: `timeUnixNano` is the entry's
///   timestamp (exact to the nanosecond), `observedTimeUnixNano` is 0 (the
///   receiver knows no better), `body` is `.string(line)`, `attributes` are the
///   entry's structured metadata (string values, in the order sent);
/// - severity is left unset (0 and ""): a `level` or `detected_level` label is
///   kept as a resource attribute like any other label, never interpreted;
/// - streams are not merged, even when two carry the same labels; a stream
///   without entries produces nothing.
///
/// Validation, like Loki's distributor where it is cheap and clear: a stream
/// whose labels do not parse, have an invalid name (`[a-zA-Z_][a-zA-Z0-9_]*`),
/// a repeated name or no label at all is rejected with all its entries; an
/// entry with a missing, negative, out-of-range or (JSON) unparsable timestamp,
/// or (JSON) of the wrong shape, is rejected alone. The rest is kept, and
/// `ConversionOutcome` says how many entries were rejected and why. A body that
/// is not snappy, protobuf or JSON of the right overall shape throws
/// `IngestError.malformed`. Loki's configurable limits (line size, label count,
/// sample age, …) are not applied here.
enum LokiPushDecoder {
    /// The two push encodings.
    enum Format: Equatable {
        case protobuf
        case json
    }

    /// The format a Content-Type selects: `application/x-protobuf` or none →
    /// protobuf, `application/json` → JSON (parameters such as `charset` ignored,
    /// case-insensitive); anything else throws `.unsupportedContentType`.
    static func format(contentType: String) throws(IngestError) -> Format {
        if contentType == "application/x-protobuf" { return .protobuf }  // what Promtail and Alloy send, without parsing
        switch MediaType.of(contentType) {
        case "", "application/x-protobuf": return .protobuf
        case "application/json": return .json
        default: throw .unsupportedContentType(contentType)
        }
    }

    /// Decodes one push request body; see the type's documentation for the
    /// mapping and what is rejected. `maxDecompressedBytes` bounds the protobuf
    /// body after snappy decompression (`.tooLarge` beyond it, checked against the
    /// length the snappy block declares, before allocating); a JSON body is used
    /// as it is, so its size must already be bounded by the caller. `labelCache`,
    /// when given, remembers parsed protobuf stream selectors across calls.
    static func decode(_ body: [UInt8], contentType: String, maxDecompressedBytes: Int,
                       labelCache: LokiLabelCache? = nil) throws(IngestError) -> ConversionOutcome<LogRecord> {
        switch try format(contentType: contentType) {
        case .protobuf: try decodeProtobuf(body, maxDecompressedBytes: maxDecompressedBytes, labelCache: labelCache)
        case .json: try decodeJSON(body)
        }
    }

    // MARK: Protobuf

    /// A protobuf push decoded and validated: the accepted lines, still in the
    /// request's bytes, and what was rejected.
    struct ProtobufLines {
        var lines: LogLineBatch
        /// The rejections only: its batch stays empty.
        var rejections = ConversionOutcome<LogRecord>()
    }

    /// ``decodeProtobufLines(_:maxDecompressedBytes:labelCache:)`` with the
    /// lines made into log records.
    static func decodeProtobuf(_ body: [UInt8], maxDecompressedBytes: Int,
                               labelCache: LokiLabelCache? = nil) throws(IngestError) -> ConversionOutcome<LogRecord> {
        let decoded = try decodeProtobufLines(body, maxDecompressedBytes: maxDecompressedBytes, labelCache: labelCache)
        var outcome = decoded.rejections
        outcome.batch = decoded.lines.logBatch()
        return outcome
    }

    /// Decodes a snappy-compressed protobuf push into the lines to store
    /// (streams without an accepted entry left out) and the rejections.
    static func decodeProtobufLines(_ body: [UInt8], maxDecompressedBytes: Int,
                                    labelCache: LokiLabelCache? = nil) throws(IngestError) -> ProtobufLines {
        let raw = try SnappyBlock.uncompress(body, maxBytes: maxDecompressedBytes)
        let request: LokiPushProtobuf
        do {
            request = try LokiPushProtobuf.decode(raw)
        } catch {
            throw .malformed("invalid protobuf PushRequest: \(error.message)")
        }

        var decoded = ProtobufLines(lines: LogLineBatch(bytes: raw))
        decoded.lines.entries.reserveCapacity(request.entries.count)
        decoded.lines.metadata = request.labelPairs.map { LogLineBatch.Metadata(name: $0.name, value: $0.value) }
        for (s, stream) in request.streams.enumerated() {
            let path = "streams[\(s)]"
            let labels: [Attribute]
            do {
                if let labelCache {
                    labels = try labelCache.parse(stream.labels)
                } else {
                    labels = try LokiLabelSelector.parse(stream.labels)
                }
            } catch {
                if !stream.entries.isEmpty { decoded.rejections.reject(stream.entries.count, "\(path): \(error.message)") }
                continue
            }
            let first = decoded.lines.entries.count
            for index in stream.entries {
                let entry = request.entries[index]
                do {
                    decoded.lines.entries.append(LogLineBatch.Entry(
                        timeUnixNano: try timestamp(entry.timestamp), line: entry.line, metadata: entry.structuredMetadata))
                } catch {
                    let e = index - stream.entries.lowerBound
                    decoded.rejections.reject(1, "\(path).entries[\(e)] of stream '\(stream.labels)': \(error.message)")
                }
            }
            if decoded.lines.entries.count > first {
                decoded.lines.streams.append(LogLineBatch.Stream(labels: labels, entries: first..<decoded.lines.entries.count))
            }
        }
        return decoded
    }

    /// Nanoseconds since the epoch for a protobuf `Timestamp`.
    private static func timestamp(_ value: (seconds: Int64, nanos: Int32)?) throws(EntryFailure) -> UInt64 {
        guard let value else { throw EntryFailure(message: "entry has no timestamp") }
        guard (0..<1_000_000_000).contains(value.nanos) else {
            throw EntryFailure(message: "invalid timestamp: nanos \(value.nanos) out of range [0, 999999999]")
        }
        guard value.seconds >= 0 else {
            throw EntryFailure(message: "invalid timestamp: \(value.seconds)s is before 1970")
        }
        let (scaled, overflow) = UInt64(value.seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = scaled.addingReportingOverflow(UInt64(value.nanos))
        guard !overflow, !overflow2 else {
            throw EntryFailure(message: "invalid timestamp: \(value.seconds)s is out of range")
        }
        return total
    }

    // MARK: JSON

    static func decodeJSON(_ body: [UInt8]) throws(IngestError) -> ConversionOutcome<LogRecord> {
        let root: JSONValue
        do {
            root = try JSONParser.parse(body)
        } catch {
            throw .malformed("invalid JSON: \(error.description)")
        }
        guard case .object = root else {
            throw .malformed("a Loki push must be a JSON object with a \"streams\" array, got \(root.typeName)")
        }
        guard let streamsValue = root["streams"], case .array(let streams) = streamsValue else {
            throw .malformed("a Loki push must have a \"streams\" array, got \(root["streams"]?.typeName ?? "none")")
        }

        var outcome = ConversionOutcome<LogRecord>()
        for (s, stream) in streams.enumerated() {
            let path = "streams[\(s)]"
            guard case .object = stream else {
                throw .malformed("\(path): a stream must be a JSON object, got \(stream.typeName)")
            }
            let values: [JSONValue]
            switch stream["values"] {
            case nil, .null?: values = []
            case .array(let elements)?: values = elements
            case let other?:
                throw .malformed("\(path): \"values\" must be an array, got \(other.typeName)")
            }

            let labels: [Attribute]
            let display: String
            do {
                (labels, display) = try jsonLabels(stream["stream"])
            } catch {
                if !values.isEmpty { outcome.reject(values.count, "\(path): \(error.message)") }
                continue
            }

            var records: [LogRecord] = []
            records.reserveCapacity(values.count)
            for (e, value) in values.enumerated() {
                do {
                    records.append(try jsonEntry(value))
                } catch {
                    outcome.reject(1, "\(path).values[\(e)] of stream '\(display)': \(error.message)")
                }
            }
            append(records, labels: labels, to: &outcome)
        }
        return outcome
    }

    /// The `"stream"` object: labels and the stream's name for messages.
    private static func jsonLabels(_ value: JSONValue?) throws(LokiLabelSelector.Failure) -> (labels: [Attribute], display: String) {
        var pairs: [(name: String, value: String)] = []
        switch value {
        case nil, .null?: break
        case .object(let members)?:
            for member in members {
                guard case .string(let text) = member.value else {
                    throw LokiLabelSelector.Failure(
                        message: "label \(LokiLabelSelector.quoted(member.key)) must have a string value, got \(member.value.typeName)")
                }
                // A repeated key: the last one wins, as JSON readers (and Loki's) do.
                if let earlier = pairs.firstIndex(where: { $0.name == member.key }) { pairs.remove(at: earlier) }
                pairs.append((member.key, text))
            }
        case let other?:
            throw LokiLabelSelector.Failure(message: "\"stream\" must be an object of labels, got \(other.typeName)")
        }
        let display = LokiLabelSelector.render(pairs)
        return (try LokiLabelSelector.normalize(pairs, display: display), display)
    }

    /// One `["<unix ns>", "<line>"]` or `["<unix ns>", "<line>", {structured metadata}]`.
    private static func jsonEntry(_ value: JSONValue) throws(EntryFailure) -> LogRecord {
        guard case .array(let parts) = value, parts.count == 2 || parts.count == 3 else {
            throw EntryFailure(message: "an entry must be an array [\"<unix ns>\", \"<line>\"] with optional structured metadata, got \(shape(value))")
        }
        guard case .string(let timeText) = parts[0] else {
            throw EntryFailure(message: "the timestamp must be a string of Unix nanoseconds, got \(parts[0].typeName)")
        }
        guard let nanos = Int64(timeText) else {
            throw EntryFailure(message: "invalid timestamp \(LokiLabelSelector.quoted(timeText)): not an integer number of nanoseconds")
        }
        guard nanos >= 0 else {
            throw EntryFailure(message: "invalid timestamp \(LokiLabelSelector.quoted(timeText)): before 1970")
        }
        guard case .string(let line) = parts[1] else {
            throw EntryFailure(message: "the log line must be a string, got \(parts[1].typeName)")
        }
        var metadata: [Attribute] = []
        if parts.count == 3 {
            switch parts[2] {
            case .null: break
            case .object(let members):
                for member in members {
                    guard case .string(let text) = member.value else {
                        throw EntryFailure(message: "structured metadata \(LokiLabelSelector.quoted(member.key)) must be a string, got \(member.value.typeName)")
                    }
                    metadata.append(Attribute(key: member.key, value: .string(text)))
                }
            default:
                throw EntryFailure(message: "structured metadata must be an object, got \(parts[2].typeName)")
            }
        }
        return LogRecord(timeUnixNano: UInt64(nanos), observedTimeUnixNano: 0, body: .string(line), attributes: metadata)
    }

    private static func shape(_ value: JSONValue) -> String {
        if case .array(let parts) = value { return "an array of \(parts.count) elements" }
        return value.typeName
    }

    // MARK: Shared

    private struct EntryFailure: Error {
        var message: String
    }

    private static func append(_ records: [LogRecord], labels: [Attribute], to outcome: inout ConversionOutcome<LogRecord>) {
        guard !records.isEmpty else { return }
        outcome.batch.resources.append(ResourceItems(
            resource: Resource(attributes: labels),
            scopes: [ScopedItems(scope: InstrumentationScope(), items: records)]))
    }
}
