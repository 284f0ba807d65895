import KansokuModel

/// The response envelope of Jaeger's HTTP query API,
/// `{"data":…,"total":N,"limit":0,"offset":0,"errors":…}`, for each endpoint
/// Jaeger UI and Grafana's Jaeger data source call. Every function returns
/// the complete JSON body.
public enum JaegerResponse {
    /// `/api/traces` and `/api/traces/{id}`: `data` is the array of traces
    /// (empty batches are skipped), `total` 0 as Jaeger writes it.
    public static func traces(_ traces: [SpanBatch]) -> [UInt8] {
        envelope(total: 0) { json in
            json.beginArray()
            JaegerTraceRenderer.appendTraces(traces, to: &json)
            json.endArray()
        }
    }

    /// `/api/services`: `data` is the array of service names.
    public static func services(_ names: [String]) -> [UInt8] {
        envelope(total: names.count) { json in
            json.beginArray()
            for name in names { json.string(name) }
            json.endArray()
        }
    }

    /// `/api/services/{service}/operations`: `data` is the array of distinct
    /// operation names, in the order given with repeats dropped.
    public static func operationNames(_ operations: [JaegerOperation]) -> [UInt8] {
        var seen = Set<String>()
        let names = operations.map(\.name).filter { seen.insert($0).inserted }
        return envelope(total: names.count) { json in
            json.beginArray()
            for name in names { json.string(name) }
            json.endArray()
        }
    }

    /// `/api/operations?service=…`: `data` is
    /// `[{"name":…,"spanKind":…},…]`.
    public static func operations(_ operations: [JaegerOperation]) -> [UInt8] {
        envelope(total: operations.count) { json in
            json.beginArray()
            for operation in operations {
                json.beginObject()
                json.key("name"); json.string(operation.name)
                json.key("spanKind"); json.string(operation.spanKind)
                json.endObject()
            }
            json.endArray()
        }
    }

    /// An error response: `data` null and
    /// `"errors":[{"code":<code>,"msg":<message>}]`. Jaeger answers 400 for a
    /// bad query and 404 (`trace not found`) for an unknown trace id; the
    /// HTTP status should match `code`.
    public static func error(code: Int, message: String) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("data"); json.null()
        json.key("total"); json.number(Int64(0))
        json.key("limit"); json.number(Int64(0))
        json.key("offset"); json.number(Int64(0))
        json.key("errors")
        json.beginArray()
        json.beginObject()
        json.key("code"); json.number(Int64(code))
        json.key("msg"); json.string(message)
        json.endObject()
        json.endArray()
        json.endObject()
        return json.bytes
    }

    /// The 400 response for a query that does not parse.
    public static func error(_ error: JaegerQueryError) -> [UInt8] {
        self.error(code: 400, message: error.description)
    }

    private static func envelope(total: Int, data: (inout JSONWriter) -> Void) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("data"); data(&json)
        json.key("total"); json.number(Int64(total))
        json.key("limit"); json.number(Int64(0))
        json.key("offset"); json.number(Int64(0))
        json.key("errors"); json.null()
        json.endObject()
        return json.bytes
    }
}
