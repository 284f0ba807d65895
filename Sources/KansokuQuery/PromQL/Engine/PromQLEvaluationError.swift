/// An error raised while evaluating a PromQL expression.
///
/// `message` uses Prometheus's wording where one exists, because API clients
/// and the upstream test scripts compare error texts.
public struct PromQLEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why evaluation stopped.
    public enum Kind: String, Sendable, Hashable {
        /// The query is valid but hit a runtime error Prometheus also raises.
        case execution
        /// The query uses something this engine does not implement yet
        /// (native histograms, some experimental features).
        case unsupported
        /// The series source failed.
        case storage
        /// The query ran past its deadline.
        case timeout
    }

    /// The category.
    public var kind: Kind
    /// The error text.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// A runtime error with Prometheus's message.
    static func execution(_ message: String) -> PromQLEvaluationError { PromQLEvaluationError(.execution, message) }
    /// A feature this engine does not support yet.
    static func unsupported(_ message: String) -> PromQLEvaluationError { PromQLEvaluationError(.unsupported, message) }

    public var description: String { kind == .unsupported ? "unsupported: \(message)" : message }
}
