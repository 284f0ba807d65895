import KansokuModel
import KansokuWire

/// OTLP `ExportLogsServiceRequest` → ``LogBatch``.
enum OTLPLogConversion {
    static func convert(_ request: Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceRequest) -> ConversionOutcome<LogRecord> {
        var outcome = ConversionOutcome<LogRecord>()
        for (r, resourceLogs) in request.resourceLogs.enumerated() {
            var scopes = [ScopedItems<LogRecord>]()
            for (s, scopeLogs) in resourceLogs.scopeLogs.enumerated() {
                var records = [LogRecord]()
                records.reserveCapacity(scopeLogs.logRecords.count)
                for (i, wire) in scopeLogs.logRecords.enumerated() {
                    switch record(wire) {
                    case .success(let record): records.append(record)
                    case .failure(let error):
                        outcome.reject(1, "resource_logs[\(r)].scope_logs[\(s)].log_records[\(i)]: \(error)")
                    }
                }
                guard !records.isEmpty else { continue }
                scopes.append(ScopedItems(scope: OTLPCommon.scope(scopeLogs.scope), schemaURL: scopeLogs.schemaURL, items: records))
            }
            guard !scopes.isEmpty else { continue }
            outcome.batch.resources.append(
                ResourceItems(resource: OTLPCommon.resource(resourceLogs.resource), schemaURL: resourceLogs.schemaURL, scopes: scopes))
        }
        return outcome
    }

    static func record(_ wire: Opentelemetry_Proto_Logs_V1_LogRecord) -> Result<LogRecord, IDError> {
        do throws(IDError) {
            return .success(LogRecord(
                timeUnixNano: wire.timeUnixNano, observedTimeUnixNano: wire.observedTimeUnixNano,
                severityNumber: Int32(truncatingIfNeeded: wire.severityNumber.rawValue), severityText: wire.severityText,
                body: wire.hasBody ? OTLPCommon.value(wire.body) : .empty,
                attributes: OTLPCommon.attributes(wire.attributes), droppedAttributesCount: wire.droppedAttributesCount,
                flags: wire.flags,
                traceID: try OTLPCommon.optionalTraceID(wire.traceID, field: "trace_id").get(),
                spanID: try OTLPCommon.optionalSpanID(wire.spanID, field: "span_id").get(),
                eventName: wire.eventName))
        } catch {
            return .failure(error)
        }
    }
}
