/// A parsed TraceQL query; build one with `TraceQLParser.parse(_:)` and run
/// it with `TraceQLEvaluator.matchingSpans(_:in:)`.
public struct TraceQLQuery: Sendable, Hashable, CustomStringConvertible {
    public var root: TraceQLSpansetExpr

    public init(root: TraceQLSpansetExpr) {
        self.root = root
    }

    /// A fully parenthesised canonical form, mostly for logs and tests.
    public var description: String { root.description }
}
