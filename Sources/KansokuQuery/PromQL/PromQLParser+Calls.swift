extension PromQLParser {
    /// Parses `name(args...)` and checks it against ``PromQLFunction/table``.
    mutating func parseCall() throws(PromQLParseError) -> Node {
        let nameToken = try advance()
        let name = String(nameToken.text)
        // Keywords such as `start`/`end`/`step` are matched case-insensitively
        // by the upstream lexer, every other function name is case-sensitive.
        let lookup = ["start", "end", "step", "range"].contains(name.lowercased()) ? name.lowercased() : name
        guard let function = PromQLFunction.named(lookup) else {
            throw error("unknown function with name \(PromQLStringLiteral.quote(name))", at: nameToken.position)
        }
        if function.isExperimental && !options.enableExperimentalFunctions {
            throw error("function \(PromQLStringLiteral.quote(name)) is not enabled", at: nameToken.position)
        }
        let arguments = try parseArguments(context: "function call", bypassEmptyMatcherCheckAt: function.name == "info" ? 1 : nil)
        let call = PromQLCall(function: function, arguments: arguments.map(\.expression))
        try PromQLTypeChecker.checkCall(call, arguments: arguments, at: nameToken.position)
        return Node(expression: .call(call), position: nameToken.position)
    }

    /// Parses `(expr, expr, ...)`; trailing commas are rejected as upstream does.
    mutating func parseArguments(context: String, bypassEmptyMatcherCheckAt bypassIndex: Int? = nil) throws(PromQLParseError) -> [Node] {
        try expect(.leftParen, context, expected: "\"(\"")
        var arguments: [Node] = []
        if try peek().kind == .rightParen {
            try advance()
            return arguments
        }
        while true {
            if arguments.count == bypassIndex, try peek().kind == .leftBrace {
                bypassEmptyMatcherCheck = true
            }
            arguments.append(try parseExpression(minimumPrecedence: 0))
            bypassEmptyMatcherCheck = false
            let token = try peek()
            switch token.kind {
            case .rightParen:
                try advance()
                return arguments
            case .comma:
                try advance()
                if try peek().kind == .rightParen {
                    throw error("trailing commas not allowed in function call args", at: token.position)
                }
            default:
                throw unexpected(token, in: context, expected: "\",\" or \")\"")
            }
        }
    }

    /// Parses an aggregation; the `by`/`without` clause may come before or
    /// after the argument list, but only once.
    mutating func parseAggregation(_ op: PromQLAggregationOperator) throws(PromQLParseError) -> Node {
        let opToken = try advance()
        if op.isExperimental && !options.enableExperimentalFunctions {
            throw error("limitk() and limit_ratio() are experimental and must be enabled with --enable-feature=promql-experimental-functions", at: opToken.position)
        }
        var grouping: [String] = []
        var without = false
        var hasGrouping = false
        if let keyword = try peek().keyword, keyword == "by" || keyword == "without" {
            try advance()
            without = keyword == "without"
            grouping = try parseGroupingLabels()
            hasGrouping = true
        }
        let arguments = try parseArguments(context: "aggregation")
        if let keyword = try peek().keyword, keyword == "by" || keyword == "without" {
            let clause = try advance()
            if hasGrouping { throw unexpected(clause) }
            without = keyword == "without"
            grouping = try parseGroupingLabels()
        }
        guard !arguments.isEmpty else {
            throw error("no arguments for aggregate expression provided", at: opToken.position)
        }
        let expected = op.parameterType == nil ? 1 : 2
        guard arguments.count == expected else {
            throw error("wrong number of arguments for aggregate expression provided, expected \(expected), got \(arguments.count)", at: opToken.position)
        }
        let expression = arguments[arguments.count - 1]
        try PromQLTypeChecker.expect(expression, .instantVector, in: "aggregation expression")
        var parameter: PromQLExpression?
        if let parameterType = op.parameterType {
            try PromQLTypeChecker.expect(arguments[0], parameterType, in: "aggregation parameter")
            parameter = arguments[0].expression
        }
        let aggregation = PromQLAggregation(op: op, expression: expression.expression, parameter: parameter, grouping: grouping, without: without)
        return Node(expression: .aggregation(aggregation), position: opToken.position)
    }
}
