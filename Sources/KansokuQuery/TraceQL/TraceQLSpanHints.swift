import KansokuRegex
import KansokuModel

/// What a trace search can ask a store before it evaluates a TraceQL query
/// on whole traces.
///
/// TraceQL needs complete traces, which are costly to fetch, so a search
/// first asks the store for the traces that have a span satisfying a
/// *necessary condition* of the query (``condition``): every trace the query
/// matches has such a span, so no match is lost, and the candidates are then
/// evaluated whole. The store checks ``criteria`` from narrow columns and,
/// unless they say everything (``criteriaAreExact``), tests the spans left
/// with ``mayMatch(span:resource:)``.
///
/// The condition is derived from the span set expression:
/// - `{ c }` gives `c` (`{ }` gives none);
/// - `A && B` needs both sides, so either side's condition will do: the one
///   with more lean criteria is taken (the left one on a tie);
/// - `A || B` gives `N(A) || N(B)`, none when a side has none;
/// - `A > B`, `A >> B`, `A ~ B` give the right side's condition, or the left
///   side's when it has strictly more lean criteria (both sides must match);
/// - `A | count() > n` gives `N(A)`; `A | { c }` keeps spans of A's result
///   satisfying `c`, so it gives (a condition all those spans satisfy) `&& c`,
///   or `N(A)` when that has more lean criteria.
///
/// Not `Sendable`: it holds the condition's compiled regular expressions,
/// which the standard library does not mark so; build one per search.
public struct TraceQLSpanHints {
    /// At least one span of every trace the query matches satisfies it; nil
    /// when the query constrains no single span (`{ }`, `{ } | count() > 2`).
    /// It may mention trace-level intrinsics, which a single span cannot decide.
    public let condition: TraceQLFieldExpr?
    /// What the top-level conjunction of ``condition`` says about a span's
    /// service, name, duration, status and kind.
    public let criteria: TraceQLLeanCriteria
    /// Whether ``criteria`` capture ``condition`` entirely: a span passing
    /// them passes ``mayMatch(span:resource:)``, so a store need not test
    /// spans further (and need not read their attributes).
    public let criteriaAreExact: Bool
    /// Whether every trace with a span satisfying ``condition`` matches the
    /// query (a plain `{ c }`, or `||` of them, without trace-level
    /// intrinsics): then every candidate a store returns is a match.
    public let conditionIsSufficient: Bool
    /// The compiled patterns of the condition's regex comparisons; a pattern
    /// that does not compile is absent, and its comparison fails, as in the evaluator.
    private let regexes: [String: AnchoredRegex]

    /// The hints of `query`.
    public init(_ query: TraceQLQuery) {
        let condition = Self.necessaryCondition(query.root)
        self.condition = condition
        (criteria, criteriaAreExact) = TraceQLLeanCriteria.implied(by: condition)
        conditionIsSufficient = Self.isSufficient(query.root)
        var regexes: [String: AnchoredRegex] = [:]
        for pattern in condition.map(Self.regexPatterns) ?? [] where regexes[pattern] == nil {
            if let compiled = try? AnchoredRegex(pattern, dotMatchesNewline: false) { regexes[pattern] = compiled }
        }
        self.regexes = regexes
    }

    /// Whether `span`, recorded by `resource`, may satisfy ``condition``:
    /// false only when it certainly does not. Comparisons on trace-level
    /// intrinsics are unknown for a single span and count as possibly true.
    /// It does not check ``criteria``, which the condition implies.
    public func mayMatch(span: Span, resource: Resource) -> Bool {
        guard let condition else { return true }
        return truth(of: condition, span: span, resource: resource) != .no
    }

    // MARK: Three-valued evaluation

    /// Kleene's three truth values.
    enum Truth: Equatable {
        case no, unknown, yes

        static func && (a: Truth, b: @autoclosure () -> Truth) -> Truth {
            if a == .no { return .no }
            let b = b()
            if b == .no { return .no }
            return a == .yes && b == .yes ? .yes : .unknown
        }

        static func || (a: Truth, b: @autoclosure () -> Truth) -> Truth {
            if a == .yes { return .yes }
            let b = b()
            if b == .yes { return .yes }
            return a == .no && b == .no ? .no : .unknown
        }
    }

    /// `condition` for one span, with trace-level comparisons unknown.
    func truth(of condition: TraceQLFieldExpr, span: Span, resource: Resource) -> Truth {
        switch condition {
        case .constant(let value): return value ? .yes : .no
        case .and(let l, let r): return truth(of: l, span: span, resource: resource) && truth(of: r, span: span, resource: resource)
        case .or(let l, let r): return truth(of: l, span: span, resource: resource) || truth(of: r, span: span, resource: resource)
        case .comparison(let c):
            switch TraceQLSpanFields.resolve(c.field, span: span, resource: resource) {
            case .traceLevel: return .unknown
            case .value(let value):
                return TraceQLValueComparison.holds(value, c.op, c.value) { regexes[$0] } ? .yes : .no
            }
        }
    }

    // MARK: Deriving the condition

    /// A condition at least one span of every matched trace satisfies.
    static func necessaryCondition(_ expr: TraceQLSpansetExpr) -> TraceQLFieldExpr? {
        switch expr {
        case .filter(let condition):
            return condition
        case .binary(let op, let lhs, let rhs):
            switch op {
            case .and:
                return stronger(necessaryCondition(lhs), necessaryCondition(rhs))
            case .or:
                guard let l = necessaryCondition(lhs), let r = necessaryCondition(rhs) else { return nil }
                return .or(l, r)
            case .child, .descendant, .sibling:
                return stronger(necessaryCondition(rhs), necessaryCondition(lhs))
            }
        case .pipeline(let input, .aggregate):
            return necessaryCondition(input)
        case .pipeline(let input, .filter(let condition)):
            return stronger(conjoin(resultCondition(input), condition), necessaryCondition(input))
        }
    }

    /// A condition every span in the result of `expr` satisfies (nil: none known).
    static func resultCondition(_ expr: TraceQLSpansetExpr) -> TraceQLFieldExpr? {
        switch expr {
        case .filter(let condition):
            return condition
        case .binary(let op, let lhs, let rhs):
            switch op {
            case .and, .or:
                // The result is the union of both sides.
                guard let l = resultCondition(lhs), let r = resultCondition(rhs) else { return nil }
                return .or(l, r)
            case .child, .descendant, .sibling:
                return resultCondition(rhs)
            }
        case .pipeline(let input, .aggregate):
            return resultCondition(input)
        case .pipeline(let input, .filter(let condition)):
            return conjoin(resultCondition(input), condition)
        }
    }

    /// The condition with more lean criteria, `preferred` on a tie; a missing condition loses.
    private static func stronger(_ preferred: TraceQLFieldExpr?, _ other: TraceQLFieldExpr?) -> TraceQLFieldExpr? {
        guard let preferred else { return other }
        guard let other else { return preferred }
        let preferredStrength = TraceQLLeanCriteria.implied(by: preferred).criteria.strength
        return TraceQLLeanCriteria.implied(by: other).criteria.strength > preferredStrength ? other : preferred
    }

    private static func conjoin(_ a: TraceQLFieldExpr?, _ b: TraceQLFieldExpr?) -> TraceQLFieldExpr? {
        guard let a else { return b }
        guard let b else { return a }
        return .and(a, b)
    }

    /// Whether a trace with a span satisfying the necessary condition always matches.
    private static func isSufficient(_ expr: TraceQLSpansetExpr) -> Bool {
        switch expr {
        case .filter(let condition): condition.map { !TraceQLSpanFields.mentionsTraceLevel($0) } ?? true
        case .binary(.or, let lhs, let rhs): isSufficient(lhs) && isSufficient(rhs)
        case .binary, .pipeline: false
        }
    }

    private static func regexPatterns(_ condition: TraceQLFieldExpr) -> [String] {
        switch condition {
        case .constant: []
        case .and(let l, let r), .or(let l, let r): regexPatterns(l) + regexPatterns(r)
        case .comparison(let c):
            if c.op.isRegex, case .string(let pattern) = c.value { [pattern] } else { [] }
        }
    }
}
