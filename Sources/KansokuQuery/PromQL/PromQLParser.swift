/// Parses PromQL text into a ``PromQLExpression``.
///
/// A hand-written recursive-descent parser with precedence climbing for
/// binary operators. It performs the checks Prometheus does at parse time
/// (operand types, function signatures, vector-matching rules) as each node is
/// built, so errors carry the position of the offending node.
///
/// ```swift
/// let expr = try PromQLParser.parse("sum by (job) (rate(http_requests_total[5m]))")
/// print(expr) // sum by (job) (rate(http_requests_total[5m]))
/// ```
public struct PromQLParser {
    /// Parser switches mirroring Prometheus feature flags.
    public struct Options: Sendable, Hashable {
        /// Accept functions and aggregations upstream marks experimental
        /// (`limitk`, `sort_by_label`, `info`, ...). Prometheus defaults to
        /// `false`; its test suite runs with `true`.
        public var enableExperimentalFunctions: Bool
        /// Accept duration expressions in ranges, steps and offsets
        /// (`[5m+1m]`, `offset step()`); upstream `promql-duration-expr`.
        public var enableDurationExpressions: Bool
        /// Accept the `anchored` / `smoothed` range selector modifiers;
        /// upstream `promql-extended-range-selectors`.
        public var enableExtendedRangeSelectors: Bool
        /// Accept `fill(...)`, `fill_left(...)`, `fill_right(...)` on binary
        /// operators; upstream `promql-binop-fill-modifiers`.
        public var enableFillModifiers: Bool

        /// Creates options. Every experimental feature defaults to on, as in
        /// the upstream PromQL test suite; a Prometheus-compatible server
        /// should turn off what its feature flags do not enable.
        public init(enableExperimentalFunctions: Bool = true, enableDurationExpressions: Bool = true,
                    enableExtendedRangeSelectors: Bool = true, enableFillModifiers: Bool = true) {
            self.enableExperimentalFunctions = enableExperimentalFunctions
            self.enableDurationExpressions = enableDurationExpressions
            self.enableExtendedRangeSelectors = enableExtendedRangeSelectors
            self.enableFillModifiers = enableFillModifiers
        }
    }

    /// A sub-expression with the position of its first token.
    struct Node {
        var expression: PromQLExpression
        var position: PromQLSourcePosition
    }

    var lexer: PromQLLexer
    var buffer: [PromQLToken] = []
    let options: Options
    /// Set while parsing the label-selector argument of `info(...)`, which
    /// upstream exempts from the "at least one non-empty matcher" rule.
    var bypassEmptyMatcherCheck = false

    init(_ query: String, options: Options) {
        lexer = PromQLLexer(query)
        self.options = options
    }

    /// Parses and type-checks a complete PromQL expression.
    public static func parse(_ query: String, options: Options = Options()) throws(PromQLParseError) -> PromQLExpression {
        var parser = PromQLParser(query, options: options)
        if try parser.peek().kind == .eof {
            throw PromQLParseError(position: PromQLSourcePosition(offset: 0, line: 1, column: 1), message: "no expression found in input")
        }
        let node = try parser.parseExpression(minimumPrecedence: 0)
        let next = try parser.peek()
        if next.kind != .eof {
            throw parser.unexpected(next)
        }
        return node.expression
    }

    // MARK: Token stream

    /// Looks `ahead` tokens past the current one. Tokens are lexed lazily so
    /// a syntax error earlier in the query wins over a lexing error later on,
    /// as in Prometheus.
    mutating func peek(_ ahead: Int = 0) throws(PromQLParseError) -> PromQLToken {
        while buffer.count <= ahead {
            if let last = buffer.last, last.kind == .eof {
                buffer.append(last)
            } else {
                buffer.append(try lexer.next())
            }
        }
        return buffer[ahead]
    }

    @discardableResult
    mutating func advance() throws(PromQLParseError) -> PromQLToken {
        let token = try peek()
        buffer.removeFirst()
        return token
    }

    /// Consumes a token of `kind` or fails with "unexpected X in <context>, expected <what>".
    @discardableResult
    mutating func expect(_ kind: PromQLTokenKind, _ context: String, expected: String) throws(PromQLParseError) -> PromQLToken {
        let token = try peek()
        guard token.kind == kind else { throw unexpected(token, in: context, expected: expected) }
        return try advance()
    }

    func unexpected(_ token: PromQLToken, in context: String? = nil, expected: String? = nil) -> PromQLParseError {
        var message = "unexpected \(token.errorDescription)"
        if let context { message += " in \(context)" }
        if let expected { message += ", expected \(expected)" }
        return PromQLParseError(position: token.position, message: message)
    }

    func error(_ message: String, at position: PromQLSourcePosition) -> PromQLParseError {
        PromQLParseError(position: position, message: message)
    }

    // MARK: Expressions

    /// Precedence climbing: parses operands joined by operators binding at
    /// least as tightly as `minimumPrecedence`.
    mutating func parseExpression(minimumPrecedence: Int) throws(PromQLParseError) -> Node {
        var lhs = try parseUnary()
        while true {
            let token = try peek()
            guard let op = PromQLBinaryOperator(token: token), op.precedence >= minimumPrecedence else { return lhs }
            try advance()
            let (returnBool, matching) = try parseBinaryModifiers(for: op)
            // Left-associative operators parse their right side one level
            // tighter; `^` stays at its own level to associate to the right.
            let rhs = try parseExpression(minimumPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            let binary = PromQLBinaryExpression(op: op, lhs: lhs.expression, rhs: rhs.expression, returnBool: returnBool, matching: matching)
            let checked = try PromQLTypeChecker.checkBinary(binary, lhs: lhs.position, op: token.position, rhs: rhs.position)
            lhs = Node(expression: checked, position: lhs.position)
        }
    }

    /// Unary `-`/`+` binds tighter than `*` but looser than `^` (so `-2 ^ 2`
    /// is `-(2 ^ 2)`), and a sign on a number literal folds into it.
    mutating func parseUnary() throws(PromQLParseError) -> Node {
        let token = try peek()
        guard token.kind == .sub || token.kind == .add else {
            let primary = try parsePrimary()
            return try parsePostfix(primary)
        }
        try advance()
        let operand = try parseExpression(minimumPrecedence: PromQLBinaryOperator.pow.precedence)
        if case .number(let value, let isDuration) = operand.expression {
            return Node(expression: .number(token.kind == .sub ? -value : value, isDuration: isDuration), position: token.position)
        }
        let type = operand.expression.type
        guard type == .scalar || type == .instantVector else {
            throw error("unary expression only allowed on expressions of type scalar or instant vector, got \"\(type)\"", at: token.position)
        }
        return Node(expression: .unary(token.kind == .sub ? .minus : .plus, operand.expression), position: token.position)
    }

    /// Literals, parentheses, selectors, function calls and aggregations.
    mutating func parsePrimary() throws(PromQLParseError) -> Node {
        let token = try peek()
        switch token.kind {
        case .number:
            try advance()
            return Node(expression: .number(try parseNumberToken(token)), position: token.position)
        case .duration:
            try advance()
            let duration = try parseDurationToken(token)
            return Node(expression: .number(duration.seconds, isDuration: true), position: token.position)
        case .string:
            try advance()
            return Node(expression: .string(token.stringValue ?? ""), position: token.position)
        case .leftParen:
            try advance()
            let inner = try parseExpression(minimumPrecedence: 0)
            try expect(.rightParen, "paren expression", expected: "\")\"")
            return Node(expression: .parentheses(inner.expression), position: token.position)
        case .leftBrace:
            return try parseVectorSelector(name: nil, at: token.position)
        case .identifier, .metricIdentifier:
            // Modifier keywords are never names (upstream's metric_identifier excludes them).
            if let keyword = token.keyword, ["bool", "on", "ignoring", "group_left", "group_right", "atan2"].contains(keyword) {
                throw unexpected(token)
            }
            let next = try peek(1)
            if token.kind == .identifier, let keyword = token.keyword, let op = PromQLAggregationOperator(rawValue: keyword),
               next.kind == .leftParen || next.keyword == "by" || next.keyword == "without" {
                return try parseAggregation(op)
            }
            if token.kind == .identifier && next.kind == .leftParen {
                return try parseCall()
            }
            try advance()
            return try parseVectorSelector(name: String(token.text), at: token.position)
        default:
            throw unexpected(token)
        }
    }

    /// Turns a `.duration` token into a value, rejecting units out of order.
    func parseDurationToken(_ token: PromQLToken) throws(PromQLParseError) -> PromQLDuration {
        switch PromQLDuration.parse(String(token.text)) {
        case .success(let duration): return duration
        case .failure(let failure): throw error(failure.message, at: token.position)
        }
    }

    /// Turns a `.number` token into its value; huge literals overflow to an
    /// error as Go's `strconv.ParseFloat` does.
    func parseNumberToken(_ token: PromQLToken) throws(PromQLParseError) -> Double {
        guard let value = PromQLNumber.parse(token.text) else {
            throw error("bad number or duration syntax: \"\(token.text)\"", at: token.position)
        }
        if value.isInfinite && !token.text.lowercased().hasSuffix("inf") {
            throw error("error parsing number: strconv.ParseFloat: parsing \(PromQLStringLiteral.quote(String(token.text))): value out of range", at: token.position)
        }
        return value
    }

    /// Parses `bool`, `on(...)`/`ignoring(...)`, `group_left(...)`/`group_right(...)`
    /// and `fill(...)` modifiers following a binary operator.
    mutating func parseBinaryModifiers(for op: PromQLBinaryOperator) throws(PromQLParseError) -> (Bool, PromQLVectorMatching) {
        var matching = PromQLVectorMatching(cardinality: op.isSetOperator ? .manyToMany : .oneToOne)
        var returnBool = false
        if try peek().keyword == "bool" {
            try advance()
            returnBool = true
        }
        let keyword = try peek().keyword
        if keyword == "on" || keyword == "ignoring" {
            try advance()
            matching.on = keyword == "on"
            matching.matchingLabels = try parseGroupingLabels()
            let group = try peek()
            if group.keyword == "group_left" || group.keyword == "group_right" {
                try advance()
                matching.cardinality = group.keyword == "group_left" ? .manyToOne : .oneToMany
                if try peek().kind == .leftParen {
                    matching.include = try parseGroupingLabels()
                }
            }
        } else if keyword == "group_left" || keyword == "group_right" {
            throw unexpected(try peek())
        }
        try parseFillModifiers(into: &matching, op: op)
        return (returnBool, matching)
    }

    /// `fill(v)`, `fill_left(v)`, `fill_right(v)`: experimental modifiers that
    /// substitute a value for series missing on one side of the operation.
    mutating func parseFillModifiers(into matching: inout PromQLVectorMatching, op: PromQLBinaryOperator) throws(PromQLParseError) {
        while true {
            let token = try peek()
            let following = try peek(1)
            guard let keyword = token.keyword, keyword == "fill" || keyword == "fill_left" || keyword == "fill_right",
                  following.kind == .leftParen else { return }
            if !options.enableFillModifiers {
                throw error("binop fill modifiers are experimental and not enabled", at: token.position)
            }
            try advance()
            try advance()
            var sign = 1.0
            let signToken = try peek()
            if signToken.kind == .sub || signToken.kind == .add {
                try advance()
                if signToken.kind == .sub { sign = -1 }
            }
            let number = try peek()
            let value: Double
            switch number.kind {
            case .number:
                try advance()
                value = try parseNumberToken(number)
            case .duration:
                try advance()
                value = try parseDurationToken(number).seconds
            default:
                throw unexpected(number, in: "fill modifier", expected: "number or duration")
            }
            try expect(.rightParen, "fill modifier", expected: "\")\"")
            if keyword != "fill_right" {
                if matching.fillLeft != nil { throw error("duplicate fill modifier", at: token.position) }
                matching.fillLeft = sign * value
            }
            if keyword != "fill_left" {
                if matching.fillRight != nil { throw error("duplicate fill modifier", at: token.position) }
                matching.fillRight = sign * value
            }
        }
    }

    /// Parses `(label, "label", ...)` for `by`, `without`, `on`, `ignoring`
    /// and `group_*`. Keywords are valid label names here; a trailing comma is allowed.
    mutating func parseGroupingLabels() throws(PromQLParseError) -> [String] {
        try expect(.leftParen, "grouping opts", expected: "\"(\"")
        var labels: [String] = []
        while true {
            let token = try peek()
            switch token.kind {
            case .rightParen:
                try advance()
                return labels
            case .identifier:
                try advance()
                labels.append(String(token.text))
            case .string:
                try advance()
                labels.append(token.stringValue ?? "")
            default:
                throw unexpected(token, in: "grouping opts", expected: "label")
            }
            let separator = try peek()
            if separator.kind == .comma {
                try advance()
            } else if separator.kind != .rightParen {
                throw unexpected(separator, in: "grouping opts", expected: "\",\" or \")\"")
            }
        }
    }
}
