/// An operator combining two span sets of the same trace.
public enum TraceQLSpansetOperator: String, Sendable, Hashable, CaseIterable {
    /// Both sides match somewhere in the trace; the result is their union.
    case and = "&&"
    /// Either side matches; the result is their union.
    case or = "||"
    /// Spans of the right set whose parent is in the left set.
    case child = ">"
    /// Spans of the right set with an ancestor in the left set.
    case descendant = ">>"
    /// Spans of the right set with a sibling (same parent) in the left set.
    case sibling = "~"
}
