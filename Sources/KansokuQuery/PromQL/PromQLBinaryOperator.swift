/// A PromQL binary operator.
public enum PromQLBinaryOperator: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^"
    case atan2
    case equal = "==", notEqual = "!=", greater = ">", less = "<", greaterEqual = ">=", lessEqual = "<="
    case and, or, unless
    /// `</`: histogram trim-upper.
    case trimUpper = "</"
    /// `>/`: histogram trim-lower.
    case trimLower = ">/"

    public var description: String { rawValue }

    /// Binding strength, higher binds tighter (Prometheus's table:
    /// `^` > `* / % atan2` > `+ -` > comparisons > `and unless` > `or`).
    /// The trim operators share the multiplicative level.
    public var precedence: Int {
        switch self {
        case .pow: return 6
        case .mul, .div, .mod, .atan2, .trimUpper, .trimLower: return 5
        case .add, .sub: return 4
        case .equal, .notEqual, .greater, .less, .greaterEqual, .lessEqual: return 3
        case .and, .unless: return 2
        case .or: return 1
        }
    }

    /// Only `^` is right-associative: `2 ^ 3 ^ 2` is `2 ^ (3 ^ 2)`.
    public var isRightAssociative: Bool { self == .pow }

    /// `==`, `!=`, `>`, `<`, `>=`, `<=` (the operators that accept `bool`).
    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .greater, .less, .greaterEqual, .lessEqual: return true
        default: return false
        }
    }

    /// `and`, `or`, `unless`.
    public var isSetOperator: Bool { self == .and || self == .or || self == .unless }

    /// Maps an operator token (or keyword) to the operator, if it is one.
    init?(token: PromQLToken) {
        switch token.kind {
        case .add: self = .add
        case .sub: self = .sub
        case .mul: self = .mul
        case .div: self = .div
        case .mod: self = .mod
        case .pow: self = .pow
        case .equal: self = .equal
        case .notEqual: self = .notEqual
        case .greater: self = .greater
        case .less: self = .less
        case .greaterEqual: self = .greaterEqual
        case .lessEqual: self = .lessEqual
        case .trimUpper: self = .trimUpper
        case .trimLower: self = .trimLower
        case .identifier:
            switch token.keyword {
            case "and": self = .and
            case "or": self = .or
            case "unless": self = .unless
            case "atan2": self = .atan2
            default: return nil
            }
        default: return nil
        }
    }
}

/// The unary operators, `-` and `+`.
public enum PromQLUnaryOperator: String, Sendable, Hashable {
    case minus = "-"
    case plus = "+"
}
