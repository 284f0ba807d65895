import KansokuModel

/// What happened to one appended batch: how much was stored and why the rest was not.
public struct MetricAppendReport: Sendable, Hashable {
    /// Samples stored (identical re-sent samples count as stored: they are no-ops).
    public var acceptedSamples = 0
    /// Samples left out, by reason.
    public var rejectedSamples = 0
    /// The first few rejections, enough to name the problem without an unbounded response.
    public private(set) var rejections: [MetricRejection] = []

    public init() {}

    static let maxListed = 10

    mutating func reject(_ count: Int, _ rejection: @autoclosure () -> MetricRejection) {
        rejectedSamples += count
        if rejections.count < MetricAppendReport.maxListed { rejections.append(rejection()) }
    }

    /// One line per listed rejection, with a count of the unlisted ones.
    public var summary: String {
        let more = rejectedSamples > rejections.count && rejections.count == MetricAppendReport.maxListed ? " (and more)" : ""
        return rejections.map(\.description).joined(separator: "; ") + more
    }
}

/// Why a sample or series was not stored, with Prometheus's wording.
public struct MetricRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// Older than the series' newest sample, and no out-of-order window allows it.
        case outOfOrder
        /// Older than the out-of-order window allows.
        case tooOld
        /// Same timestamp as a stored sample but a different value.
        case duplicateTimestamp
        /// Older than anything the store still accepts (before the head's start).
        case outOfBounds
        /// The label set is not a valid series identity.
        case invalidLabels(String)
        /// More labels than `maxLabelsPerSeries`.
        case tooManyLabels(limit: Int)
        /// Creating the series would exceed `maxSeries`.
        case seriesLimit(limit: Int)
        /// The request carried more series than `maxSeriesPerRequest`.
        case requestSeriesLimit(limit: Int)
    }

    public var reason: Reason
    /// The series, as `name{label="value", …}`.
    public var series: String
    /// The offending sample's timestamp, for sample-level rejections.
    public var timestamp: Int64?

    public init(reason: Reason, series: String, timestamp: Int64? = nil) {
        self.reason = reason
        self.series = series
        self.timestamp = timestamp
    }

    public var description: String {
        let at = timestamp.map { " timestamp=\($0)" } ?? ""
        switch reason {
        case .outOfOrder: return "out of order sample for series \(series)\(at)"
        case .tooOld: return "too old sample for series \(series)\(at)"
        case .duplicateTimestamp: return "duplicate sample for timestamp for series \(series)\(at)"
        case .outOfBounds: return "out of bounds for series \(series)\(at)"
        case .invalidLabels(let why): return "invalid labels for series \(series): \(why)"
        case .tooManyLabels(let limit): return "series \(series) has more than \(limit) labels"
        case .seriesLimit(let limit): return "series limit of \(limit) reached; new series \(series) not created"
        case .requestSeriesLimit(let limit): return "request has more than \(limit) series; series \(series) and later ones dropped"
        }
    }
}
