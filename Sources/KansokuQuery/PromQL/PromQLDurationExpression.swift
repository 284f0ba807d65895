#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// C `pow`, reached through the platform C library so the module does not need Foundation.
private func promqlPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }

/// An experimental duration expression (`[5m+1m]`, `offset step()*2`,
/// `[min_of(step(), 1h)]`), upstream's `promql-duration-expr` feature.
///
/// Plain literals never produce one: `[5m]` is stored as a
/// ``PromQLDuration``. Expressions stay symbolic because `step()` and
/// `range()` are only known when the query runs; see ``evaluate(step:range:)``.
public indirect enum PromQLDurationExpression: Sendable, Hashable {
    /// A number of seconds; `isDuration` when written as a duration (`5m`).
    case literal(seconds: Double, isDuration: Bool)
    /// `step()`: the range-query resolution (0 for instant queries).
    case step
    /// `range()`: end minus start of the range query (0 for instant queries).
    case range
    /// `min_of(a, b)`.
    case minOf(PromQLDurationExpression, PromQLDurationExpression)
    /// `max_of(a, b)`.
    case maxOf(PromQLDurationExpression, PromQLDurationExpression)
    /// `-e` or `+e`.
    case unary(PromQLUnaryOperator, PromQLDurationExpression)
    /// Arithmetic: only `+ - * / % ^` are allowed.
    case binary(PromQLBinaryOperator, PromQLDurationExpression, PromQLDurationExpression)
    /// `(e)`, kept for printing.
    case parentheses(PromQLDurationExpression)

    /// Computes the value in seconds for a query with the given step and
    /// range (both in seconds). Returns `nil` on division or modulo by zero.
    public func evaluate(step: Double, range: Double) -> Double? {
        switch self {
        case .literal(let seconds, _): return seconds
        case .step: return step
        case .range: return range
        case .minOf(let a, let b):
            guard let x = a.evaluate(step: step, range: range), let y = b.evaluate(step: step, range: range) else { return nil }
            return Swift.min(x, y)
        case .maxOf(let a, let b):
            guard let x = a.evaluate(step: step, range: range), let y = b.evaluate(step: step, range: range) else { return nil }
            return Swift.max(x, y)
        case .unary(let op, let e):
            guard let x = e.evaluate(step: step, range: range) else { return nil }
            return op == .minus ? -x : x
        case .parentheses(let e):
            return e.evaluate(step: step, range: range)
        case .binary(let op, let a, let b):
            guard let x = a.evaluate(step: step, range: range), let y = b.evaluate(step: step, range: range) else { return nil }
            switch op {
            case .add: return x + y
            case .sub: return x - y
            case .mul: return x * y
            case .div: return y == 0 ? nil : x / y
            case .mod: return y == 0 ? nil : x.truncatingRemainder(dividingBy: y)
            case .pow: return promqlPow(x, y)
            default: return nil
            }
        }
    }
}

extension PromQLDurationExpression: CustomStringConvertible {
    /// Canonical text: binary operators spaced (`5m + 1m`), calls as written.
    public var description: String {
        switch self {
        case .literal(let seconds, let isDuration):
            return PromQLExpression.number(seconds, isDuration: isDuration).description
        case .step: return "step()"
        case .range: return "range()"
        case .minOf(let a, let b): return "min_of(\(a), \(b))"
        case .maxOf(let a, let b): return "max_of(\(a), \(b))"
        case .unary(let op, let e): return op == .minus ? "-\(e)" : "\(e)"
        case .binary(let op, let a, let b): return "\(a) \(op) \(b)"
        case .parentheses(let e): return "(\(e))"
        }
    }
}
