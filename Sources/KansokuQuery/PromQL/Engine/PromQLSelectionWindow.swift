/// The time span a query can read, so the engine asks storage for those
/// samples only instead of a series' whole history (Prometheus's
/// `FindMinMaxTime`). The span is a superset: every selector's reads fall
/// inside it, whatever the offsets, `@` modifiers and subquery nesting.
enum PromQLSelectionWindow {
    /// `[start, end]` in ms covering every read of `expression` evaluated
    /// from `start` to `end`; the widest window when a range or offset is a
    /// duration expression (known only while evaluating).
    static func window(of expression: PromQLExpression, start: Int64, end: Int64, lookbackDelta: Int64,
                       defaultSubqueryStep: Int64) -> (start: Int64, end: Int64) {
        var finder = Finder(queryStart: start, queryEnd: end, lookbackDelta: lookbackDelta, defaultSubqueryStep: defaultSubqueryStep)
        finder.visit(expression, from: start, to: end)
        guard let low = finder.low, let high = finder.high else { return (start, end) }
        return (low, high)
    }

    private struct Finder {
        let queryStart: Int64, queryEnd: Int64, lookbackDelta: Int64, defaultSubqueryStep: Int64
        var low: Int64?, high: Int64?

        static let unbounded = (Int64.min / 2, Int64.max / 2)

        mutating func include(_ from: Int64, _ to: Int64) {
            low = min(low ?? from, from)
            high = max(high ?? to, to)
        }

        /// The evaluation times after `@` and `offset`; nil when unknowable statically.
        func shifted(from: Int64, to: Int64, at: PromQLAtModifier?, offset: PromQLDuration?,
                     offsetExpression: PromQLDurationExpression?) -> (Int64, Int64)? {
            guard offsetExpression == nil else { return nil }
            var (a, b) = (from, to)
            switch at {
            case .timestamp(let ms): (a, b) = (ms, ms)
            case .start: (a, b) = (queryStart, queryStart)
            case .end: (a, b) = (queryEnd, queryEnd)
            case nil: break
            }
            let shift = offset?.milliseconds ?? 0
            return (a - shift, b - shift)
        }

        mutating func visit(_ expression: PromQLExpression, from: Int64, to: Int64) {
            switch expression {
            case .number, .string: return
            case .parentheses(let inner), .unary(_, let inner): visit(inner, from: from, to: to)
            case .vectorSelector(let selector):
                select(selector, range: 0, from: from, to: to)
            case .matrixSelector(let matrix):
                guard matrix.rangeExpression == nil else { return include(Finder.unbounded.0, Finder.unbounded.1) }
                select(matrix.selector, range: matrix.range.milliseconds, from: from, to: to)
            case .subquery(let subquery):
                guard subquery.rangeExpression == nil, subquery.stepExpression == nil,
                      let (a, b) = shifted(from: from, to: to, at: subquery.at, offset: subquery.offset,
                                           offsetExpression: subquery.offsetExpression)
                else { return include(Finder.unbounded.0, Finder.unbounded.1) }
                // Inner steps are aligned to multiples of the step: one more step back covers the alignment.
                let step = subquery.step?.milliseconds ?? defaultSubqueryStep
                visit(subquery.expression, from: a - subquery.range.milliseconds - max(step, 0), to: b)
            case .call(let call):
                for argument in call.arguments { visit(argument, from: from, to: to) }
            case .aggregation(let aggregation):
                visit(aggregation.expression, from: from, to: to)
                if let parameter = aggregation.parameter { visit(parameter, from: from, to: to) }
            case .binary(let binary):
                visit(binary.lhs, from: from, to: to)
                visit(binary.rhs, from: from, to: to)
            }
        }

        mutating func select(_ selector: PromQLVectorSelector, range: Int64, from: Int64, to: Int64) {
            guard let (a, b) = shifted(from: from, to: to, at: selector.at, offset: selector.offset,
                                       offsetExpression: selector.offsetExpression)
            else { return include(Finder.unbounded.0, Finder.unbounded.1) }
            // Instant selectors look back `lookbackDelta`; the extended range
            // modifiers also reach a lookback before a range's start and, to
            // interpolate, after its end.
            let back = range == 0 || selector.rangeModifier != nil ? range + lookbackDelta : range
            include(a - back, selector.rangeModifier != nil ? b + lookbackDelta : b)
        }
    }
}
