import Foundation
import Hummingbird
import KansokuQuery
import KansokuStorage
import NIOCore
import NIOPosix

/// Loki's query API as Grafana's Loki data source calls it, GET and POST:
/// `/loki/api/v1/query`, `/loki/api/v1/query_range`, `/loki/api/v1/labels`,
/// `/loki/api/v1/label/{name}/values`, `/loki/api/v1/series`,
/// `/loki/api/v1/index/stats` and `/loki/api/v1/detected_fields`, with Loki's
/// JSON shapes; bad queries and parameters get a 400 with the message as text.
public struct LokiQueryRoutes: Sendable {
    public let logs: any LogSignalStore

    public init(logs: any LogSignalStore) {
        self.logs = logs
    }

    /// Loki's defaults: labels look back 6 h, queries 1 h.
    static let labelsLookback: Int64 = 6 * 3_600_000_000_000
    static let queryLookback: Int64 = 3_600_000_000_000

    private func route<Context: RequestContext>(_ path: RouterPath, on router: Router<Context>,
                                                _ body: @escaping @Sendable (LokiParameters, Context) throws -> [UInt8]) {
        let respond: @Sendable (Request, Context) async throws -> Response = { request, context in
            let parameters = try await LokiParameters.of(request)
            do {
                return RouteSupport.json(try await NIOThreadPool.singleton.runIfActive { try body(parameters, context) })
            } catch let error as LokiQueryError {
                return Self.text(error.message, status: .badRequest)
            } catch let error as LogQLParseError {
                return Self.text(error.description, status: .badRequest)
            } catch let error as LogQLEvaluationError {
                return Self.text(error.description, status: .badRequest)
            }
        }
        router.get(path, use: respond)
        router.post(path, use: respond)
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let engine = LogQLEngine(source: StoreLogQLSource(store: logs))
        let logs = self.logs
        route("/loki/api/v1/query_range", on: router) { parameters, _ in
            let expr = try LogQLParser.parse(parameters["query"] ?? "")
            let (start, end) = try parameters.range(defaultSince: Self.queryLookback)
            // Loki's default step: the range split into ~250 points, at least a second.
            let step = try parameters.duration("step") ?? max(1_000_000_000, (end - start) / 250 / 1_000_000_000 * 1_000_000_000)
            let value = try engine.evaluate(expr, start: start, end: end, step: step,
                                            direction: try parameters.direction(), limit: try parameters.limit())
            return LokiResponse.query(value, at: end)
        }
        route("/loki/api/v1/query", on: router) { parameters, _ in
            let expr = try LogQLParser.parse(parameters["query"] ?? "")
            let time = try parameters.time("time", default: Int64(Date().timeIntervalSince1970 * 1e9))
            guard case .metric(let metric) = expr else {
                throw LokiQueryError("log queries are not supported as an instant query type, please change your query to a range query type")
            }
            return LokiResponse.query(try engine.instantQuery(metric, at: time), at: time)
        }
        route("/loki/api/v1/index/stats", on: router) { parameters, _ in
            try LokiIndexEndpoints.indexStats(parameters, logs: logs)
        }
        route("/loki/api/v1/detected_fields", on: router) { parameters, _ in
            try LokiIndexEndpoints.detectedFields(parameters, engine: engine)
        }
        route("/loki/api/v1/detected_field/:name/values", on: router) { parameters, context in
            try LokiIndexEndpoints.detectedFieldValues(parameters, name: context.parameters.get("name") ?? "", engine: engine)
        }
        route("/loki/api/v1/labels", on: router) { parameters, _ in
            let (start, end) = try parameters.range(defaultSince: Self.labelsLookback)
            return LokiResponse.strings(try logs.labelNames(start: start, end: end))
        }
        route("/loki/api/v1/label/:name/values", on: router) { parameters, context in
            let (start, end) = try parameters.range(defaultSince: Self.labelsLookback)
            return LokiResponse.strings(try logs.labelValues(name: context.parameters.get("name") ?? "", start: start, end: end))
        }
        route("/loki/api/v1/series", on: router) { parameters, _ in
            let (start, end) = try parameters.range(defaultSince: Self.labelsLookback)
            let selectors = try parameters.parameters.all("match[]").map { text in
                guard case .log(let query) = try LogQLParser.parse(text), query.pipeline.isEmpty else {
                    throw LokiQueryError("invalid match[] \"\(text)\": expected a stream selector")
                }
                return try query.selector.matchers.map { matcher throws(LogQLEvaluationError) in try LogQLCompiledMatcher(matcher) }
            }
            // Label sets only: no line is read for the series endpoint.
            let found = try logs.streamLabels(start: start, end: end).filter { labels in
                selectors.isEmpty || selectors.contains { $0.allSatisfy { $0.matches(labels[$0.name] ?? "") } }
            }
            return LokiResponse.series(found.sorted().map(\.pairs))
        }
    }

    static func text(_ message: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
