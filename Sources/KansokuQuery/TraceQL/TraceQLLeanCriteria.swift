import KansokuModel

/// Criteria on a span's service, name, duration, status and kind that a
/// condition implies: a store can check them from narrow columns, without
/// reading attributes. Every criterion left nil admits every span.
///
/// Derived from the top-level conjunction of a condition only, and only from
/// comparisons whose meaning is certain: `resource.service.name = "x"`,
/// `name = "x"`, `duration` bounds, `status = …` and `kind = …`. Unscoped
/// `.service.name` is not used, as a span attribute of that name wins over
/// the resource's.
public struct TraceQLLeanCriteria: Sendable, Hashable {
    /// `service.name` of the span's resource.
    public var services: Set<String>?
    /// Span names.
    public var spanNames: Set<String>?
    /// Shortest span duration in nanoseconds, inclusive (may be negative: no bound).
    public var minDurationNanos: Int64?
    /// Longest span duration in nanoseconds, inclusive (negative: nothing qualifies).
    public var maxDurationNanos: Int64?
    public var statusCodes: Set<SpanStatus.Code>?
    public var kinds: Set<SpanKind>?
    /// The condition holds for no span at all (a `false` conjunct, or a bound past the largest duration).
    public var isContradiction = false

    public init(services: Set<String>? = nil, spanNames: Set<String>? = nil, minDurationNanos: Int64? = nil,
                maxDurationNanos: Int64? = nil, statusCodes: Set<SpanStatus.Code>? = nil, kinds: Set<SpanKind>? = nil) {
        self.services = services
        self.spanNames = spanNames
        self.minDurationNanos = minDurationNanos
        self.maxDurationNanos = maxDurationNanos
        self.statusCodes = statusCodes
        self.kinds = kinds
    }

    /// Whether no span can pass: a contradiction, an empty set of wanted
    /// values (`name = "a" && name = "b"`) or empty duration bounds.
    public var isUnsatisfiable: Bool {
        if isContradiction { return true }
        if services?.isEmpty == true || spanNames?.isEmpty == true { return true }
        if statusCodes?.isEmpty == true || kinds?.isEmpty == true { return true }
        if let max = maxDurationNanos, max < Swift.max(minDurationNanos ?? 0, 0) { return true }
        return false
    }

    /// How many criteria are set: a rough measure of selectivity (an
    /// unsatisfiable set of criteria counts as the most selective).
    public var strength: Int {
        if isUnsatisfiable { return .max }
        return [services != nil, spanNames != nil, minDurationNanos != nil || maxDurationNanos != nil,
                statusCodes != nil, kinds != nil].count { $0 }
    }

    /// Whether `span`, recorded by `resource`, passes every criterion, with
    /// the evaluator's reading of each field.
    public func admits(span: Span, resource: Resource) -> Bool {
        if isUnsatisfiable { return false }
        if let services, !services.contains(resource.serviceName ?? "") { return false }
        if let spanNames, !spanNames.contains(span.name) { return false }
        let duration = Int64(clamping: span.durationNanos)
        if let min = minDurationNanos, duration < min { return false }
        if let max = maxDurationNanos, duration > max { return false }
        if let statusCodes, !statusCodes.contains(span.status.code) { return false }
        if let kinds, !kinds.contains(span.kind) { return false }
        return true
    }

    /// The criteria `condition` implies, and whether they say all it says
    /// (`exact`: a span passes the criteria exactly when it satisfies the
    /// condition, so a store need not test spans further).
    static func implied(by condition: TraceQLFieldExpr?) -> (criteria: TraceQLLeanCriteria, exact: Bool) {
        var criteria = TraceQLLeanCriteria()
        var exact = true
        guard let condition else { return (criteria, exact) }
        for conjunct in conjuncts(of: condition) where !criteria.narrow(by: conjunct) {
            exact = false
        }
        return (criteria, exact)
    }

    /// The operands of the top-level `&&`s of `condition`.
    private static func conjuncts(of condition: TraceQLFieldExpr) -> [TraceQLFieldExpr] {
        if case .and(let l, let r) = condition { return conjuncts(of: l) + conjuncts(of: r) }
        return [condition]
    }

    /// Narrows the criteria by one conjunct; returns whether the criteria
    /// now capture it entirely (false when it is only partly captured or not at all).
    private mutating func narrow(by conjunct: TraceQLFieldExpr) -> Bool {
        switch conjunct {
        case .constant(let value):
            if !value { isContradiction = true }
            return true
        case .and, .or:
            return false
        case .comparison(let c):
            switch (c.field, c.op, c.value) {
            case (.attribute(.resource, "service.name"), .equal, .string(let service)):
                services = (services ?? [service]).intersection([service])
                // The store names a resource without `service.name` "", which the comparison would not match.
                return !service.isEmpty
            case (.intrinsic(.name), .equal, .string(let name)):
                spanNames = (spanNames ?? [name]).intersection([name])
                return true
            case (.intrinsic(.status), .equal, .status(let code)):
                statusCodes = (statusCodes ?? [code]).intersection([code])
                return true
            case (.intrinsic(.kind), .equal, .kind(let kind)):
                kinds = (kinds ?? [kind]).intersection([kind])
                return true
            case (.intrinsic(.duration), let op, .duration(let nanos)):
                return narrowDuration(op, nanos)
            default:
                return false
            }
        }
    }

    /// Narrows the duration bounds by `duration op nanos`; false for operators that are not bounds.
    private mutating func narrowDuration(_ op: TraceQLComparisonOperator, _ nanos: Int64) -> Bool {
        func raiseMin(_ value: Int64) { minDurationNanos = Swift.max(minDurationNanos ?? value, value) }
        func lowerMax(_ value: Int64) { maxDurationNanos = Swift.min(maxDurationNanos ?? value, value) }
        switch op {
        case .greater:
            // Durations are clamped to Int64.max, so nothing exceeds it.
            guard nanos < .max else { isContradiction = true; return true }
            raiseMin(nanos + 1)
        case .greaterOrEqual: raiseMin(nanos)
        case .less:
            guard nanos > .min else { isContradiction = true; return true }
            lowerMax(nanos - 1)
        case .lessOrEqual: lowerMax(nanos)
        case .equal:
            raiseMin(nanos)
            lowerMax(nanos)
        default:
            return false
        }
        return true
    }
}
