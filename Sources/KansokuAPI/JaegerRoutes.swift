import Foundation
import Hummingbird
import KansokuModel
import KansokuStorage
import NIOCore
import NIOPosix

/// Jaeger's HTTP query API, as Jaeger UI and Grafana's Jaeger data source call
/// it: `/api/services`, `/api/services/{service}/operations`, `/api/operations`,
/// `/api/traces` (search) and `/api/traces/{traceId}`. Search scans the store
/// for now; trace by id does not.
public struct JaegerRoutes: Sendable {
    public let traces: any TraceSignalStore

    public init(traces: any TraceSignalStore) {
        self.traces = traces
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let traces = self.traces
        router.get("/api/services") { _, _ in
            try await Self.blocking { JaegerResponse.services(try JaegerSearch.services(in: traces)) }
        }
        router.get("/api/services/:service/operations") { _, context in
            let service = context.parameters.get("service") ?? ""
            return try await Self.blocking {
                JaegerResponse.operationNames(try JaegerSearch.operations(in: traces, service: service))
            }
        }
        router.get("/api/operations") { request, _ in
            let parameters = FormQuery.parameters(request.uri.query)
            guard let service = parameters.last(where: { $0.name == "service" })?.value, !service.isEmpty else {
                return Self.json(JaegerResponse.error(.missingParameter("service")), status: .badRequest)
            }
            let spanKind = parameters.last(where: { $0.name == "spanKind" }).flatMap { $0.value.isEmpty ? nil : $0.value }
            return try await Self.blocking {
                JaegerResponse.operations(try JaegerSearch.operations(in: traces, service: service, spanKind: spanKind))
            }
        }
        router.get("/api/traces") { request, _ in
            let parameters = FormQuery.parameters(request.uri.query)
            let query: JaegerQuery
            do throws(JaegerQueryError) {
                query = try JaegerQuery(parameterList: parameters, nowMicros: Self.nowMicros())
            } catch {
                return Self.json(JaegerResponse.error(error), status: .badRequest)
            }
            return try await Self.blocking { JaegerResponse.traces(try JaegerSearch.findTraces(query, in: traces)) }
        }
        router.get("/api/traces/:traceId") { _, context in
            let text = context.parameters.get("traceId") ?? ""
            guard let traceID = Self.traceID(text) else {
                return Self.json(JaegerResponse.error(.invalidValue(parameter: "traceID", value: text, expected: "1 to 32 hex digits")),
                                 status: .badRequest)
            }
            let batch = try await NIOThreadPool.singleton.runIfActive { try traces.spans(ofTrace: traceID) }
            guard !batch.isEmpty else {
                return Self.json(JaegerResponse.error(code: 404, message: "trace not found"), status: .notFound)
            }
            return Self.json(JaegerResponse.traces([batch]))
        }
    }

    /// Jaeger accepts shortened ids (64-bit ones, leading zeros dropped): left-pad to 32 digits.
    static func traceID(_ text: String) -> TraceID? {
        guard (1...32).contains(text.utf8.count) else { return nil }
        return TraceID(hex: String(repeating: "0", count: 32 - text.utf8.count) + text)
    }

    static func nowMicros() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1_000_000)
    }

    /// Store reads are blocking file I/O: run them on the thread pool, not the event loops.
    static func blocking(_ body: @escaping @Sendable () throws -> [UInt8]) async throws -> Response {
        json(try await NIOThreadPool.singleton.runIfActive(body))
    }

    static func json(_ body: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
