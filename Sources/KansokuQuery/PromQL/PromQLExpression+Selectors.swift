extension PromQLExpression {
    /// Every vector selector in the expression (range selectors' included),
    /// in source order: what a query reads, for exemplar lookups and skips.
    public var vectorSelectors: [PromQLVectorSelector] {
        switch self {
        case .number, .string: return []
        case .vectorSelector(let v): return [v]
        case .matrixSelector(let m): return [m.selector]
        case .subquery(let s): return s.expression.vectorSelectors
        case .call(let c): return c.arguments.flatMap(\.vectorSelectors)
        case .aggregation(let a): return a.expression.vectorSelectors + (a.parameter?.vectorSelectors ?? [])
        case .unary(_, let e), .parentheses(let e): return e.vectorSelectors
        case .binary(let b): return b.lhs.vectorSelectors + b.rhs.vectorSelectors
        }
    }
}
