import Foundation
import Hummingbird
import KansokuQuery

/// Parameters of a Loki query API call (URL query, or a form body for POST),
/// with Loki's parsing of times, steps and directions.
struct LokiParameters: Sendable {
    let parameters: PrometheusParameters

    static func of(_ request: Request) async throws -> LokiParameters {
        LokiParameters(parameters: try await PrometheusParameters.of(request))
    }

    subscript(name: String) -> String? { parameters[name] }

    /// Nanoseconds: RFC 3339, Unix seconds with a fraction, or an integer
    /// (seconds when it has at most 10 digits, nanoseconds otherwise), as Loki reads it.
    func time(_ name: String, default defaultValue: Int64) throws(LokiQueryError) -> Int64 {
        guard let text = self[name] else { return defaultValue }
        if let integer = Int64(text) { return text.count <= 10 ? integer * 1_000_000_000 : integer }
        if let seconds = Double(text), seconds.isFinite { return Int64((seconds * 1e9).rounded()) }
        if let ms = PrometheusTimestamp.parse(text) { return ms * 1_000_000 }
        throw LokiQueryError("invalid parameter \"\(name)\": cannot parse \"\(text)\" to a valid timestamp")
    }

    /// Nanoseconds: a duration (`5m`) or seconds (`30`, `1.5`).
    func duration(_ name: String) throws(LokiQueryError) -> Int64? {
        guard let text = self[name] else { return nil }
        guard let ms = PrometheusTimestamp.parseDuration(text), ms > 0 else {
            throw LokiQueryError("invalid parameter \"\(name)\": cannot parse \"\(text)\" to a valid duration")
        }
        return ms * 1_000_000
    }

    func limit(default defaultValue: Int = 100) throws(LokiQueryError) -> Int {
        guard let text = self["limit"] else { return defaultValue }
        guard let limit = Int(text), limit > 0 else { throw LokiQueryError("limit must be a positive value") }
        return limit
    }

    func direction() throws(LokiQueryError) -> LogQLDirection {
        switch self["direction"]?.lowercased() {
        case nil, "backward": return .backward
        case "forward": return .forward
        case let other?: throw LokiQueryError("invalid direction \"\(other)\": use forward or backward")
        }
    }

    /// `start`/`end` with Loki's defaults: `end` now, `start` `since` (default `defaultSince`) before it.
    func range(defaultSince: Int64) throws(LokiQueryError) -> (start: Int64, end: Int64) {
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let end = try time("end", default: now)
        let since = try duration("since") ?? defaultSince
        let start = try time("start", default: end - since)
        guard end >= start else { throw LokiQueryError("end timestamp must not be before or equal to start time") }
        return (start, end)
    }
}

/// A Loki API error: a 400 with the message as plain text, as Loki answers.
struct LokiQueryError: Error, Sendable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
