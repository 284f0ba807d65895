import KansokuRegex

/// Tempo's comparison semantics between a resolved field value and a static.
///
/// - a missing value never matches, except `= nil`;
/// - integers and floats compare numerically with each other;
/// - strings compare as strings (ordering is lexicographic, regexes must
///   match the whole value, with Go's semantics: ``AnchoredRegex``);
/// - any other pair of different types never matches, even with `!=`.
enum TraceQLValueComparison {
    static func holds(_ lhs: TraceQLStatic?, _ op: TraceQLComparisonOperator, _ rhs: TraceQLStatic,
                      regex: (String) -> AnchoredRegex?) -> Bool {
        if case .nil = rhs {
            switch op {
            case .equal: return lhs == nil
            case .notEqual: return lhs != nil
            default: return false
            }
        }
        guard let lhs else { return false }
        switch (lhs, rhs) {
        case (.string(let l), .string(let r)):
            switch op {
            case .regexMatch, .regexNoMatch:
                guard let compiled = regex(r) else { return false }
                let matched = compiled.matches(l)
                return op == .regexMatch ? matched : !matched
            default:
                return ordered(l, op, r)
            }
        case (.int(let l), .int(let r)): return ordered(l, op, r)
        case (.duration(let l), .duration(let r)): return ordered(l, op, r)
        case (.int, .float), (.float, .int), (.float, .float):
            guard let l = numeric(lhs), let r = numeric(rhs) else { return false }
            return ordered(l, op, r)
        case (.bool(let l), .bool(let r)): return equality(l, op, r)
        case (.status(let l), .status(let r)): return equality(l, op, r)
        case (.kind(let l), .kind(let r)): return equality(l, op, r)
        default: return false
        }
    }

    static func numeric(_ value: TraceQLStatic) -> Double? {
        switch value {
        case .int(let v): Double(v)
        case .float(let v): v
        case .duration(let v): Double(v)
        default: nil
        }
    }

    private static func ordered<T: Comparable>(_ l: T, _ op: TraceQLComparisonOperator, _ r: T) -> Bool {
        switch op {
        case .equal: l == r
        case .notEqual: l != r
        case .greater: l > r
        case .greaterOrEqual: l >= r
        case .less: l < r
        case .lessOrEqual: l <= r
        case .regexMatch, .regexNoMatch: false
        }
    }

    private static func equality<T: Equatable>(_ l: T, _ op: TraceQLComparisonOperator, _ r: T) -> Bool {
        switch op {
        case .equal: l == r
        case .notEqual: l != r
        default: false
        }
    }
}
