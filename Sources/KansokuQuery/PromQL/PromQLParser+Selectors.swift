extension PromQLParser {
    /// Parses the optional `{...}` after a metric name (or the braces alone)
    /// and validates the result like Prometheus does.
    mutating func parseVectorSelector(name: String?, at position: PromQLSourcePosition) throws(PromQLParseError) -> Node {
        let bypassEmptyCheck = bypassEmptyMatcherCheck
        bypassEmptyMatcherCheck = false
        var matchers: [PromQLLabelMatcher] = []
        if try peek().kind == .leftBrace {
            try advance()
            matchers = try parseLabelMatchers()
        }
        if let name {
            // The name written outside the braces goes last, as upstream;
            // naming the metric twice is an error.
            if let duplicate = matchers.first(where: { $0.name == PromQLLabelMatcher.metricNameLabel }) {
                throw error("metric name must not be set twice: \(PromQLStringLiteral.quote(name)) or \(PromQLStringLiteral.quote(duplicate.value))", at: position)
            }
            matchers.append(PromQLLabelMatcher(name: PromQLLabelMatcher.metricNameLabel, op: .equal, value: name))
        }
        // A selector that would match every series is refused.
        if name == nil && !bypassEmptyCheck && !matchers.contains(where: { !$0.matchesEmpty }) {
            throw error("vector selector must contain at least one non-empty matcher", at: position)
        }
        return Node(expression: .vectorSelector(PromQLVectorSelector(name: name, matchers: matchers)), position: position)
    }

    /// Parses matchers up to and including `}`. A lone string is a metric
    /// name (`{"my.metric"}`), and label names may be quoted (PromQL 3).
    mutating func parseLabelMatchers() throws(PromQLParseError) -> [PromQLLabelMatcher] {
        var matchers: [PromQLLabelMatcher] = []
        while true {
            let token = try peek()
            if token.kind == .rightBrace {
                try advance()
                return matchers
            }
            guard token.kind == .identifier || token.kind == .string else {
                throw unexpected(token, in: "label matching", expected: "identifier or \"}\"")
            }
            try advance()
            let name = token.kind == .string ? (token.stringValue ?? "") : String(token.text)
            let opToken = try peek()
            if token.kind == .string && (opToken.kind == .comma || opToken.kind == .rightBrace) {
                matchers.append(PromQLLabelMatcher(name: PromQLLabelMatcher.metricNameLabel, op: .equal, value: name))
            } else {
                let op: PromQLMatchOperator
                switch opToken.kind {
                case .assign: op = .equal
                case .notEqual: op = .notEqual
                case .regexMatch: op = .regexMatch
                case .regexNoMatch: op = .regexNoMatch
                default: throw unexpected(opToken, in: "label matching", expected: "label matching operator")
                }
                try advance()
                let value = try expect(.string, "label matching", expected: "string")
                matchers.append(PromQLLabelMatcher(name: name, op: op, value: value.stringValue ?? ""))
            }
            let separator = try peek()
            if separator.kind == .comma {
                try advance()
            } else if separator.kind != .rightBrace {
                throw unexpected(separator, in: "label matching", expected: "\",\" or \"}\"")
            }
        }
    }

    /// Applies `[range]`, `[range:step]`, `offset` and `@` suffixes, which
    /// bind tighter than any operator.
    mutating func parsePostfix(_ start: Node) throws(PromQLParseError) -> Node {
        var node = start
        while true {
            let token = try peek()
            if token.kind == .leftBracket {
                node = try parseRangeSuffix(node, bracket: token)
            } else if token.keyword == "offset" {
                try advance()
                let offset = try parseOffsetDuration()
                node.expression = try applyOffset(offset, to: node.expression, at: node.position)
            } else if token.keyword == "anchored" || token.keyword == "smoothed" {
                try advance()
                let modifier: PromQLRangeModifier = token.keyword == "anchored" ? .anchored : .smoothed
                node.expression = try applyRangeModifier(modifier, to: node.expression, at: node.position)
            } else if token.kind == .at {
                try advance()
                let at = try parseAtModifier(expressionPosition: node.position)
                node.expression = try applyAt(at, to: node.expression, at: node.position)
            } else {
                return node
            }
        }
    }

    private mutating func parseRangeSuffix(_ node: Node, bracket: PromQLToken) throws(PromQLParseError) -> Node {
        try advance()
        let range = try parsePositiveDuration(context: "subquery or range selector")
        var rangeLiteral = PromQLDuration(milliseconds: 0)
        var rangeExpression: PromQLDurationExpression?
        switch range {
        case .literal(let duration): rangeLiteral = duration
        case .expression(let expression): rangeExpression = expression
        }
        if try peek().kind == .colon {
            try advance()
            var subquery = PromQLSubquery(expression: node.expression, range: rangeLiteral, rangeExpression: rangeExpression, step: nil)
            if try peek().kind != .rightBracket {
                switch try parsePositiveDuration(context: "subquery selector") {
                case .literal(let duration): subquery.step = duration
                case .expression(let expression): subquery.stepExpression = expression
                }
            }
            try expect(.rightBracket, "subquery selector", expected: "\"]\"")
            let type = node.expression.type
            guard type == .instantVector else {
                // Upstream prints the internal type name here ("matrix", "scalar").
                throw error("subquery is only allowed on instant vector, got \(type.rawValue) instead", at: node.position)
            }
            return Node(expression: .subquery(subquery), position: node.position)
        }
        try expect(.rightBracket, "subquery or range", expected: "\":\" or \"]\"")
        guard case .vectorSelector(let selector) = node.expression else {
            throw error("ranges only allowed for vector selectors", at: bracket.position)
        }
        if selector.offset != nil || selector.offsetExpression != nil {
            throw error("no offset modifiers allowed before range", at: bracket.position)
        }
        if selector.at != nil { throw error("no @ modifiers allowed before range", at: bracket.position) }
        let matrix = PromQLMatrixSelector(selector: selector, range: rangeLiteral, rangeExpression: rangeExpression)
        return Node(expression: .matrixSelector(matrix), position: node.position)
    }

    /// `@ <float seconds>`, `@ start()` or `@ end()`.
    private mutating func parseAtModifier(expressionPosition: PromQLSourcePosition) throws(PromQLParseError) -> PromQLAtModifier {
        let token = try peek()
        if token.keyword == "start" || token.keyword == "end" {
            try advance()
            try expect(.leftParen, "@", expected: "\"(\"")
            try expect(.rightParen, "@", expected: "\")\"")
            return token.keyword == "start" ? .start : .end
        }
        var sign = 1.0
        if token.kind == .sub || token.kind == .add {
            try advance()
            if token.kind == .sub { sign = -1 }
        }
        let number = try peek()
        guard number.kind == .number || number.kind == .duration else {
            throw unexpected(number, in: "@", expected: "timestamp")
        }
        try advance()
        let seconds: Double
        if number.kind == .duration {
            seconds = try parseDurationToken(number).seconds
        } else if let value = PromQLNumber.parse(number.text) {
            seconds = value
        } else {
            throw error("bad number or duration syntax: \"\(number.text)\"", at: number.position)
        }
        let milliseconds = (sign * seconds * 1000).rounded()
        // Same bounds as Prometheus: the value must fit an int64 of milliseconds.
        guard milliseconds.isFinite, milliseconds >= -9.223372036854775e18, milliseconds <= 9.223372036854775e18 else {
            throw error("timestamp out of bounds for @ modifier: \(PromQLNumber.format(sign * seconds))", at: expressionPosition)
        }
        return .timestamp(milliseconds: Int64(milliseconds))
    }

    private func applyOffset(_ value: DurationValue, to expression: PromQLExpression, at position: PromQLSourcePosition) throws(PromQLParseError) -> PromQLExpression {
        let twice = "offset may not be set multiple times"
        var literal: PromQLDuration?
        var symbolic: PromQLDurationExpression?
        switch value {
        case .literal(let duration): literal = duration
        case .expression(let expression): symbolic = expression
        }
        switch expression {
        case .vectorSelector(var selector):
            if selector.offset != nil || selector.offsetExpression != nil { throw error(twice, at: position) }
            (selector.offset, selector.offsetExpression) = (literal, symbolic)
            return .vectorSelector(selector)
        case .matrixSelector(var matrix):
            if matrix.selector.offset != nil || matrix.selector.offsetExpression != nil { throw error(twice, at: position) }
            (matrix.selector.offset, matrix.selector.offsetExpression) = (literal, symbolic)
            return .matrixSelector(matrix)
        case .subquery(var subquery):
            if subquery.offset != nil || subquery.offsetExpression != nil { throw error(twice, at: position) }
            (subquery.offset, subquery.offsetExpression) = (literal, symbolic)
            return .subquery(subquery)
        default:
            throw error("offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: position)
        }
    }

    /// `anchored` / `smoothed` after a selector (experimental).
    private func applyRangeModifier(_ modifier: PromQLRangeModifier, to expression: PromQLExpression, at position: PromQLSourcePosition) throws(PromQLParseError) -> PromQLExpression {
        guard options.enableExtendedRangeSelectors else {
            throw error("\(modifier.rawValue) modifier is experimental and not enabled", at: position)
        }
        let conflict = "anchored and smoothed modifiers cannot be used together"
        switch expression {
        case .vectorSelector(var selector):
            if let existing = selector.rangeModifier, existing != modifier { throw error(conflict, at: position) }
            selector.rangeModifier = modifier
            return .vectorSelector(selector)
        case .matrixSelector(var matrix):
            if let existing = matrix.selector.rangeModifier, existing != modifier { throw error(conflict, at: position) }
            matrix.selector.rangeModifier = modifier
            return .matrixSelector(matrix)
        case .subquery:
            throw error("\(modifier.rawValue) modifier is not supported for subqueries", at: position)
        default:
            throw error("\(modifier.rawValue) modifier not implemented", at: position)
        }
    }

    private func applyAt(_ at: PromQLAtModifier, to expression: PromQLExpression, at position: PromQLSourcePosition) throws(PromQLParseError) -> PromQLExpression {
        let twice = "@ <timestamp> may not be set multiple times"
        switch expression {
        case .vectorSelector(var selector):
            if selector.at != nil { throw error(twice, at: position) }
            selector.at = at
            return .vectorSelector(selector)
        case .matrixSelector(var matrix):
            if matrix.selector.at != nil { throw error(twice, at: position) }
            matrix.selector.at = at
            return .matrixSelector(matrix)
        case .subquery(var subquery):
            if subquery.at != nil { throw error(twice, at: position) }
            subquery.at = at
            return .subquery(subquery)
        default:
            throw error("@ modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: position)
        }
    }
}
