import KansokuModel

/// Decodes the body of Zipkin's `POST /api/v2/spans` (a JSON array of v2
/// spans) into Kansoku's model, following the OpenTelemetry Collector's Zipkin
/// receiver (`pkg/translator/zipkin/zipkinv2`, `ToTranslator` with
/// `parse_string_tags: false`).
///
/// Spans are grouped into one `ResourceItems` per local service name (spans
/// without one share a resource with no attributes) and, within it, one
/// `ScopedItems` per instrumentation scope, in order of first appearance.
/// Where the Collector fails the whole request for one bad span, Kansoku
/// rejects that span alone and keeps the rest.
enum ZipkinV2JSONDecoder {
    /// Decodes a JSON array of Zipkin v2 spans; invalid spans are rejected one by
    /// one (`ConversionOutcome.reject`), a body that is not a JSON array of objects
    /// throws `IngestError.malformed` with a message naming the problem.
    static func decode(_ body: [UInt8]) throws(IngestError) -> ConversionOutcome<Span> {
        let root: JSONValue
        do {
            root = try JSONParser.parse(body)
        } catch {
            throw .malformed("invalid JSON: \(error.description)")
        }
        guard case .array(let elements) = root else {
            throw .malformed("a Zipkin v2 span list must be a JSON array, got \(root.typeName)")
        }
        if let bad = elements.firstIndex(where: { if case .object = $0 { false } else { true } }) {
            throw .malformed("spans[\(bad)]: a Zipkin v2 span must be a JSON object, got \(elements[bad].typeName)")
        }

        var outcome = ConversionOutcome<Span>()
        var grouper = ZipkinV2SpanGrouper()
        for (index, element) in elements.enumerated() {
            let path = "spans[\(index)]"
            do {
                let span = try ZipkinV2JSONSpanReader(path: path).read(element)
                grouper.add(try ZipkinV2SpanConverter(path: path).convert(span))
            } catch {
                outcome.reject(1, error.message)
            }
        }
        outcome.batch = grouper.batch
        return outcome
    }
}
