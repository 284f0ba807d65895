/// `label_replace(expr, "dst", "replacement", "src", "regex")`.
public struct LogQLLabelReplace: Sendable, Hashable, CustomStringConvertible {
    /// The input expression.
    public var expr: LogQLMetricExpr
    /// Label written.
    public var destination: String
    /// Replacement with `$1`-style references.
    public var replacement: String
    /// Label read.
    public var source: String
    /// Anchored RE2 regex applied to the source value.
    public var regex: String

    /// Creates a label_replace call.
    public init(expr: LogQLMetricExpr, destination: String, replacement: String, source: String, regex: String) {
        self.expr = expr
        self.destination = destination
        self.replacement = replacement
        self.source = source
        self.regex = regex
    }

    public var description: String {
        let args = [destination, replacement, source, regex].map(LogQLStringLiteral.quote)
        return "label_replace(\(expr), " + args.joined(separator: ", ") + ")"
    }
}
