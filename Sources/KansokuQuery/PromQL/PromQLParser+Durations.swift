extension PromQLParser {
    /// A range, step or offset: a plain duration, or an experimental
    /// duration expression to be evaluated per query.
    enum DurationValue {
        case literal(PromQLDuration)
        case expression(PromQLDurationExpression)
    }

    /// Parses a range or subquery step inside brackets. Anything beyond a
    /// single literal is a duration expression (`[5m+1m]`, `[step()]`).
    mutating func parsePositiveDuration(context: String) throws(PromQLParseError) -> DurationValue {
        let start = try peek()
        guard start.kind != .rightBracket && start.kind != .colon else {
            throw unexpected(start, in: context, expected: "number, duration, step(), or range()")
        }
        let expression = try parseDurationExpression(minimumPrecedence: 0, context: context)
        if case .literal(let seconds, _) = expression {
            guard seconds > 0 else { throw error("duration must be greater than 0", at: start.position) }
            return .literal(PromQLDuration(seconds: seconds))
        }
        try requireDurationExpressions(at: start.position)
        return .expression(expression)
    }

    /// Parses what follows `offset`: an optionally signed literal, `step()`,
    /// `range()`, `min_of`/`max_of`, or a parenthesized expression. Only this
    /// atom belongs to the offset, so `x offset 100 + 2` is `(x offset 100) + 2`.
    mutating func parseOffsetDuration() throws(PromQLParseError) -> DurationValue {
        let first = try peek()
        var sign: PromQLUnaryOperator?
        if first.kind == .sub || first.kind == .add {
            try advance()
            sign = first.kind == .sub ? .minus : .plus
        }
        let token = try peek()
        guard token.kind == .number || token.kind == .duration || token.kind == .leftParen
                || ["step", "range", "min_of", "max_of"].contains(token.keyword ?? "") else {
            throw unexpected(token, in: "offset", expected: "number, duration, step(), or range()")
        }
        var atom = try parseDurationAtom(context: "offset")
        if let sign {
            if case .literal(let seconds, let isDuration) = atom {
                atom = .literal(seconds: sign == .minus ? -seconds : seconds, isDuration: isDuration)
            } else {
                atom = .unary(sign, atom)
            }
        }
        if case .literal(let seconds, _) = atom {
            return .literal(PromQLDuration(seconds: seconds))
        }
        try requireDurationExpressions(at: first.position)
        return .expression(atom)
    }

    private func requireDurationExpressions(at position: PromQLSourcePosition) throws(PromQLParseError) {
        if !options.enableDurationExpressions {
            throw error("experimental duration expression is not enabled", at: position)
        }
    }

    /// Precedence climbing over `+ - * / % ^`, like the main expression grammar.
    mutating func parseDurationExpression(minimumPrecedence: Int, context: String) throws(PromQLParseError) -> PromQLDurationExpression {
        var lhs = try parseDurationUnary(context: context)
        while true {
            let token = try peek()
            guard let op = PromQLBinaryOperator(token: token),
                  [.add, .sub, .mul, .div, .mod, .pow].contains(op), op.precedence >= minimumPrecedence else { return lhs }
            try advance()
            let rhs = try parseDurationExpression(minimumPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1, context: context)
            if case .literal(let seconds, _) = rhs, seconds == 0 {
                if op == .div { throw error("division by zero", at: token.position) }
                if op == .mod { throw error("modulo by zero", at: token.position) }
            }
            lhs = .binary(op, lhs, rhs)
        }
    }

    private mutating func parseDurationUnary(context: String) throws(PromQLParseError) -> PromQLDurationExpression {
        let token = try peek()
        guard token.kind == .sub || token.kind == .add else { return try parseDurationAtom(context: context) }
        try advance()
        let operand = try parseDurationExpression(minimumPrecedence: PromQLBinaryOperator.pow.precedence, context: context)
        if case .literal(let seconds, let isDuration) = operand {
            return .literal(seconds: token.kind == .sub ? -seconds : seconds, isDuration: isDuration)
        }
        return .unary(token.kind == .sub ? .minus : .plus, operand)
    }

    private mutating func parseDurationAtom(context: String) throws(PromQLParseError) -> PromQLDurationExpression {
        let token = try peek()
        switch token.kind {
        case .number:
            try advance()
            let value = try parseNumberToken(token)
            // Upstream keeps durations in int64 nanoseconds.
            guard value.magnitude <= 9_223_372_036.854775807 else { throw error("duration out of range", at: token.position) }
            return .literal(seconds: value, isDuration: false)
        case .duration:
            try advance()
            return .literal(seconds: try parseDurationToken(token).seconds, isDuration: true)
        case .leftParen:
            try advance()
            let inner = try parseDurationExpression(minimumPrecedence: 0, context: context)
            try expect(.rightParen, context, expected: "\")\"")
            return .parentheses(inner)
        case .identifier where token.keyword == "step" || token.keyword == "range":
            try advance()
            if try peek().kind != .leftParen {
                throw unexpected(try peek(), in: context, expected: "number, duration, step(), or range()")
            }
            try expect(.leftParen, context, expected: "\"(\"")
            try expect(.rightParen, context, expected: "\")\"")
            return token.keyword == "step" ? .step : .range
        case .identifier where token.keyword == "min_of" || token.keyword == "max_of":
            try advance()
            try expect(.leftParen, context, expected: "\"(\"")
            let a = try parseDurationExpression(minimumPrecedence: 0, context: context)
            try expect(.comma, context, expected: "\",\"")
            let b = try parseDurationExpression(minimumPrecedence: 0, context: context)
            try expect(.rightParen, context, expected: "\")\"")
            return token.keyword == "min_of" ? .minOf(a, b) : .maxOf(a, b)
        default:
            throw unexpected(token, in: context, expected: "number, duration, step(), or range()")
        }
    }
}
