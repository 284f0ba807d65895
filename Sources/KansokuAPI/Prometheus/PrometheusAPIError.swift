import HTTPTypes

/// An error as the Prometheus HTTP API reports it: an `errorType` that clients
/// branch on, the HTTP status that goes with it, and a message.
struct PrometheusAPIError: Error, Sendable, CustomStringConvertible {
    enum Kind: String, Sendable {
        case badData = "bad_data"
        case execution
        case timeout
        case canceled
        case `internal`
        case notFound = "not_found"
        case unavailable

        /// Prometheus's `returnAPIError` mapping.
        var status: HTTPResponse.Status {
            switch self {
            case .badData: .badRequest
            case .execution: .unprocessableContent
            case .timeout, .unavailable: .serviceUnavailable
            case .canceled: HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")
            case .internal: .internalServerError
            case .notFound: .notFound
            }
        }
    }

    var kind: Kind
    var message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// A parameter that could not be used: `invalid parameter "start": …`, Prometheus's wording.
    static func invalidParameter(_ name: String, _ why: String) -> PrometheusAPIError {
        PrometheusAPIError(.badData, "invalid parameter \"\(name)\": \(why)")
    }

    var description: String { "\(kind.rawValue): \(message)" }
}
