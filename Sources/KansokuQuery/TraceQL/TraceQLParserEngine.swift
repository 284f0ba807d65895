/// Recursive-descent parser over the token stream; the span set level lives
/// here, conditions inside `{ }` in `TraceQLParserEngine+Field.swift`.
///
/// Span set precedence, loosest first: `|`, `||`, `&&`, then the structural
/// operators `>`, `>>`, `~` (all left-associative).
struct TraceQLParserEngine {
    private let tokens: [TraceQLToken]
    private var index = 0

    init(tokens: [TraceQLToken]) {
        self.tokens = tokens
    }

    var current: TraceQLToken { tokens[index] }

    func peek(_ ahead: Int) -> TraceQLToken { tokens[min(index + ahead, tokens.count - 1)] }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    /// Consumes a token of `kind` or throws a syntax error naming it.
    @discardableResult
    mutating func expect(_ kind: TraceQLTokenKind, _ name: String) throws(TraceQLParseError) -> TraceQLToken {
        guard current.kind == kind else { throw unexpected(expecting: name) }
        let token = current
        advance()
        return token
    }

    /// A syntax error at the current token, worded like Tempo's yacc errors.
    func unexpected(expecting: String? = nil) -> TraceQLParseError {
        unexpected(current, expecting: expecting)
    }

    func unexpected(_ token: TraceQLToken, expecting: String? = nil) -> TraceQLParseError {
        var message = "syntax error: unexpected \(token.errorName)"
        if let expecting { message += ", expecting \(expecting)" }
        return TraceQLParseError(message: message, position: token.position)
    }

    // MARK: Span set level

    /// `spansetOr ('|' stage)*`
    mutating func parsePipeline() throws(TraceQLParseError) -> TraceQLSpansetExpr {
        var expr = try parseSpansetOr()
        while current.kind == .pipe {
            advance()
            expr = .pipeline(expr, try parseStage())
        }
        return expr
    }

    private mutating func parseSpansetOr() throws(TraceQLParseError) -> TraceQLSpansetExpr {
        var expr = try parseSpansetAnd()
        while current.kind == .or {
            advance()
            expr = .binary(.or, expr, try parseSpansetAnd())
        }
        return expr
    }

    private mutating func parseSpansetAnd() throws(TraceQLParseError) -> TraceQLSpansetExpr {
        var expr = try parseSpansetStructural()
        while current.kind == .and {
            advance()
            expr = .binary(.and, expr, try parseSpansetStructural())
        }
        return expr
    }

    private mutating func parseSpansetStructural() throws(TraceQLParseError) -> TraceQLSpansetExpr {
        var expr = try parseSpansetPrimary()
        while true {
            let op: TraceQLSpansetOperator
            switch current.kind {
            case .gt: op = .child
            case .desc: op = .descendant
            case .tilde: op = .sibling
            case .lt, .lte, .gte, .neq, .nre, .re, .eq:
                throw TraceQLParseError(message: "syntax error: span set operator \(current.text) is not supported",
                                        position: current.position)
            default: return expr
            }
            advance()
            expr = .binary(op, expr, try parseSpansetPrimary())
        }
    }

    private mutating func parseSpansetPrimary() throws(TraceQLParseError) -> TraceQLSpansetExpr {
        switch current.kind {
        case .openBrace:
            return .filter(try parseFilterBody())
        case .openParen:
            advance()
            let expr = try parsePipeline()
            try expect(.closeParen, "CLOSE_PARENS")
            return expr
        default:
            throw unexpected(expecting: "OPEN_BRACE or OPEN_PARENS")
        }
    }

    /// `'{' fieldExpr? '}'`, with the cursor on `{`.
    private mutating func parseFilterBody() throws(TraceQLParseError) -> TraceQLFieldExpr? {
        try expect(.openBrace, "OPEN_BRACE")
        if current.kind == .closeBrace {
            advance()
            return nil
        }
        let condition = try parseFieldOr()
        try expect(.closeBrace, "CLOSE_BRACE")
        return condition
    }

    // MARK: Pipeline stages

    private static let unsupportedStages: Set<String> = [
        "by", "select", "coalesce", "rate", "count_over_time", "min_over_time", "max_over_time",
        "avg_over_time", "sum_over_time", "quantile_over_time", "histogram_over_time", "compare",
        "topk", "bottomk", "with",
    ]

    private mutating func parseStage() throws(TraceQLParseError) -> TraceQLPipelineStage {
        if current.kind == .openBrace { return .filter(try parseFilterBody()) }
        guard current.kind == .identifier else { throw unexpected() }
        let word = current
        guard let function = TraceQLAggregate.Function(rawValue: word.text) else {
            if Self.unsupportedStages.contains(word.text) {
                throw TraceQLParseError(message: "pipeline stage \(word.text)() is not supported", position: word.position)
            }
            throw unexpected()
        }
        advance()
        try expect(.openParen, "OPEN_PARENS")
        var field: TraceQLField?
        if function == .count {
            try expect(.closeParen, "CLOSE_PARENS")
        } else {
            let fieldToken = current
            let parsed = try parseField()
            if case .intrinsic(let intrinsic) = parsed, intrinsic.valueType != .duration {
                throw TraceQLParseError(message: "\(function.rawValue)(\(intrinsic.rawValue)) is not supported: "
                                        + "only numeric attributes and durations can be aggregated",
                                        position: fieldToken.position)
            }
            field = parsed
            try expect(.closeParen, "CLOSE_PARENS")
        }
        let aggregate = TraceQLAggregate(function: function, field: field)
        let opToken = current
        guard let op = comparisonOperator(current.kind), !op.isRegex else {
            throw unexpected(expecting: "comparison operator")
        }
        advance()
        let value = try parseStatic()
        let wantsDuration: Bool
        if case .intrinsic = field { wantsDuration = true } else { wantsDuration = false }
        let ok = wantsDuration ? value.type == .duration : (value.type == .int || value.type == .float)
        guard ok else {
            throw TraceQLParseError(message: "binary operations must operate on the same type: \(aggregate) \(op.rawValue) \(value)",
                                    position: opToken.position)
        }
        return .aggregate(aggregate, op, value)
    }
}
