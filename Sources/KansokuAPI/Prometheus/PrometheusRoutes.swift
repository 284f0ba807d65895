import Hummingbird
import KansokuModel
import KansokuQuery
import KansokuStorage
import NIOCore
import NIOPosix

/// The Prometheus HTTP API as Grafana's Prometheus data source calls it, GET
/// and POST: query, query_range, series, labels, label values, metadata,
/// exemplars, build info and format_query — with Prometheus's JSON shapes and
/// error types.
public struct PrometheusRoutes: Sendable {
    public let metrics: any MetricSeriesStore
    public let limits: QueryLimits
    public let version: String

    public init(metrics: any MetricSeriesStore, limits: QueryLimits = QueryLimits(), version: String) {
        self.metrics = metrics
        self.limits = limits
        self.version = version
    }

    /// Registers `handler` for GET and POST at `path`.
    private func route<Context: RequestContext>(
        _ path: RouterPath, on router: Router<Context>,
        _ handler: @escaping @Sendable (PrometheusParameters, Context) async throws(PrometheusAPIError) -> [UInt8]
    ) {
        let respond: @Sendable (Request, Context) async throws -> Response = { request, context in
            let parameters = try await PrometheusParameters.of(request)
            do throws(PrometheusAPIError) {
                return RouteSupport.json(try await handler(parameters, context))
            } catch {
                return RouteSupport.json(PrometheusResponse.error(error), status: error.kind.status)
            }
        }
        router.get(path, use: respond)
        router.post(path, use: respond)
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let queries = PrometheusQueries(metrics: metrics, limits: limits)
        route("/api/v1/query", on: router) { parameters, _ throws(PrometheusAPIError) in
            try await queries.instant(parameters)
        }
        route("/api/v1/query_range", on: router) { parameters, _ throws(PrometheusAPIError) in
            try await queries.range(parameters)
        }
        route("/api/v1/series", on: router) { parameters, _ throws(PrometheusAPIError) in
            try await queries.series(parameters)
        }
        route("/api/v1/labels", on: router) { parameters, _ throws(PrometheusAPIError) in
            try await queries.labelNames(parameters)
        }
        route("/api/v1/label/:name/values", on: router) { parameters, context throws(PrometheusAPIError) in
            try await queries.labelValues(context.parameters.get("name") ?? "", parameters)
        }
        route("/api/v1/metadata", on: router) { parameters, _ throws(PrometheusAPIError) in
            try queries.metadata(parameters)
        }
        route("/api/v1/query_exemplars", on: router) { parameters, _ throws(PrometheusAPIError) in
            try await queries.exemplars(parameters)
        }
        route("/api/v1/format_query", on: router) { parameters, _ throws(PrometheusAPIError) in
            let expression = try PrometheusQueries.parse(parameters["query"] ?? "")
            return PrometheusResponse.success { $0.string(expression.description) }
        }
        let version = self.version
        route("/api/v1/status/buildinfo", on: router) { _, _ throws(PrometheusAPIError) in
            PrometheusResponse.success { json in
                json.beginObject()
                json.key("version"); json.string(version)
                json.key("revision"); json.string("")
                json.key("branch"); json.string("")
                json.key("buildUser"); json.string("")
                json.key("buildDate"); json.string("")
                json.key("goVersion"); json.string("")
                json.key("application"); json.string("kansoku")
                json.endObject()
            }
        }
    }
}
