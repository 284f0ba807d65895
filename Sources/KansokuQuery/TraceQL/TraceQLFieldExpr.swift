/// The condition inside `{ ... }`, evaluated once per span.
///
/// `&&` binds tighter than `||`, as in Tempo since its precedence fix.
public indirect enum TraceQLFieldExpr: Sendable, Hashable, CustomStringConvertible {
    case comparison(TraceQLComparison)
    /// A bare `true` or `false`.
    case constant(Bool)
    case and(TraceQLFieldExpr, TraceQLFieldExpr)
    case or(TraceQLFieldExpr, TraceQLFieldExpr)

    public var description: String {
        switch self {
        case .comparison(let c): c.description
        case .constant(let b): String(b)
        case .and(let l, let r): "(\(l) && \(r))"
        case .or(let l, let r): "(\(l) || \(r))"
        }
    }
}
