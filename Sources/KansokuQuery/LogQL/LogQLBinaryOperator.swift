/// Binary operators between metric expressions, with Prometheus precedence.
public enum LogQLBinaryOperator: String, Sendable, Hashable, CaseIterable {
    case or, and, unless
    case equal = "==", notEqual = "!=", greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "^"

    /// Binding strength; higher binds tighter (`or` 1 … `^` 6).
    public var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .equal, .notEqual, .greater, .greaterOrEqual, .less, .lessOrEqual: return 3
        case .add, .subtract: return 4
        case .multiply, .divide, .modulo: return 5
        case .power: return 6
        }
    }

    /// `^` is the only right-associative operator.
    public var isRightAssociative: Bool { self == .power }

    /// Comparison operators (the only ones that take `bool`).
    public var isComparison: Bool { precedence == 3 }

    /// `and`, `or`, `unless`: set operations on label sets.
    public var isSetOperator: Bool { precedence <= 2 }

    /// Maps a token to an operator; `or`/`and`/`unless` arrive as identifiers.
    init?(token: LogQLToken) {
        switch token.kind {
        case .identifier:
            guard let op = Self(rawValue: token.text), op.isSetOperator else { return nil }
            self = op
        case .cmpEq: self = .equal
        case .neq: self = .notEqual
        case .gt: self = .greater
        case .gte: self = .greaterOrEqual
        case .lt: self = .less
        case .lte: self = .lessOrEqual
        case .add: self = .add
        case .sub: self = .subtract
        case .mul: self = .multiply
        case .div: self = .divide
        case .mod: self = .modulo
        case .pow: self = .power
        default: return nil
        }
    }
}
