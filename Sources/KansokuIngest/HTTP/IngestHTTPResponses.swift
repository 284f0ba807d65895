import Hummingbird
import Logging
import NIOCore

/// What the non-OTLP HTTP receivers (Zipkin, Loki, Elasticsearch) share:
/// the status each ``IngestError`` maps to, and plain-text answers.
enum IngestHTTPResponses {
    static func status(for error: IngestError) -> HTTPResponse.Status {
        switch error {
        case .malformed: .badRequest
        case .tooLarge: .contentTooLarge
        case .unsupportedContentType, .unsupportedMediaType: .unsupportedMediaType
        case .overloaded: .tooManyRequests
        case .storageUnavailable: .serviceUnavailable
        }
    }

    /// The error as a plain-text answer, with `Retry-After` where a retry can help.
    static func text(for error: IngestError) -> Response {
        var response = text(error.description + "\n", status: status(for: error))
        if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
        return response
    }

    static func text(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension IngestError {
    /// Runs a sink call, turning any failure that is not already an ``IngestError`` into `.storageUnavailable` (logged).
    static func storing<T>(_ what: String, logger: Logger, _ body: () async throws -> T) async throws(IngestError) -> T {
        do {
            return try await body()
        } catch let error as IngestError {
            throw error
        } catch {
            logger.error("storage failed to persist a batch", metadata: ["batch": "\(what)", "error": "\(error)"])
            throw .storageUnavailable("\(error)")
        }
    }
}
