/// A location inside a LogQL query string.
///
/// Lines and columns are 1-based and count Unicode scalars, which is what
/// Loki's Go lexer (`text/scanner`) reports, so error positions line up with
/// what Grafana users see when talking to a real Loki.
public struct LogQLSourcePosition: Sendable, Hashable, CustomStringConvertible {
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
