/// An error raised while lexing, parsing or validating a LogQL query.
///
/// `description` reproduces the shape of Loki's `logqlmodel.ParseError`
/// because Grafana shows that text verbatim to users:
/// - syntax errors carry a position:
///   `parse error at line 1, col 10: syntax error: unexpected IDENTIFIER`
/// - semantic checks that Loki performs after the grammar matched carry no
///   position (Loki passes line 0, col 0) and print as
///   `parse error : invalid aggregation sum_over_time without unwrap`.
public struct LogQLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message without the `parse error ...:` prefix.
    public var message: String
    /// Where the problem was found; `nil` for whole-query semantic errors.
    public var position: LogQLSourcePosition?

    /// Creates an error; `position` is `nil` for semantic (post-grammar) errors.
    public init(message: String, position: LogQLSourcePosition? = nil) {
        self.message = message
        self.position = position
    }

    public var description: String {
        guard let position else { return "parse error : \(message)" }
        return "parse error at line \(position.line), col \(position.column): \(message)"
    }
}

extension LogQLParseError {
    /// Loki's wording for selectors that could match every stream.
    static let emptyCompatibleMatchersMessage =
        "queries require at least one regexp or equality matcher that does not have an empty-compatible value. "
        + "For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will"
}
