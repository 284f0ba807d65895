import KansokuModel

/// Decodes a `zipkin.proto3.ListOfSpans` body of `POST /api/v2/spans` (what
/// zipkin-reporter sends with `Encoding.PROTO3` and the Collector's zipkin
/// exporter with `format: proto`) into the same batch the JSON body gives:
/// each span is read by `ZipkinV2ProtoSpanReader` and mapped by the converter
/// the JSON path uses.
///
/// As for JSON, an invalid span is rejected alone and the rest kept; a body
/// whose list itself is not valid protobuf throws `IngestError.malformed`
/// naming the problem and the byte. An empty body is an empty list.
enum ZipkinV2ProtoDecoder {
    static func decode(_ body: [UInt8]) throws(IngestError) -> ConversionOutcome<Span> {
        var outcome = ConversionOutcome<Span>()
        var grouper = ZipkinV2SpanGrouper()
        do {
            // An untyped closure: a typed-throws one passed to `withUnsafeBytes` crashes the 6.3 compiler.
            try body.withUnsafeBytes { buffer in
                try decodeList(buffer, outcome: &outcome, grouper: &grouper)
            }
        } catch {
            throw .malformed("invalid protobuf ListOfSpans: \(error)")
        }
        outcome.batch = grouper.batch
        return outcome
    }

    /// `ListOfSpans`: spans 1 (repeated `Span`); other fields are skipped.
    private static func decodeList(
        _ buffer: UnsafeRawBufferPointer, outcome: inout ConversionOutcome<Span>, grouper: inout ZipkinV2SpanGrouper
    ) throws(ProtobufWireError) {
        var list = ProtobufReader(buffer)
        var index = 0
        while let (field, type) = try list.nextField() {
            guard field == 1 else {
                try ZipkinV2ProtoSpanReader.skip(&list, type)
                continue
            }
            try list.expect(type, .lengthDelimited, field: "spans")
            var spanReader = try list.message()
            let path = "spans[\(index)]"
            index += 1
            do throws(ZipkinV2Span.Rejection) {
                let span = try ZipkinV2ProtoSpanReader(path: path).read(&spanReader)
                grouper.add(try ZipkinV2SpanConverter(path: path).convert(span))
            } catch {
                outcome.reject(1, error.message)
            }
        }
    }
}
