/// The `@`-pinned re-runs the upstream runner adds to every instant eval:
/// each selector and subquery not already carrying `@` (and not inside a
/// pinned subquery) gets `@ <eval time>`, so the result must not depend on
/// the time the query is run at.
enum PromQLTestScriptAtVariants {
    /// Functions whose result depends on the evaluation time even with
    /// pinned arguments (`AtModifierUnsafeFunctions` upstream).
    static let unsafeFunctions: Set<String> = [
        "days_in_month", "day_of_month", "day_of_week", "day_of_year", "end", "hour", "minute", "month", "year",
        "predict_linear", "range", "start", "step", "time", "timestamp",
    ]

    /// The pinned expression, or `nil` when the query uses an unsafe function.
    static func pinned(_ expression: PromQLExpression, at time: Int64) -> PromQLExpression? {
        var safe = true
        let result = pin(expression, time, &safe)
        return safe ? result : nil
    }

    private static func pin(_ e: PromQLExpression, _ time: Int64, _ safe: inout Bool) -> PromQLExpression {
        switch e {
        case .number, .string: return e
        case .vectorSelector(var v):
            if v.at == nil { v.at = .timestamp(milliseconds: time) }
            return .vectorSelector(v)
        case .matrixSelector(var m):
            if m.selector.at == nil { m.selector.at = .timestamp(milliseconds: time) }
            return .matrixSelector(m)
        case .subquery(var s):
            // Inside a subquery that already has (or now gets) an @,
            // nothing further is changed; only unsafe calls are looked for.
            if s.at == nil { s.at = .timestamp(milliseconds: time) }
            if containsUnsafe(s.expression) { safe = false }
            return .subquery(s)
        case .call(var c):
            if unsafeFunctions.contains(c.function.name) { safe = false }
            c.arguments = c.arguments.map { pin($0, time, &safe) }
            return .call(c)
        case .aggregation(var a):
            a.expression = pin(a.expression, time, &safe)
            a.parameter = a.parameter.map { pin($0, time, &safe) }
            return .aggregation(a)
        case .unary(let op, let inner): return .unary(op, pin(inner, time, &safe))
        case .parentheses(let inner): return .parentheses(pin(inner, time, &safe))
        case .binary(var b):
            b.lhs = pin(b.lhs, time, &safe)
            b.rhs = pin(b.rhs, time, &safe)
            return .binary(b)
        }
    }

    private static func containsUnsafe(_ e: PromQLExpression) -> Bool {
        switch e {
        case .number, .string, .vectorSelector, .matrixSelector: return false
        case .subquery(let s): return containsUnsafe(s.expression)
        case .call(let c): return unsafeFunctions.contains(c.function.name) || c.arguments.contains(where: containsUnsafe)
        case .aggregation(let a): return containsUnsafe(a.expression) || (a.parameter.map(containsUnsafe) ?? false)
        case .unary(_, let inner), .parentheses(let inner): return containsUnsafe(inner)
        case .binary(let b): return containsUnsafe(b.lhs) || containsUnsafe(b.rhs)
        }
    }
}
