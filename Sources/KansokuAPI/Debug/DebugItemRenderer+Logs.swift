import KansokuModel

extension DebugItemRenderer {
    /// Appends one "Log item" object per log record of `batch` that matches
    /// `filter` (trace id and service name), at most `limit` of them.
    ///
    /// - Returns: How many records were written.
    @discardableResult
    public static func appendLogs(of batch: LogBatch, matching filter: DebugFilter,
                                  to json: inout JSONWriter, limit: Int) -> Int {
        forEachItem(of: batch, matching: filter, limit: limit) { record, context in
            guard filter.matches(record.traceID) else { return false }
            json.logRecord(record, context: &context)
            return true
        }
    }
}

extension JSONWriter {
    fileprivate mutating func logRecord(_ record: LogRecord, context: inout DebugItemRenderer.Context) {
        beginObject()
        key("timeUnixNano"); quotedNumber(record.timeUnixNano)
        key("observedTimeUnixNano"); quotedNumber(record.observedTimeUnixNano)
        key("severityNumber"); number(Int64(record.severityNumber))
        key("severityText"); string(record.severityText)
        key("body"); value(record.body)
        key("attributes"); attributes(record.attributes)
        key("traceId"); id(record.traceID)
        key("spanId"); id(record.spanID)
        key("flags"); number(UInt64(record.flags))
        key("eventName"); string(record.eventName)
        context.write(to: &self)
        endObject()
    }
}
