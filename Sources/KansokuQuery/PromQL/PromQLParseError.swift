/// An error raised while lexing, parsing or type checking a PromQL query.
///
/// `description` mirrors Prometheus's `ParseErr.Error()` format,
/// `<line>:<column>: parse error: <message>`, so API responses can pass it
/// through unchanged.
public struct PromQLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the offending construct starts.
    public var position: PromQLSourcePosition
    /// The message without position prefix, worded like Prometheus's.
    public var message: String

    /// Creates an error at `position`.
    public init(position: PromQLSourcePosition, message: String) {
        self.position = position
        self.message = message
    }

    public var description: String { "\(position): parse error: \(message)" }
}
