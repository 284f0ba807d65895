import KansokuModel

/// The entries of one stream of a block being written, each encoded on
/// arrival as its chunk will hold it (``LogBlockEntryCodec``) except for the
/// time delta and origin, which depend on its place in the chunk.
///
/// Cutting chunks then copies bytes: no record is kept, so none is copied,
/// retained or freed per entry on the way, and the line a chunk filter
/// tokenizes is read where it lies.
struct LogBlockStreamEntries {
    /// One entry: where its parts lie in ``bytes`` and ``traceIDs``.
    struct Entry {
        /// Sort key: the record's time, or its observed time when unset.
        var time: UInt64
        var origin: Int
        /// `bytes[metaStart..<bodyStart]` is the meta from its flags on,
        /// `bytes[bodyStart..<bodyEnd]` the body (WAL value encoding).
        var metaStart: Int
        var bodyStart: Int
        var bodyEnd: Int
        /// The line the filters tokenize: inside the body for a string body,
        /// else its rendering, stored after the body.
        var line: Range<Int>
        /// The ids the filters file for the record: its trace id and trace-id
        /// attributes and structured metadata.
        var traceIDs: Range<Int>
    }

    private var arena = WALWriter()
    private(set) var entries: [Entry] = []
    private(set) var traceIDs: [TraceID] = []

    /// Calls `body` with the entries and the bytes they point into, in place.
    func withEntries<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<Entry>, UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try entries.withUnsafeBufferPointer { entries throws(Failure) in
            try arena.bytes.withUnsafeBufferPointer { bytes throws(Failure) in try body(entries, bytes) }
        }
    }

    /// Encodes the log record at `reader` (a WAL payload's); `lokiStream`
    /// says whether its origin is a Loki stream
    /// (``LogLabelMapping/isLokiStream(_:)``), which decides how its
    /// attributes read as structured metadata.
    mutating func append(from reader: inout WALReader, origin: Int, lokiStream: Bool) throws(WALDecodingError) {
        let metaStart = arena.bytes.count
        let parts = try LogBlockEntryCodec.readWALRecord(&reader, writingMetaTailTo: &arena)
        let bodyStart = arena.bytes.count
        reader.withUnsafePayload { payload in
            arena.appendRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: payload[parts.body])))
        }
        let bodyEnd = arena.bytes.count
        let line: Range<Int>
        switch parts.line {
        case .utf8(let text):
            line = (bodyEnd - text.count)..<bodyEnd
        case .rendered(let body):
            arena.appendUTF8(LogLine.render(body))
            line = bodyEnd..<arena.bytes.count
        }
        let firstID = traceIDs.count
        if !parts.traceID.isZero { traceIDs.append(parts.traceID) }
        if !parts.attributes.isEmpty {
            traceIDs += LogBlockEntryCodec.attributeTraceIDs(of: parts.attributes)
            traceIDs += LogTraceIndexCoverage.recordMetadataTraceIDs(parts.attributes, lokiStream: lokiStream)
        }
        entries.append(Entry(time: parts.time, origin: origin, metaStart: metaStart,
                             bodyStart: bodyStart, bodyEnd: bodyEnd, line: line, traceIDs: firstID..<traceIDs.count))
    }
}
