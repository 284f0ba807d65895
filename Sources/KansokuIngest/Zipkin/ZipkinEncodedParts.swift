import KansokuModel

/// The pipe-separated encodings the Collector's Zipkin exporter uses for what
/// Zipkin has no field for, decoded back as its Zipkin receiver does:
///
/// - an annotation value `name|{"attr":value,…}|droppedAttributesCount` is an
///   event with attributes;
/// - a tag `otlp.link.N` = `traceId|spanId|traceState|{attributes}|droppedAttributesCount`
///   is a span link.
enum ZipkinEncodedParts {
    /// Why an encoded link could not be read.
    struct Failure: Error {
        var message: String
    }

    /// The event an annotation stands for. A value that is not exactly the
    /// encoding above (most annotations: "cs", "retry", free text with a `|`)
    /// is the event name as written. (The Collector also splits values with
    /// one `|` and fails the request on a malformed encoding; Kansoku keeps the text.)
    static func event(annotation value: String, timeUnixNano: UInt64) -> SpanEvent {
        let parts = value.split(separator: "|", omittingEmptySubsequences: false)
        if parts.count >= 3,
           let attributes = try? attributes(json: parts[1..<(parts.count - 1)].joined(separator: "|")),
           let dropped = count(parts[parts.count - 1]) {
            return SpanEvent(timeUnixNano: timeUnixNano, name: String(parts[0]), attributes: attributes,
                             droppedAttributesCount: dropped)
        }
        return SpanEvent(timeUnixNano: timeUnixNano, name: value)
    }

    /// The link an `otlp.link.N` tag stands for; nil for a value with fewer than
    /// five parts, which the Collector skips.
    static func link(_ value: String) throws(Failure) -> SpanLink? {
        let parts = value.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count >= 5 else { return nil }
        let traceHex = unquoted(parts[0]), spanHex = unquoted(parts[1])
        var traceID = TraceID.zero
        if !traceHex.isEmpty {
            guard traceHex.utf8.count == 32, let id = TraceID(hex: traceHex) else {
                throw Failure(message: "\"\(traceHex)\" is not a trace id of 32 hex digits")
            }
            traceID = id
        }
        var spanID = SpanID.zero
        if !spanHex.isEmpty {
            guard spanHex.utf8.count == 16, let id = SpanID(hex: spanHex) else {
                throw Failure(message: "\"\(spanHex)\" is not a span id of 16 hex digits")
            }
            spanID = id
        }
        let attributes = try attributes(json: parts[3..<(parts.count - 1)].joined(separator: "|"))
        guard let dropped = count(parts[parts.count - 1]) else {
            throw Failure(message: "\"\(parts[parts.count - 1])\" is not a dropped attributes count")
        }
        return SpanLink(traceID: traceID, spanID: spanID, traceState: String(parts[2]),
                        attributes: attributes, droppedAttributesCount: dropped)
    }

    /// A flat JSON object as attributes: strings, numbers (integral → int) and
    /// booleans; other values are skipped, as in the Collector. Keys are sorted,
    /// the Collector's map having no order.
    private static func attributes(json: String) throws(Failure) -> [Attribute] {
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(Array(json.utf8))
        } catch {
            throw Failure(message: "attributes are not JSON: \(error.description)")
        }
        switch parsed {
        case .null: return []
        case .object(let members):
            var latest: [String: AttributeValue] = [:]
            for (key, member) in members {
                switch member {
                case .string(let text): latest[key] = .string(text)
                case .bool(let flag): latest[key] = .bool(flag)
                case .number: if let number = member.numericAttributeValue { latest[key] = number }
                default: continue
                }
            }
            return latest.sorted { $0.key < $1.key }.map { Attribute(key: $0.key, value: $0.value) }
        default:
            throw Failure(message: "attributes are not a JSON object")
        }
    }

    /// A decimal uint32, digits only (Go's `strconv.ParseUint(s, 10, 32)`).
    private static func count(_ text: Substring) -> UInt32? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return UInt32(text)
    }

    /// The Collector accepts ids in its link encoding with or without JSON quotes.
    private static func unquoted(_ text: Substring) -> String {
        if text.count >= 2, text.first == "\"", text.last == "\"" { return String(text.dropFirst().dropLast()) }
        return String(text)
    }
}
