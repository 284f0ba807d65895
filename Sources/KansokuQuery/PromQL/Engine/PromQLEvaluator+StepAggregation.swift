/// `sum by (instance) (rate(x[5m]))` and its kin in a range query: when the
/// aggregated expression is a range function over a plain selector whose
/// values were computed for every step at once (``PromQLStepValues``), a
/// step folds those values straight into its groups. Building one element
/// per series and step only to fold it away had cost a quarter of such a
/// query's time.
extension PromQLEvaluator {
    /// The aggregation's elements at `t` folded from precomputed step
    /// values; nil when the expression or the step does not allow it (the
    /// caller then evaluates element by element, with the same result).
    func stepAggregation(_ aggregation: PromQLAggregation, at t: Int64) throws -> [PromQLElement]? {
        guard PromQLStreamingAggregation.operators.contains(aggregation.op), aggregation.parameter == nil,
              case .call(let call) = Self.unparenthesized(aggregation.expression), call.arguments.count == 1,
              PromQLRangeFunctions.names.contains(call.function.name),
              case .matrixSelector(let selector) = call.arguments[0], selector.selector.rangeModifier == nil
        else { return nil }
        let name = call.function.name
        guard let (values, step) = try precomputedStepValues(name, selector, at: t) else { return nil }
        let (assignment, groups) = groupings[aggregation, default: PromQLGrouping(aggregation)].assign(values.labels) { $0 }
        var fold = PromQLStreamingAggregation(aggregation.op, groups: groups.count)
        let dropName = !Self.keepsName(name)
        values.forEachValue(step: step) { series, value in
            fold.add(value, group: assignment[series], dropName: dropName)
        }
        return fold.elements(groups, at: t)
    }

    private static func unparenthesized(_ expression: PromQLExpression) -> PromQLExpression {
        if case .parentheses(let inner) = expression { return unparenthesized(inner) }
        return expression
    }
}
