import KansokuModel

/// What converting one export request produced: the valid items, and a count
/// and description of the ones rejected (OTLP's `partial_success`).
struct ConversionOutcome<Item: Sendable & Hashable>: Sendable {
    var batch = TelemetryBatch<Item>()
    /// Rejected spans, log records or metric data points.
    var rejected = 0
    /// The first few reasons, enough to find the problem without an unbounded response.
    private(set) var errors: [String] = []

    private static var maxErrors: Int { 5 }

    mutating func reject(_ count: Int = 1, _ reason: @autoclosure () -> String) {
        rejected += count
        if errors.count < Self.maxErrors { errors.append(reason()) }
    }

    /// The `error_message` of a partial-success response; empty when nothing was rejected.
    var errorMessage: String {
        guard rejected > 0 else { return "" }
        let more = rejected > errors.count ? " (and \(rejected - errors.count) more)" : ""
        return errors.joined(separator: "; ") + more
    }
}
