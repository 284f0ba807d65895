import KansokuModel

/// `ExportLogsServiceRequest` bytes → ``LogBatch`` in one pass (field
/// numbers from opentelemetry/proto/logs/v1/logs.proto).
enum OTLPLogWireDecoder {
    static let names = OTLPWireEnvelope.Names(resources: "resource_logs", scopes: "scope_logs", items: "log_records")

    static func decode(_ body: [UInt8]) throws(IngestError) -> ConversionOutcome<LogRecord> {
        try OTLPWireEnvelope.decode(body, names: names, item: record)
    }

    static func record(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> Result<LogRecord, ItemRejection> {
        var record = LogRecord()
        var traceID = UnsafeRawBufferPointer(start: nil, count: 0), spanID = traceID
        while let (field, type) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(type, .fixed64, field: "time_unix_nano"); record.timeUnixNano = try reader.fixed64()
            case 2:
                try reader.expect(type, .varint, field: "severity_number")
                record.severityNumber = Int32(truncatingIfNeeded: try reader.varint())
            case 3: try reader.expect(type, .lengthDelimited, field: "severity_text"); record.severityText = try reader.string()
            case 5:
                try reader.expect(type, .lengthDelimited, field: "body")
                var inner = try reader.message()
                record.body = try OTLPWireCommon.value(&inner)
            case 6: try OTLPWireCommon.appendAttribute(&reader, type: type, to: &record.attributes)
            case 7: record.droppedAttributesCount = try OTLPWireCommon.uint32(&reader, type: type, field: "dropped_attributes_count")
            case 8: try reader.expect(type, .fixed32, field: "flags"); record.flags = try reader.fixed32()
            case 9: try reader.expect(type, .lengthDelimited, field: "trace_id"); traceID = try reader.lengthDelimited()
            case 10: try reader.expect(type, .lengthDelimited, field: "span_id"); spanID = try reader.lengthDelimited()
            case 11: try reader.expect(type, .fixed64, field: "observed_time_unix_nano"); record.observedTimeUnixNano = try reader.fixed64()
            case 12: try reader.expect(type, .lengthDelimited, field: "event_name"); record.eventName = try reader.string()
            default: try reader.skip(type)
            }
        }
        do throws(IDError) {
            record.traceID = try OTLPCommon.optionalTraceID(traceID, field: "trace_id").get()
            record.spanID = try OTLPCommon.optionalSpanID(spanID, field: "span_id").get()
        } catch {
            return .failure(.invalidID(error))
        }
        return .success(record)
    }
}
