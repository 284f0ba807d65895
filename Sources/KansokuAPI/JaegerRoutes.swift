import Foundation
import Hummingbird
import KansokuModel
import KansokuStorage
import NIOCore
import NIOPosix

/// Jaeger's HTTP query API, as Jaeger UI and Grafana's Jaeger data source call
/// it: `/api/services`, `/api/services/{service}/operations`, `/api/operations`,
/// `/api/traces` (search) and `/api/traces/{traceId}`. The work is in
/// `JaegerSearch` and the store's search (`recentTraces`) and catalogue.
public struct JaegerRoutes: Sendable {
    public let traces: any TraceSignalStore

    public init(traces: any TraceSignalStore) {
        self.traces = traces
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let traces = self.traces
        router.get("/api/services") { _, _ in
            try await RouteSupport.blocking { JaegerResponse.services(try JaegerSearch.services(in: traces)) }
        }
        router.get("/api/services/:service/operations") { _, context in
            let service = context.parameters.get("service") ?? ""
            return try await RouteSupport.blocking {
                JaegerResponse.operationNames(try JaegerSearch.operations(in: traces, service: service))
            }
        }
        router.get("/api/operations") { request, _ in
            let parameters = FormQuery.parameters(request.uri.query)
            guard let service = parameters.last(where: { $0.name == "service" })?.value, !service.isEmpty else {
                return RouteSupport.json(JaegerResponse.error(.missingParameter("service")), status: .badRequest)
            }
            let spanKind = parameters.last(where: { $0.name == "spanKind" }).flatMap { $0.value.isEmpty ? nil : $0.value }
            return try await RouteSupport.blocking {
                JaegerResponse.operations(try JaegerSearch.operations(in: traces, service: service, spanKind: spanKind))
            }
        }
        router.get("/api/traces") { request, _ in
            let parameters = FormQuery.parameters(request.uri.query)
            let query: JaegerQuery
            do throws(JaegerQueryError) {
                query = try JaegerQuery(parameterList: parameters, nowMicros: RouteSupport.nowMicros())
            } catch {
                return RouteSupport.json(JaegerResponse.error(error), status: .badRequest)
            }
            return try await RouteSupport.blocking { JaegerResponse.traces(try JaegerSearch.findTraces(query, in: traces)) }
        }
        router.get("/api/traces/:traceId") { _, context in
            let text = context.parameters.get("traceId") ?? ""
            guard let traceID = RouteSupport.traceID(text) else {
                return RouteSupport.json(JaegerResponse.error(.invalidValue(parameter: "traceID", value: text, expected: "1 to 32 hex digits")),
                                 status: .badRequest)
            }
            let batch = try await NIOThreadPool.singleton.runIfActive { try traces.spans(ofTrace: traceID) }
            guard !batch.isEmpty else {
                return RouteSupport.json(JaegerResponse.error(code: 404, message: "trace not found"), status: .notFound)
            }
            return RouteSupport.json(JaegerResponse.traces([batch]))
        }
    }
}
