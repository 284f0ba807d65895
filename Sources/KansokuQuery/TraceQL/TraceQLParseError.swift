/// An error raised while lexing, parsing or validating a TraceQL query.
///
/// `description` follows Tempo's wording, which Grafana shows verbatim:
/// `parse error at line 1, col 12: syntax error: unexpected CLOSE_BRACE`.
/// Errors that concern the whole query (none at the moment are raised
/// without a position, but callers should not rely on that) print as
/// `parse error : <message>`.
public struct TraceQLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message without the `parse error ...:` prefix.
    public var message: String
    /// Where the problem was found; `nil` for whole-query errors.
    public var position: TraceQLSourcePosition?

    /// Creates an error; `position` is `nil` for whole-query errors.
    public init(message: String, position: TraceQLSourcePosition? = nil) {
        self.message = message
        self.position = position
    }

    public var description: String {
        guard let position else { return "parse error : \(message)" }
        return "parse error at line \(position.line), col \(position.column): \(message)"
    }
}
