/// A location inside a PromQL query string.
///
/// Prometheus reports parse errors as `line:column`, so both the byte offset
/// (useful for slicing the original query) and the human-facing line/column
/// are kept.
public struct PromQLSourcePosition: Sendable, Hashable, CustomStringConvertible {
    /// Zero-based offset in UTF-8 bytes from the start of the query.
    public var offset: Int
    /// One-based line number.
    public var line: Int
    /// One-based column, counted in Unicode scalars since the start of the line
    /// (Prometheus counts runes, not bytes).
    public var column: Int

    /// Creates a position from its parts.
    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// `line:column`, the form Prometheus prefixes its parse errors with.
    public var description: String { "\(line):\(column)" }
}
