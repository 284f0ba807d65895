import Foundation
import KansokuQuery

/// The parameters of `GET /loki/api/v1/tail`, read as Loki reads them:
/// `query` (a log query; metric queries are refused), `limit` (lines of
/// history sent first, default 100), `start` (where that history may begin,
/// default an hour ago) and `delay_for` (whole seconds, at most 5, that
/// live lines wait so late ones can be merged in time order).
struct LokiTailRequest: Sendable {
    static let maxDelayForSeconds = 5
    /// Loki's `max_entries_limit_per_query` default.
    static let maxLimit = 5000

    let query: LogQLLogQuery
    let filter: LogQLEntryFilter
    let limit: Int
    /// Nanoseconds since the epoch.
    let start: Int64
    let delayFor: Duration

    static func of(_ parameters: LokiParameters, now: Int64) throws(LokiQueryError) -> LokiTailRequest {
        let query: LogQLLogQuery
        let filter: LogQLEntryFilter
        do {
            query = try LogQLParser.parseLogQuery(parameters["query"] ?? "")
        } catch {
            throw LokiQueryError(error.description)
        }
        do {
            filter = try LogQLEntryFilter(query)
        } catch {
            throw LokiQueryError(error.description)
        }
        let limit = try parameters.limit()
        guard limit <= maxLimit else {
            throw LokiQueryError("max entries limit per query exceeded, limit > max_entries_limit (\(limit) > \(maxLimit))")
        }
        let start = try parameters.time("start", default: now - LokiQueryRoutes.queryLookback)
        var delaySeconds = 0
        if let text = parameters["delay_for"] {
            guard let seconds = Int(text), seconds >= 0 else {
                throw LokiQueryError("invalid parameter \"delay_for\": cannot parse \"\(text)\" as whole seconds")
            }
            guard seconds <= maxDelayForSeconds else {
                throw LokiQueryError("delay_for can't be greater than \(maxDelayForSeconds)")
            }
            delaySeconds = seconds
        }
        return LokiTailRequest(query: query, filter: filter, limit: limit, start: start, delayFor: .seconds(delaySeconds))
    }

    /// Nanoseconds since the epoch now.
    static func nowNanos() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1e9)
    }
}
