/// One sample of an instant vector (`timestamp` in nanoseconds).
public struct LogQLSample: Sendable, Hashable {
    public var labels: LogQLLabels
    public var timestamp: Int64
    public var value: Double

    public init(labels: LogQLLabels, timestamp: Int64, value: Double) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = value
    }
}

/// One point of a series.
public struct LogQLPoint: Sendable, Hashable {
    public var timestamp: Int64
    public var value: Double

    public init(timestamp: Int64, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }
}

/// A series of a range-query matrix; points ascending by time.
public struct LogQLSeries: Sendable, Hashable {
    public var labels: LogQLLabels
    public var points: [LogQLPoint]

    public init(labels: LogQLLabels, points: [LogQLPoint]) {
        self.labels = labels
        self.points = points
    }
}

/// A query result, shaped like Loki's `resultType`.
public enum LogQLValue: Sendable, Hashable {
    /// Log query result (`"streams"`).
    case streams([LogQLStream])
    /// Instant metric query result (`"vector"`).
    case vector([LogQLSample])
    /// Range metric query result (`"matrix"`).
    case matrix([LogQLSeries])
    /// Instant query of a scalar expression (`"scalar"`), at the query time.
    case scalar(Double)

    /// Loki's `resultType` string.
    public var resultType: String {
        switch self {
        case .streams: return "streams"
        case .vector: return "vector"
        case .matrix: return "matrix"
        case .scalar: return "scalar"
        }
    }
}

/// Direction of a log query.
public enum LogQLDirection: String, Sendable, Hashable {
    /// Oldest first.
    case forward = "FORWARD"
    /// Newest first (Loki's default).
    case backward = "BACKWARD"
}
