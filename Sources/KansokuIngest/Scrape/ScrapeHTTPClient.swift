import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What a scrape GET returned.
public struct ScrapeHTTPResponse: Sendable {
    public var status: Int
    public var contentType: String?
    public var body: [UInt8]

    public init(status: Int, contentType: String?, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// Why a scrape's HTTP request failed; becomes `up 0`.
public enum ScrapeHTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    case timeout(url: String, after: ScrapeDuration)
    case invalidURL(String)
    case transport(url: String, reason: String)

    public var description: String {
        switch self {
        case .timeout(let url, let after): "Get \"\(url)\": context deadline exceeded (scrape_timeout \(after))"
        case .invalidURL(let url): "invalid scrape URL \"\(url)\""
        case .transport(let url, let reason): "Get \"\(url)\": \(reason)"
        }
    }
}

/// Performs scrape requests; a protocol so tests and other transports can stand in.
public protocol ScrapeHTTPClient: Sendable {
    /// GETs `url` with `headers`, failing with `ScrapeHTTPError.timeout` after `timeout`.
    func get(url: String, headers: [(name: String, value: String)], timeout: ScrapeDuration) async throws -> ScrapeHTTPResponse
}

/// `URLSession` (FoundationNetworking on Linux) behind `ScrapeHTTPClient`.
/// Its async API suspends instead of blocking; the whole request, body
/// included, is bounded by the scrape timeout.
public struct URLSessionScrapeClient: ScrapeHTTPClient {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration)
    }

    public func get(url: String, headers: [(name: String, value: String)], timeout: ScrapeDuration) async throws -> ScrapeHTTPResponse {
        guard let target = URL(string: url) else { throw ScrapeHTTPError.invalidURL(url) }
        var request = URLRequest(url: target)
        request.httpMethod = "GET"
        // Only a backstop: FoundationNetworking mishandles sub-second request
        // timeouts (they fire at once), so the exact limit is the race below.
        request.timeoutInterval = (Double(timeout.milliseconds) / 1000).rounded(.up) + 1
        for header in headers { request.setValue(header.value, forHTTPHeaderField: header.name) }
        let session = self.session
        let prepared = request
        return try await withThrowingTaskGroup(of: ScrapeHTTPResponse?.self) { group in
            group.addTask {
                let data: Data
                let response: URLResponse
                do {
                    (data, response) = try await session.data(for: prepared)
                } catch let error as URLError where error.code == .timedOut {
                    throw ScrapeHTTPError.timeout(url: url, after: timeout)
                } catch is CancellationError {
                    return nil
                } catch {
                    throw ScrapeHTTPError.transport(url: url, reason: error.localizedDescription)
                }
                let http = response as? HTTPURLResponse
                return ScrapeHTTPResponse(
                    status: http?.statusCode ?? 0,
                    contentType: http?.value(forHTTPHeaderField: "Content-Type"),
                    body: Array(data))
            }
            group.addTask {
                try await Task.sleep(for: timeout.duration)
                return nil
            }
            defer { group.cancelAll() }
            if let first = try await group.next(), let response = first { return response }
            try Task.checkCancellation()
            throw ScrapeHTTPError.timeout(url: url, after: timeout)
        }
    }
}
