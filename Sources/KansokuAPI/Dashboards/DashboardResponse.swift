import Hummingbird
import KansokuStorage
import NIOCore

/// The JSON bodies of the dashboards API.
enum DashboardResponse {
    static func list(_ summaries: [DashboardSummary]) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.key("dashboards"); json.beginArray()
        for summary in summaries {
            json.beginObject()
            json.key("uid"); json.string(summary.uid)
            json.key("title"); json.string(summary.title)
            json.key("tags"); json.beginArray()
            for tag in summary.tags { json.string(tag) }
            json.endArray()
            json.key("version"); json.number(summary.version)
            json.key("updated"); json.string(summary.updated)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return RouteSupport.json(json.bytes)
    }

    static func dashboard(_ stored: StoredDashboard, status: HTTPResponse.Status = .ok) -> Response {
        RouteSupport.json(stored.json, status: status)
    }

    static func error(_ error: DashboardError) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.key("status"); json.string("error")
        json.key("errorType"); json.string(errorType(error.kind))
        json.key("error"); json.string(error.description)
        json.endObject()
        return RouteSupport.json(json.bytes, status: status(error.kind))
    }

    static func status(_ kind: DashboardError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalid: .badRequest
        case .tooLarge: .contentTooLarge
        case .notFound: .notFound
        case .conflict: .conflict
        case .storage: .internalServerError
        }
    }

    private static func errorType(_ kind: DashboardError.Kind) -> String {
        switch kind {
        case .invalid: "bad_data"
        case .tooLarge: "too_large"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .storage: "internal"
        }
    }
}
