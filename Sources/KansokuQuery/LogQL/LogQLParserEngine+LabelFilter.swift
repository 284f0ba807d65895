/// Label filter expressions: `a="b" and (c > 1 or d < 10ms), e=ip("...")`.
///
/// Precedence: `or` binds loosest; `and`, `,` and plain juxtaposition all
/// mean "and". Loki's yacc grammar leaves `,` without a precedence (so it
/// shifts, i.e. groups to the right); treating it like `and` evaluates the
/// same because conjunction is associative.
extension LogQLParserEngine {
    mutating func parseLabelFilter() throws(LogQLParseError) -> LogQLLabelFilter {
        var lhs = try parseLabelFilterConjunction()
        while current.isIdentifier("or"), startsLabelFilter(at: index + 1) {
            advance()
            lhs = .or(lhs, try parseLabelFilterConjunction())
        }
        return lhs
    }

    private mutating func parseLabelFilterConjunction() throws(LogQLParseError) -> LogQLLabelFilter {
        var lhs = try parseLabelFilterPrimary()
        while true {
            if (current.isIdentifier("and") || current.kind == .comma), startsLabelFilter(at: index + 1) {
                advance()
            } else if current.isIdentifier("or") || !startsLabelFilter(at: index) {
                return lhs
            }
            lhs = .and(lhs, try parseLabelFilterPrimary())
        }
    }

    /// Whether the token at `position` can begin a label filter: `(` or a
    /// label name followed by a comparison.
    private func startsLabelFilter(at position: Int) -> Bool {
        guard position < tokens.count - 1 else { return false }
        let token = tokens[position]
        if token.kind == .openParen { return true }
        return token.kind == .identifier && isComparison(tokens[position + 1].kind)
    }

    private mutating func parseLabelFilterPrimary() throws(LogQLParseError) -> LogQLLabelFilter {
        if accept(.openParen) {
            let inner = try parseLabelFilter()
            try expect(.closeParen, ")")
            return inner
        }
        let name = try expect(.identifier, "IDENTIFIER").text
        let opToken = current
        switch opToken.kind {
        case .eq, .neq:
            advance()
            if current.isIdentifier("ip"), peek().kind == .openParen {
                advance()
                advance()
                let pattern = try expect(.string, "STRING").value
                try expect(.closeParen, ")")
                return .ip(name: name, negated: opToken.kind == .neq, pattern: pattern)
            }
            if current.kind == .string {
                let type: LogQLMatchType = opToken.kind == .eq ? .equal : .notEqual
                return .matcher(LogQLMatcher(name: name, type: type, value: advance().value))
            }
            return try parseTypedFilter(name: name, op: opToken.kind == .eq ? .equal : .notEqual)
        case .re, .nre:
            advance()
            let value = try expect(.string, "STRING").value
            return .matcher(LogQLMatcher(name: name, type: opToken.kind == .re ? .regexMatch : .regexNoMatch,
                                         value: value))
        case .cmpEq, .gt, .gte, .lt, .lte:
            advance()
            let op: LogQLComparisonOperator = switch opToken.kind {
            case .cmpEq: .equal
            case .gt: .greater
            case .gte: .greaterOrEqual
            case .lt: .less
            default: .lessOrEqual
            }
            return try parseTypedFilter(name: name, op: op)
        default:
            throw unexpected(expecting: "=, !=, =~, !~, ==, >, >=, < or <=")
        }
    }

    /// The value of a numeric, duration or bytes comparison.
    private mutating func parseTypedFilter(name: String, op: LogQLComparisonOperator) throws(LogQLParseError)
        -> LogQLLabelFilter {
        switch current.kind {
        case .duration:
            let token = advance()
            guard let duration = LogQLDuration(parsing: token.text) else { throw unexpected(token) }
            return .duration(name: name, op: op, value: duration)
        case .bytes:
            let token = advance()
            guard let size = LogQLByteSize(parsing: token.text) else { throw unexpected(token) }
            return .bytes(name: name, op: op, value: size)
        case .number, .add, .sub:
            return .number(name: name, op: op, value: try parseSignedNumber())
        default:
            throw unexpected(expecting: "NUMBER, DURATION or BYTES")
        }
    }
}
