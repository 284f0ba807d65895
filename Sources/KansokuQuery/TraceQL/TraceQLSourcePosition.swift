/// A location inside a TraceQL query string.
///
/// Lines and columns are 1-based and count Unicode scalars, like the Go
/// `text/scanner` Tempo's lexer is built on, so positions line up with the
/// errors Grafana users would get from a real Tempo.
public struct TraceQLSourcePosition: Sendable, Hashable, CustomStringConvertible {
    /// Offset in Unicode scalars from the start of the query (0-based).
    public var offset: Int
    /// 1-based line number.
    public var line: Int
    /// 1-based column number within `line`.
    public var column: Int

    /// Creates a position; callers normally get these from tokens.
    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), col \(column)" }
}
