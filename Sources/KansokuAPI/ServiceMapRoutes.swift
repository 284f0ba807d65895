import Foundation
import Hummingbird
import KansokuStorage

/// The service map and RED metrics computed from spans at query time:
/// `GET /api/kansoku/v1/servicemap` and `GET /api/kansoku/v1/red`
/// (`start`/`end` in Unix seconds, default the last hour; `service` for RED),
/// and Jaeger's `GET /api/dependencies` (`endTs` and `lookback` in ms).
public struct ServiceMapRoutes: Sendable {
    public let traces: any TraceSignalStore

    public init(traces: any TraceSignalStore) {
        self.traces = traces
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let traces = self.traces
        router.get("/api/kansoku/v1/servicemap") { request, _ in
            let window: (start: UInt64, end: UInt64)
            switch Self.window(FormQuery.parameters(request.uri.query)) {
            case .success(let parsed): window = parsed
            case .failure(let error): return RouteSupport.badRequest(error.description)
            }
            return try await RouteSupport.blocking {
                ServiceMapResponse.kansoku(try ServiceMap.compute(in: traces, startNanos: window.start, endNanos: window.end))
            }
        }
        router.get("/api/kansoku/v1/red") { request, _ in
            let parameters = FormQuery.parameters(request.uri.query)
            let window: (start: UInt64, end: UInt64)
            switch Self.window(parameters) {
            case .success(let parsed): window = parsed
            case .failure(let error): return RouteSupport.badRequest(error.description)
            }
            let service = parameters.last { $0.name == "service" }.flatMap { $0.value.isEmpty ? nil : $0.value }
            return try await RouteSupport.blocking {
                REDResponse.kansoku(try REDMetrics.compute(in: traces, startNanos: window.start, endNanos: window.end, service: service))
            }
        }
        router.get("/api/dependencies") { request, _ in
            let parameters = FormQuery.parameters(request.uri.query)
            let nowMillis = RouteSupport.nowMicros() / 1000
            guard let endMillis = Self.uint(parameters, "endTs", default: nowMillis),
                  let lookbackMillis = Self.uint(parameters, "lookback", default: 3_600_000) else {
                return RouteSupport.json(JaegerResponse.error(code: 400, message: "endTs and lookback must be milliseconds"),
                                         status: .badRequest)
            }
            let end = endMillis * 1_000_000
            let start = end - min(end, lookbackMillis * 1_000_000)
            return try await RouteSupport.blocking {
                ServiceMapResponse.jaegerDependencies(try ServiceMap.compute(in: traces, startNanos: start, endNanos: end).edges)
            }
        }
    }

    private static func uint(_ parameters: [(name: String, value: String)], _ name: String, default value: UInt64) -> UInt64? {
        guard let text = parameters.last(where: { $0.name == name })?.value, !text.isEmpty else { return value }
        return UInt64(text)
    }

    /// `start`/`end` as Unix seconds (fractions allowed), as Prometheus's API takes them.
    static func window(_ parameters: [(name: String, value: String)]) -> Result<(start: UInt64, end: UInt64), DebugQueryError> {
        func seconds(_ name: String) -> Result<Double?, DebugQueryError> {
            guard let text = parameters.last(where: { $0.name == name })?.value, !text.isEmpty else { return .success(nil) }
            guard let value = Double(text), value.isFinite, value >= 0 else {
                return .failure(.invalid(name, text, "want Unix seconds"))
            }
            return .success(value)
        }
        let end: Double, start: Double
        switch (seconds("end"), seconds("start")) {
        case (.failure(let error), _), (_, .failure(let error)): return .failure(error)
        case (.success(let e), .success(let s)):
            end = e ?? Date().timeIntervalSince1970
            start = s ?? end - 3600
        }
        guard start <= end else { return .failure(.invalid("start", "\(start)", "must not be after end")) }
        return .success((UInt64(start * 1e9), UInt64(end * 1e9)))
    }
}
