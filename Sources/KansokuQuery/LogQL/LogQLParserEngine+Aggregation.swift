/// Range and vector aggregations, with Loki's parse-time checks.
extension LogQLParserEngine {
    mutating func parseRangeAggregation(_ op: LogQLRangeOperation) throws(LogQLParseError) -> LogQLRangeAggregation {
        advance()
        try expect(.openParen, "(")
        var parameter: Double?
        var parameterText = ""
        if current.kind == .number, peek().kind == .comma {
            parameterText = advance().text
            parameter = Double(parameterText)
            advance()
        }
        let range = try parseLogRange()
        try expect(.closeParen, ")")
        let grouping = try parseGroupingIfPresent()

        // Same order of checks as Loki's newRangeAggregationExpr/validate.
        if parameter != nil, op != .quantileOverTime {
            throw semantic("parameter \(parameterText) not supported for operation \(op.rawValue)")
        }
        if parameter == nil, op == .quantileOverTime {
            throw semantic("parameter required for operation \(op.rawValue)")
        }
        if grouping != nil, !op.acceptsGrouping {
            throw semantic("grouping not allowed for \(op.rawValue) aggregation")
        }
        if range.unwrap != nil, !op.acceptsUnwrap {
            throw semantic("invalid aggregation \(op.rawValue) with unwrap")
        }
        if range.unwrap == nil, !op.worksWithoutUnwrap {
            throw semantic("invalid aggregation \(op.rawValue) without unwrap")
        }
        return LogQLRangeAggregation(operation: op, parameter: parameter, range: range, grouping: grouping)
    }

    mutating func parseVectorAggregation(_ op: LogQLVectorOperation) throws(LogQLParseError) -> LogQLVectorAggregation {
        advance()
        var grouping = try parseGroupingIfPresent()
        try expect(.openParen, "(")
        var parameter: Int?
        if current.kind == .number, peek().kind == .comma {
            let text = advance().text
            advance()
            guard op.requiresParameter else {
                throw semantic("unsupported parameter for operation \(op.rawValue)(\(text),")
            }
            guard let k = Int(text) else { throw semantic("invalid parameter \(op.rawValue)(\(text),") }
            guard k > 0 else { throw semantic("invalid parameter (must be greater than 0) \(op.rawValue)(\(text),") }
            parameter = k
        }
        let expr = try parseMetricArgument()
        try expect(.closeParen, ")")
        if grouping == nil { grouping = try parseGroupingIfPresent() }
        if op.requiresParameter, parameter == nil {
            throw semantic("parameter required for operation \(op.rawValue)")
        }
        return LogQLVectorAggregation(operation: op, parameter: parameter, grouping: grouping, expr: expr)
    }

    /// The argument of a range aggregation in any of the shapes Loki accepts:
    /// range after the selector or after the pipeline/unwrap, optionally
    /// with the log part (or the whole range) in parentheses.
    mutating func parseLogRange() throws(LogQLParseError) -> LogQLLogRange {
        guard current.kind == .openParen else {
            let selector = try parseSelector()
            let parts = try parseLogRangeParts()
            guard let range = parts.range else { throw unexpected(expecting: "[") }
            return LogQLLogRange(query: LogQLLogQuery(selector: selector, pipeline: parts.pipeline), range: range,
                                 offset: parts.offset, unwrap: parts.unwrap)
        }
        advance()
        if current.kind == .openParen {
            let inner = try parseLogRange()
            try expect(.closeParen, ")")
            return inner
        }
        let selector = try parseSelector()
        let parts = try parseLogRangeParts()
        try expect(.closeParen, parts.range == nil ? "[ or )" : ")")
        let query = LogQLLogQuery(selector: selector, pipeline: parts.pipeline)
        if let range = parts.range {
            return LogQLLogRange(query: query, range: range, offset: parts.offset, unwrap: parts.unwrap)
        }
        let range = try parseRangeBrackets()
        return LogQLLogRange(query: query, range: range, offset: try parseOffsetIfPresent(), unwrap: parts.unwrap)
    }

    private mutating func parseLogRangeParts() throws(LogQLParseError)
        -> (pipeline: [LogQLPipelineStage], unwrap: LogQLUnwrap?, range: LogQLDuration?, offset: LogQLDuration?) {
        if current.kind == .openBracket {
            let range = try parseRangeBrackets()
            let offset = try parseOffsetIfPresent()
            let pipeline = try parsePipeline(allowUnwrap: true)
            return (pipeline, try parseUnwrapIfPresent(), range, offset)
        }
        let pipeline = try parsePipeline(allowUnwrap: true)
        let unwrap = try parseUnwrapIfPresent()
        guard current.kind == .openBracket else { return (pipeline, unwrap, nil, nil) }
        let range = try parseRangeBrackets()
        return (pipeline, unwrap, range, try parseOffsetIfPresent())
    }

    private mutating func parseRangeBrackets() throws(LogQLParseError) -> LogQLDuration {
        try expect(.openBracket, "[")
        let duration = try parseDuration()
        try expect(.closeBracket, "]")
        return duration
    }

    private mutating func parseOffsetIfPresent() throws(LogQLParseError) -> LogQLDuration? {
        guard current.isIdentifier("offset") else { return nil }
        advance()
        return try parseDuration()
    }

    private mutating func parseUnwrapIfPresent() throws(LogQLParseError) -> LogQLUnwrap? {
        guard current.kind == .pipe, peek().isIdentifier("unwrap") else { return nil }
        advance()
        advance()
        var unwrap: LogQLUnwrap
        if let conversion = LogQLUnwrapConversion(rawValue: current.text), current.kind == .identifier,
           peek().kind == .openParen {
            advance()
            advance()
            let label = try expect(.identifier, "IDENTIFIER").text
            try expect(.closeParen, ")")
            unwrap = LogQLUnwrap(label: label, conversion: conversion)
        } else {
            unwrap = LogQLUnwrap(label: try expect(.identifier, "IDENTIFIER").text)
        }
        // Only label filters may follow an unwrap (`| __error__=""`).
        while current.kind == .pipe {
            advance()
            unwrap.postFilters.append(try parseLabelFilter())
        }
        return unwrap
    }
}
