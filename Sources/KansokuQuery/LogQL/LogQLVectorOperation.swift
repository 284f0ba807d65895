/// Aggregations over the series of an instant vector.
public enum LogQLVectorOperation: String, Sendable, Hashable, CaseIterable {
    case sum, avg, min, max, stddev, stdvar, count, topk, bottomk, sort
    case sortDesc = "sort_desc"

    /// `topk`/`bottomk` take a leading integer parameter.
    var requiresParameter: Bool { self == .topk || self == .bottomk }
}
