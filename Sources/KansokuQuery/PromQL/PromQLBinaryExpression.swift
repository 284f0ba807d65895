/// How the two sides of a binary operation pair up their series.
public enum PromQLMatchingCardinality: String, Sendable, Hashable {
    case oneToOne = "one-to-one"
    /// `group_left`
    case manyToOne = "many-to-one"
    /// `group_right`
    case oneToMany = "one-to-many"
    /// Set operators (`and`, `or`, `unless`).
    case manyToMany = "many-to-many"
}

/// The vector-matching clause of a binary operation between two instant vectors.
public struct PromQLVectorMatching: Sendable, Hashable {
    /// The matching cardinality.
    public var cardinality: PromQLMatchingCardinality
    /// Labels listed in `on(...)` / `ignoring(...)`.
    public var matchingLabels: [String]
    /// `true` for `on`, `false` for `ignoring` (or no clause).
    public var on: Bool
    /// Labels listed in `group_left(...)` / `group_right(...)`.
    public var include: [String]
    /// `fill(v)` / `fill_left(v)`: value for series missing on the left side.
    public var fillLeft: Double?
    /// `fill(v)` / `fill_right(v)`: value for series missing on the right side.
    public var fillRight: Double?

    /// Creates a matching clause.
    public init(cardinality: PromQLMatchingCardinality = .oneToOne, matchingLabels: [String] = [], on: Bool = false, include: [String] = [], fillLeft: Double? = nil, fillRight: Double? = nil) {
        self.cardinality = cardinality
        self.matchingLabels = matchingLabels
        self.on = on
        self.include = include
        self.fillLeft = fillLeft
        self.fillRight = fillRight
    }

    // Equality treats NaN fill values as equal so a parsed AST equals itself.
    public static func == (a: PromQLVectorMatching, b: PromQLVectorMatching) -> Bool {
        func same(_ x: Double?, _ y: Double?) -> Bool {
            switch (x, y) {
            case (nil, nil): return true
            case let (x?, y?): return x == y || (x.isNaN && y.isNaN)
            default: return false
            }
        }
        return a.cardinality == b.cardinality && a.matchingLabels == b.matchingLabels && a.on == b.on
            && a.include == b.include && same(a.fillLeft, b.fillLeft) && same(a.fillRight, b.fillRight)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(cardinality)
        hasher.combine(matchingLabels)
        hasher.combine(on)
        hasher.combine(include)
    }
}

/// A binary operation.
public struct PromQLBinaryExpression: Sendable, Hashable {
    /// The operator.
    public var op: PromQLBinaryOperator
    /// The left operand.
    public var lhs: PromQLExpression
    /// The right operand.
    public var rhs: PromQLExpression
    /// `bool` modifier on a comparison: return 0/1 instead of filtering.
    public var returnBool: Bool
    /// Vector matching; `nil` unless both operands are instant vectors.
    public var matching: PromQLVectorMatching?

    /// Creates a binary operation.
    public init(op: PromQLBinaryOperator, lhs: PromQLExpression, rhs: PromQLExpression, returnBool: Bool = false, matching: PromQLVectorMatching? = nil) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.returnBool = returnBool
        self.matching = matching
    }
}
