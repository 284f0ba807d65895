import KansokuModel
import KansokuWire
import SwiftProtobuf

/// Response bodies of Tempo's HTTP API, in the forms Grafana's Tempo data
/// source reads. Pure functions: the routes pick one by path and `Accept`.
public enum TempoResponses {
    /// The `Content-Type` of the protobuf bodies.
    public static let protobufContentType = "application/protobuf"
    /// The `Content-Type` of the JSON bodies.
    public static let jsonContentType = "application/json"

    // MARK: GET /api/traces/{id}

    /// `tempopb.Trace` for `Accept: application/protobuf`.
    ///
    /// `Trace` is `{ repeated ResourceSpans resourceSpans = 1; }`, field for
    /// field the same message as OTLP `TracesData`, so its bytes are
    /// `TracesData`'s serialization.
    public static func traceProtobuf(_ trace: SpanBatch) throws -> [UInt8] {
        try OTLPTraceEncoder.tracesData(trace).serializedBytes()
    }

    /// Tempo's JSON trace: `{"batches":[ResourceSpans…]}` with each batch in
    /// OTLP/JSON (hex ids, camelCase keys, 64-bit integers as strings).
    public static func traceJSON(_ trace: SpanBatch) -> [UInt8] {
        var json = JSONWriter(reservingCapacity: 1024)
        json.beginObject()
        json.key("batches")
        json.resourceSpansArray(trace)
        json.endObject()
        return json.bytes
    }

    // MARK: GET /api/v2/traces/{id}

    /// `tempopb.TraceByIDResponse` for `Accept: application/protobuf`: only
    /// field 1, `Trace trace`, is set (metrics, status and message are left
    /// at their defaults, which protobuf does not write).
    public static func traceByIDV2Protobuf(_ trace: SpanBatch) throws -> [UInt8] {
        let traceBytes = try traceProtobuf(trace)
        var bytes: [UInt8] = [0x0A] // field 1, wire type 2 (length-delimited)
        bytes.reserveCapacity(traceBytes.count + 11)
        var length = UInt64(traceBytes.count)
        while length >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        bytes.append(UInt8(length))
        bytes.append(contentsOf: traceBytes)
        return bytes
    }

    /// The v2 JSON body: `{"trace":{"resourceSpans":[…]}}`, OTLP/JSON inside.
    public static func traceByIDV2JSON(_ trace: SpanBatch) -> [UInt8] {
        var json = JSONWriter(reservingCapacity: 1024)
        json.beginObject()
        json.key("trace")
        json.beginObject()
        if !trace.resources.isEmpty {
            json.key("resourceSpans")
            json.resourceSpansArray(trace)
        }
        json.endObject()
        json.endObject()
        return json.bytes
    }

    // MARK: GET /api/echo, GET /api/status/buildinfo

    /// The body of `GET /api/echo`, which Grafana's "Test" button calls.
    public static let echo: [UInt8] = Array("echo".utf8)

    /// The body of `GET /api/status/buildinfo`: Prometheus-style build
    /// information with only `version` filled in.
    public static func buildInfo(version: String) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("version"); json.string(version)
        for name in ["revision", "branch", "buildDate", "buildUser", "goVersion"] {
            json.key(name); json.string("")
        }
        json.endObject()
        return json.bytes
    }
}

extension JSONWriter {
    /// Every resource of `batch` as an array of OTLP/JSON `ResourceSpans`.
    fileprivate mutating func resourceSpansArray(_ batch: SpanBatch) {
        beginArray()
        for items in batch.resources { otlpResourceSpans(items) }
        endArray()
    }
}
