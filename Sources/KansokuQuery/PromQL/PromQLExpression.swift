/// A parsed PromQL expression (the AST root and every sub-expression).
///
/// `String(describing:)` prints the expression back as canonical PromQL, the
/// form Prometheus's `format_query` endpoint returns.
public indirect enum PromQLExpression: Sendable, Hashable {
    /// A float literal such as `1`, `0x1f`, `-Inf`. `isDuration` records that
    /// it was written as a duration (`5m` = 300), so it prints back the same way.
    case number(Double, isDuration: Bool = false)
    /// A string literal, unescaped.
    case string(String)
    /// An instant vector selector: `up{job="api"} offset 5m`.
    case vectorSelector(PromQLVectorSelector)
    /// A range vector selector: `up[5m]`.
    case matrixSelector(PromQLMatrixSelector)
    /// A subquery: `rate(x[5m])[1h:1m]`.
    case subquery(PromQLSubquery)
    /// A function call: `rate(x[5m])`.
    case call(PromQLCall)
    /// An aggregation: `sum by (job) (x)`.
    case aggregation(PromQLAggregation)
    /// `-x` or `+x`. Prometheus folds a sign directly in front of a number
    /// literal into the literal, and so does the parser.
    case unary(PromQLUnaryOperator, PromQLExpression)
    /// A binary operation with optional vector matching.
    case binary(PromQLBinaryExpression)
    /// A parenthesized expression, kept so printing preserves the grouping.
    case parentheses(PromQLExpression)

    /// The static type of the expression.
    public var type: PromQLValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .vectorSelector, .aggregation: return .instantVector
        case .matrixSelector, .subquery: return .rangeVector
        case .call(let call): return call.function.returnType
        case .unary(_, let operand): return operand.type
        case .binary(let binary):
            return binary.lhs.type == .scalar && binary.rhs.type == .scalar ? .scalar : .instantVector
        case .parentheses(let inner): return inner.type
        }
    }

    /// The expression with any number of enclosing parentheses removed.
    public var unwrappingParentheses: PromQLExpression {
        if case .parentheses(let inner) = self { return inner.unwrappingParentheses }
        return self
    }
}

/// The `@` modifier of a selector or subquery.
public enum PromQLAtModifier: Sendable, Hashable {
    /// `@ 1609746000` (stored in milliseconds since the epoch).
    case timestamp(milliseconds: Int64)
    /// `@ start()`: the start of the range query.
    case start
    /// `@ end()`: the end of the range query.
    case end
}

/// An instant vector selector.
public struct PromQLVectorSelector: Sendable, Hashable {
    /// The metric name when written before the braces (`up{...}`); `nil` for
    /// `{__name__="up"}` or `{"up"}`, which only add a matcher.
    public var name: String?
    /// All matchers; a name written outside the braces is included as an
    /// `__name__="name"` equality matcher (last), as in Prometheus.
    public var matchers: [PromQLLabelMatcher]
    /// The `offset` modifier, negative for `offset -5m`.
    public var offset: PromQLDuration?
    /// An `offset` given as a duration expression (`offset step()*2`);
    /// when set, ``offset`` is `nil`.
    public var offsetExpression: PromQLDurationExpression?
    /// The `@` modifier.
    public var at: PromQLAtModifier?
    /// The experimental `anchored` / `smoothed` modifier.
    public var rangeModifier: PromQLRangeModifier?

    /// Creates a selector.
    public init(name: String?, matchers: [PromQLLabelMatcher], offset: PromQLDuration? = nil, offsetExpression: PromQLDurationExpression? = nil,
                at: PromQLAtModifier? = nil, rangeModifier: PromQLRangeModifier? = nil) {
        self.name = name
        self.matchers = matchers
        self.offset = offset
        self.offsetExpression = offsetExpression
        self.at = at
        self.rangeModifier = rangeModifier
    }
}

/// The experimental extended range selector modifiers (upstream feature
/// `promql-extended-range-selectors`).
public enum PromQLRangeModifier: String, Sendable, Hashable {
    /// `anchored`: include the sample just before the range start.
    case anchored
    /// `smoothed`: interpolate values at the range boundaries.
    case smoothed
}

/// A range vector selector: a vector selector plus a `[range]`.
public struct PromQLMatrixSelector: Sendable, Hashable {
    /// The selector; its offset and `@` apply to the range.
    public var selector: PromQLVectorSelector
    /// The look-back window (zero when ``rangeExpression`` is set).
    public var range: PromQLDuration
    /// The window as a duration expression (`[5m+1m]`, `[step()]`).
    public var rangeExpression: PromQLDurationExpression?

    /// Creates a range selector.
    public init(selector: PromQLVectorSelector, range: PromQLDuration, rangeExpression: PromQLDurationExpression? = nil) {
        self.selector = selector
        self.range = range
        self.rangeExpression = rangeExpression
    }
}

/// A subquery `expr[range:step]`.
public struct PromQLSubquery: Sendable, Hashable {
    /// The inner expression (an instant vector).
    public var expression: PromQLExpression
    /// The subquery window (zero when ``rangeExpression`` is set).
    public var range: PromQLDuration
    /// The window as a duration expression.
    public var rangeExpression: PromQLDurationExpression?
    /// The resolution; `nil` (with no ``stepExpression``) means "the default
    /// evaluation interval".
    public var step: PromQLDuration?
    /// The resolution as a duration expression.
    public var stepExpression: PromQLDurationExpression?
    /// The `offset` modifier.
    public var offset: PromQLDuration?
    /// The `offset` as a duration expression.
    public var offsetExpression: PromQLDurationExpression?
    /// The `@` modifier.
    public var at: PromQLAtModifier?

    /// Creates a subquery.
    public init(expression: PromQLExpression, range: PromQLDuration, rangeExpression: PromQLDurationExpression? = nil,
                step: PromQLDuration?, stepExpression: PromQLDurationExpression? = nil,
                offset: PromQLDuration? = nil, offsetExpression: PromQLDurationExpression? = nil, at: PromQLAtModifier? = nil) {
        self.expression = expression
        self.range = range
        self.rangeExpression = rangeExpression
        self.step = step
        self.stepExpression = stepExpression
        self.offset = offset
        self.offsetExpression = offsetExpression
        self.at = at
    }
}

/// A function call.
public struct PromQLCall: Sendable, Hashable {
    /// The called function's signature.
    public var function: PromQLFunction
    /// The arguments in order.
    public var arguments: [PromQLExpression]

    /// Creates a call.
    public init(function: PromQLFunction, arguments: [PromQLExpression]) {
        self.function = function
        self.arguments = arguments
    }
}

/// An aggregation such as `topk by (job) (3, x)`.
public struct PromQLAggregation: Sendable, Hashable {
    /// The operator.
    public var op: PromQLAggregationOperator
    /// The aggregated expression.
    public var expression: PromQLExpression
    /// The parameter for `topk`, `quantile`, `count_values`, ...; otherwise `nil`.
    public var parameter: PromQLExpression?
    /// The `by`/`without` label list (empty when absent).
    public var grouping: [String]
    /// `true` for `without (...)`, `false` for `by (...)` or no clause.
    public var without: Bool

    /// Creates an aggregation.
    public init(op: PromQLAggregationOperator, expression: PromQLExpression, parameter: PromQLExpression? = nil, grouping: [String] = [], without: Bool = false) {
        self.op = op
        self.expression = expression
        self.parameter = parameter
        self.grouping = grouping
        self.without = without
    }
}
