import KansokuModel

/// What a block's trace index covers beyond the ids ``LogBlockEntryCodec/traceIDs(of:line:)``
/// gives an entry, so that queries can use it to skip chunks exactly.
///
/// Blocks written since the index gained this coverage hold an entry for the
/// all-zero trace id (never a real id, so never looked up as one and ignored by
/// older readers) listing the chunks with a line in which 32 or more hex digits
/// run inside a longer token. With it:
///
/// - a line that *contains* a 32-hex trace id either has it as a whole token
///   (indexed under the id) or in such a chunk, so a substring search for the
///   id needs only `index[id] ∪ index[0]`;
/// - every `trace_id` structured metadata label a query sees
///   (``LogLabelMapping/structuredMetadata(of:resource:)``) that spells 32 hex
///   digits is indexed under its id, so `| trace_id="…"` needs only `index[id]`
///   (plus the chunks of streams that carry a `trace_id` label themselves).
///
/// A block without the marker predates both rules: queries read it in full.
enum LogTraceIndexCoverage {
    /// The reserved id whose entry marks the coverage and lists hex-run chunks.
    static let marker = TraceID.zero

    /// The label name whose values are indexed.
    static let labelName = "trace_id"

    /// Whether some token of `line` longer than 32 bytes holds 32 or more
    /// consecutive hex digits: the plain definition of the hex-run flag,
    /// which the writer computes in its one pass (``LogTokenizer/scan(_:_:)``;
    /// tests check the two agree).
    static func hasEmbeddedHexRun(_ line: String) -> Bool {
        guard line.utf8.count > 32 else { return false }
        var found = false
        withUTF8(line) { buffer in
            LogTokenizer.forEachToken(buffer) { range in
                guard !found, range.count > 32 else { return }
                var run = 0
                for index in range {
                    if Hex.value(of: buffer[index]) != nil {
                        run += 1
                        if run >= 32 { found = true; return }
                    } else {
                        run = 0
                    }
                }
            }
        }
        return found
    }

    /// Trace ids spelled by the `trace_id` structured metadata labels of a
    /// record's resource (constant per resource; see ``recordMetadataTraceIDs``
    /// for the record's own). Mirrors ``LogLabelMapping/structuredMetadata(of:resource:)``.
    static func resourceMetadataTraceIDs(_ resource: Resource, mapping: LogLabelMapping) -> [TraceID] {
        guard !mapping.isLokiStream(resource) else { return [] }
        let promoted = Set(mapping.resourceAttributeLabels)
        return resource.attributes.compactMap { attribute in
            guard !promoted.contains(attribute.key) else { return nil }
            return traceID(named: attribute.key, value: attribute.value, verbatim: false)
        }
    }

    /// Trace ids spelled by the `trace_id` structured metadata labels coming
    /// from a record's `attributes` (its `traceID` field is indexed already).
    static func recordMetadataTraceIDs(_ attributes: [Attribute], lokiStream: Bool) -> [TraceID] {
        attributes.compactMap { traceID(named: $0.key, value: $0.value, verbatim: lokiStream) }
    }

    private static func traceID(named key: String, value: AttributeValue, verbatim: Bool) -> TraceID? {
        // `labelName` keeps the byte count of a name starting with a letter, so only 8-byte keys can map to `trace_id`.
        guard key.utf8.count == 8, case .string(let text) = value else { return nil }
        guard (verbatim ? key : LogLabelMapping.labelName(key)) == labelName else { return nil }
        guard let id = TraceID(hex: text), !id.isZero else { return nil }
        return id
    }

    private static func withUTF8(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if text.utf8.withContiguousStorageIfAvailable({ body($0) }) == nil {
            var copy = text
            copy.withUTF8 { body($0) }
        }
    }
}
