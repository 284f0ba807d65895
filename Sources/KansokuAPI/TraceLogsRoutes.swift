import Foundation
import Hummingbird
import KansokuModel
import KansokuStorage
import NIOCore
import NIOPosix

/// `GET /api/kansoku/v1/traces/{traceId}/logs`: every log line of one trace —
/// the trace id in the record, in its structured metadata, or written in the
/// line — found through the log blocks' trace index rather than a scan.
/// Optional `start`/`end` (Unix nanoseconds) bound the search; by default the
/// last 7 days. The trace→logs jump of the UI; the answer has Loki's stream
/// shape, with structured metadata as a third element of each value.
public struct TraceLogsRoutes: Sendable {
    public let logs: any LogSignalStore

    public init(logs: any LogSignalStore) {
        self.logs = logs
    }

    static let defaultLookback: Int64 = 7 * 24 * 3_600_000_000_000

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let logs = self.logs
        router.get("/api/kansoku/v1/traces/:traceId/logs") { request, context -> Response in
            let text = context.parameters.get("traceId") ?? ""
            guard let traceID = TraceID(hex: text) else {
                return RouteSupport.badRequest("invalid trace id \"\(text)\": want 32 hex digits")
            }
            let parameters = FormQuery.parameters(request.uri.query)
            func nanos(_ name: String) -> Int64?? {
                guard let value = parameters.last(where: { $0.name == name })?.value else { return .some(nil) }
                return Int64(value).map { .some($0) } ?? nil
            }
            guard let endParameter = nanos("end"), let startParameter = nanos("start") else {
                return RouteSupport.badRequest("start and end must be Unix nanoseconds")
            }
            let end = endParameter ?? Int64(Date().timeIntervalSince1970 * 1e9) + 1
            let start = startParameter ?? end - Self.defaultLookback
            return try await RouteSupport.blocking {
                let streams = try logs.streams(matching: { _ in true }, start: start, end: end, mustContain: [], traceID: traceID,
                                               requiring: nil)
                var json = JSONWriter()
                json.beginObject()
                json.key("traceId"); json.string(traceID.hex)
                json.key("streams"); json.beginArray()
                for stream in streams where !stream.entries.isEmpty {
                    json.beginObject()
                    json.key("stream"); json.beginObject()
                    for (name, value) in stream.labels { json.key(name); json.string(value) }
                    json.endObject()
                    json.key("values"); json.beginArray()
                    for entry in stream.entries {
                        json.beginArray()
                        json.string(String(entry.timestampNanos))
                        json.string(entry.line)
                        json.beginObject()
                        for (name, value) in entry.structuredMetadata { json.key(name); json.string(value) }
                        json.endObject()
                        json.endArray()
                    }
                    json.endArray()
                    json.endObject()
                }
                json.endArray()
                json.endObject()
                return json.bytes
            }
        }
    }
}
