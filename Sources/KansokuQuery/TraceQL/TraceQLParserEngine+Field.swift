import KansokuRegex

/// Conditions inside `{ }`: `&&`/`||` trees of comparisons, with parse-time
/// type checks like Tempo's (`{ duration > "x" }` is rejected, not silently
/// false).
extension TraceQLParserEngine {
    /// `fieldAnd ('||' fieldAnd)*`
    mutating func parseFieldOr() throws(TraceQLParseError) -> TraceQLFieldExpr {
        var expr = try parseFieldAnd()
        while current.kind == .or {
            advance()
            expr = .or(expr, try parseFieldAnd())
        }
        return expr
    }

    private mutating func parseFieldAnd() throws(TraceQLParseError) -> TraceQLFieldExpr {
        var expr = try parseFieldPrimary()
        while current.kind == .and {
            advance()
            expr = .and(expr, try parseFieldPrimary())
        }
        return expr
    }

    private mutating func parseFieldPrimary() throws(TraceQLParseError) -> TraceQLFieldExpr {
        switch current.kind {
        case .openParen:
            advance()
            let expr = try parseFieldOr()
            try expect(.closeParen, "CLOSE_PARENS")
            return expr
        case .identifier where current.text == "true" || current.text == "false":
            let value = current.text == "true"
            advance()
            return .constant(value)
        default:
            return .comparison(try parseComparison())
        }
    }

    /// `field op static`, type-checked.
    private mutating func parseComparison() throws(TraceQLParseError) -> TraceQLComparison {
        let start = current
        let field = try parseField()
        let opToken = current
        guard let op = comparisonOperator(current.kind) else {
            throw unexpected(expecting: "comparison operator")
        }
        advance()
        let value = try parseStatic()
        let comparison = TraceQLComparison(field: field, op: op, value: value)
        try validate(comparison, at: start.position, operatorPosition: opToken.position)
        return comparison
    }

    /// An attribute reference or an intrinsic keyword.
    mutating func parseField() throws(TraceQLParseError) -> TraceQLField {
        let token = current
        switch token.kind {
        case .attribute(let scope):
            advance()
            return .attribute(scope: scope, name: token.value)
        case .identifier:
            if let intrinsic = TraceQLIntrinsic(keyword: token.text) {
                advance()
                return .intrinsic(intrinsic)
            }
            if ["parent", "event", "link", "instrumentation"].contains(token.text),
               case .attribute(.unscoped) = peek(1).kind {
                throw TraceQLParseError(message: "attribute scope \(token.text) is not supported", position: token.position)
            }
            if ["childCount", "nestedSetLeft", "nestedSetRight", "nestedSetParent", "rootService", "traceDuration"]
                .contains(token.text) || token.text.contains(":") {
                throw TraceQLParseError(message: "intrinsic \(token.text) is not supported", position: token.position)
            }
            throw unexpected()
        default:
            throw unexpected()
        }
    }

    func comparisonOperator(_ kind: TraceQLTokenKind) -> TraceQLComparisonOperator? {
        switch kind {
        case .eq: .equal
        case .neq: .notEqual
        case .gt: .greater
        case .gte: .greaterOrEqual
        case .lt: .less
        case .lte: .lessOrEqual
        case .re: .regexMatch
        case .nre: .regexNoMatch
        default: nil
        }
    }

    /// A literal: string, number, duration (optionally negated) or keyword.
    mutating func parseStatic() throws(TraceQLParseError) -> TraceQLStatic {
        let token = current
        var negative = false
        if token.kind == .sub {
            negative = true
            advance()
        }
        let literal = current
        switch literal.kind {
        case .string where !negative:
            advance()
            return .string(literal.value)
        case .integer:
            guard let value = Int64(literal.text) else {
                throw TraceQLParseError(message: "syntax error: integer \(literal.text) out of range", position: literal.position)
            }
            advance()
            return .int(negative ? -value : value)
        case .float:
            guard let value = Double(literal.text) else { throw unexpected(literal) }
            advance()
            return .float(negative ? -value : value)
        case .duration:
            guard let value = Int64(literal.value) else { throw unexpected(literal) }
            advance()
            return .duration(negative ? -value : value)
        case .identifier where !negative:
            guard let value = TraceQLStatic.keyword(literal.text) else { throw unexpected(literal) }
            advance()
            return value
        default:
            throw unexpected(literal)
        }
    }

    /// Tempo-style type checks made once the comparison has been read.
    private func validate(_ comparison: TraceQLComparison, at position: TraceQLSourcePosition,
                          operatorPosition: TraceQLSourcePosition) throws(TraceQLParseError) {
        let op = comparison.op
        let type = comparison.value.type
        func sameTypeError() -> TraceQLParseError {
            TraceQLParseError(message: "binary operations must operate on the same type: \(comparison)", position: position)
        }
        func illegalOperation() -> TraceQLParseError {
            TraceQLParseError(message: "illegal operation for the given type: \(comparison)", position: operatorPosition)
        }
        if case .intrinsic(let intrinsic) = comparison.field {
            guard type == intrinsic.valueType else { throw sameTypeError() }
        } else if type == .status || type == .kind {
            throw sameTypeError()
        }
        if op.isRegex {
            guard case .string(let pattern) = comparison.value else { throw illegalOperation() }
            do {
                _ = try AnchoredRegex(pattern, dotMatchesNewline: false)
            } catch {
                throw TraceQLParseError(message: "error parsing regexp: \(pattern.debugDescription)", position: operatorPosition)
            }
        }
        if op.isOrdering && [.bool, .status, .kind, .nil].contains(type) { throw illegalOperation() }
        if type == .nil && op != .equal && op != .notEqual { throw illegalOperation() }
    }
}
