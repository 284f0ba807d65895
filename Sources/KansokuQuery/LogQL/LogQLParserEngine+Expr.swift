/// Metric expressions: binary operators (precedence climbing) and operands.
extension LogQLParserEngine {
    /// Parses an expression whose operators all bind at least `minPrecedence`.
    mutating func parseExpr(minPrecedence: Int = 1) throws(LogQLParseError) -> LogQLExpr {
        var lhs = try parseOperand()
        while let op = LogQLBinaryOperator(token: current), op.precedence >= minPrecedence {
            advance()
            let returnBool = current.isIdentifier("bool")
            if returnBool { advance() }
            let matching = try parseVectorMatching()
            // Right-associative `^` lets the right side contain another `^`.
            let rhs = try parseExpr(minPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            lhs = .metric(.binary(try makeBinary(op, lhs, rhs, returnBool: returnBool, matching: matching)))
        }
        return lhs
    }

    private mutating func parseVectorMatching() throws(LogQLParseError) -> LogQLVectorMatching? {
        let labels: LogQLVectorMatching.Labels
        if current.isIdentifier("on") {
            advance()
            labels = .on(try parseLabelList())
        } else if current.isIdentifier("ignoring") {
            advance()
            labels = .ignoring(try parseLabelList())
        } else {
            return nil
        }
        var group: LogQLVectorMatching.Group?
        if current.isIdentifier("group_left") || current.isIdentifier("group_right") {
            let isLeft = advance().text == "group_left"
            // Like yacc, a `(` right after group_x always starts its label list.
            var include: [String] = []
            if current.kind == .openParen { include = try parseLabelList() }
            group = isLeft ? .left(include) : .right(include)
        }
        return LogQLVectorMatching(labels: labels, group: group)
    }

    /// Applies the checks Loki's `mustNewBinOpExpr` makes.
    private func makeBinary(_ op: LogQLBinaryOperator, _ lhs: LogQLExpr, _ rhs: LogQLExpr, returnBool: Bool,
                            matching: LogQLVectorMatching?) throws(LogQLParseError) -> LogQLBinaryExpr {
        guard case .metric(let left) = lhs else {
            throw semantic("unexpected type for left leg of binary operation (\(op.rawValue)): \(Self.goTypeName(lhs))")
        }
        guard case .metric(let right) = rhs else {
            throw semantic("unexpected type for right leg of binary operation (\(op.rawValue)): \(Self.goTypeName(rhs))")
        }
        if returnBool && !op.isComparison {
            throw semantic("bool modifier can only be used on comparison operators")
        }
        if op.isSetOperator {
            for (side, expr) in [("left", left), ("right", right)] {
                if case .literal(let value) = expr {
                    throw semantic("unexpected literal for \(side) leg of logical/set binary operation (\(op.rawValue)): "
                        + LogQLNumberFormat.format(value))
                }
            }
        }
        return LogQLBinaryExpr(op: op, lhs: left, rhs: right, returnBool: returnBool, matching: matching)
    }

    /// The Go type Loki names in its binary-operation errors.
    private static func goTypeName(_ expr: LogQLExpr) -> String {
        guard case .log(let query) = expr else { return "SampleExpr" }
        return query.pipeline.isEmpty ? "*syntax.MatchersExpr" : "*syntax.PipelineExpr"
    }

    private mutating func parseOperand() throws(LogQLParseError) -> LogQLExpr {
        switch current.kind {
        case .openParen:
            advance()
            let inner = try parseExpr()
            try expect(.closeParen, ")")
            return inner
        case .openBrace:
            return .log(try parseLogQuery())
        case .number, .add, .sub:
            return .metric(.literal(try parseSignedNumber()))
        case .identifier:
            return .metric(try parseFunction())
        default:
            throw unexpected()
        }
    }

    private mutating func parseFunction() throws(LogQLParseError) -> LogQLMetricExpr {
        let name = current.text
        let next = peek().kind
        if let op = LogQLRangeOperation(rawValue: name), next == .openParen {
            return .rangeAggregation(try parseRangeAggregation(op))
        }
        if let op = LogQLVectorOperation(rawValue: name),
           next == .openParen || peek().isIdentifier("by") || peek().isIdentifier("without") {
            return .vectorAggregation(try parseVectorAggregation(op))
        }
        if name == "vector", next == .openParen {
            advance()
            advance()
            let value = try parseSignedNumber()
            try expect(.closeParen, ")")
            return .vector(value)
        }
        if name == "label_replace", next == .openParen {
            return .labelReplace(try parseLabelReplace())
        }
        throw unexpected()
    }

    /// A sub-expression that must produce samples; a log query here is a
    /// syntax error at the token after it, as in Loki's grammar.
    mutating func parseMetricArgument() throws(LogQLParseError) -> LogQLMetricExpr {
        guard case .metric(let expr) = try parseExpr() else { throw unexpected(expecting: "[") }
        return expr
    }

    private mutating func parseLabelReplace() throws(LogQLParseError) -> LogQLLabelReplace {
        advance()
        try expect(.openParen, "(")
        let expr = try parseMetricArgument()
        var strings: [String] = []
        for _ in 0..<4 {
            try expect(.comma, ",")
            strings.append(try expect(.string, "STRING").value)
        }
        try expect(.closeParen, ")")
        return LogQLLabelReplace(expr: expr, destination: strings[0], replacement: strings[1],
                                 source: strings[2], regex: strings[3])
    }

    mutating func parseGroupingIfPresent() throws(LogQLParseError) -> LogQLGrouping? {
        guard current.isIdentifier("by") || current.isIdentifier("without") else { return nil }
        let without = advance().text == "without"
        return LogQLGrouping(without: without, labels: try parseLabelList())
    }
}
