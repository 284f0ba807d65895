/// The functions that turn a log range into samples.
public enum LogQLRangeOperation: String, Sendable, Hashable, CaseIterable {
    case countOverTime = "count_over_time"
    case rate
    case rateCounter = "rate_counter"
    case bytesOverTime = "bytes_over_time"
    case bytesRate = "bytes_rate"
    case avgOverTime = "avg_over_time"
    case sumOverTime = "sum_over_time"
    case minOverTime = "min_over_time"
    case maxOverTime = "max_over_time"
    case stdvarOverTime = "stdvar_over_time"
    case stddevOverTime = "stddev_over_time"
    case quantileOverTime = "quantile_over_time"
    case firstOverTime = "first_over_time"
    case lastOverTime = "last_over_time"
    case absentOverTime = "absent_over_time"

    /// Operations that count lines or bytes and therefore work without unwrap.
    var worksWithoutUnwrap: Bool {
        [.bytesOverTime, .bytesRate, .countOverTime, .rate, .absentOverTime].contains(self)
    }

    /// Operations that accept an unwrapped value.
    var acceptsUnwrap: Bool {
        ![.countOverTime, .bytesOverTime, .bytesRate].contains(self)
    }

    /// Operations Loki allows a trailing `by`/`without` on.
    var acceptsGrouping: Bool {
        [.avgOverTime, .stddevOverTime, .stdvarOverTime, .quantileOverTime,
         .maxOverTime, .minOverTime, .firstOverTime, .lastOverTime].contains(self)
    }
}
