/// Stream selectors and log pipelines.
extension LogQLParserEngine {
    /// `selector pipeline?` at the top level, where `| unwrap` is not allowed.
    mutating func parseLogQuery() throws(LogQLParseError) -> LogQLLogQuery {
        let selector = try parseSelector()
        return LogQLLogQuery(selector: selector, pipeline: try parsePipeline(allowUnwrap: false))
    }

    mutating func parseSelector() throws(LogQLParseError) -> LogQLStreamSelector {
        try expect(.openBrace, "{")
        var matchers: [LogQLMatcher] = []
        // `{}` is grammatical; the empty-matcher validation rejects it later.
        if accept(.closeBrace) { return LogQLStreamSelector(matchers: matchers) }
        while true {
            matchers.append(try parseMatcher())
            if accept(.closeBrace) { return LogQLStreamSelector(matchers: matchers) }
            try expect(.comma, ", or }")
        }
    }

    /// `name op "value"` with one of `= != =~ !~`.
    mutating func parseMatcher() throws(LogQLParseError) -> LogQLMatcher {
        let name = try expect(.identifier, "IDENTIFIER").text
        guard let type = matchType(current.kind) else { throw unexpected(expecting: "=, !=, =~ or !~") }
        advance()
        let value = try expect(.string, "STRING").value
        return LogQLMatcher(name: name, type: type, value: value)
    }

    func matchType(_ kind: LogQLTokenKind) -> LogQLMatchType? {
        switch kind {
        case .eq: return .equal
        case .neq: return .notEqual
        case .re: return .regexMatch
        case .nre: return .regexNoMatch
        default: return nil
        }
    }

    /// Parses stages until something that cannot continue a pipeline. With
    /// `allowUnwrap`, stops in front of `| unwrap` for the caller.
    mutating func parsePipeline(allowUnwrap: Bool) throws(LogQLParseError) -> [LogQLPipelineStage] {
        var stages: [LogQLPipelineStage] = []
        while true {
            if let op = lineFilterOperator(current.kind) {
                advance()
                stages.append(.lineFilter(try parseLineFilter(op)))
            } else if current.kind == .pipe {
                if peek().isIdentifier("unwrap") {
                    if allowUnwrap { return stages }
                    throw unexpected(peek())
                }
                advance()
                stages.append(try parseStage())
            } else {
                return stages
            }
        }
    }

    private func lineFilterOperator(_ kind: LogQLTokenKind) -> LogQLLineFilterOperator? {
        switch kind {
        case .pipeExact: return .contains
        case .neq: return .notContains
        case .pipeMatch: return .regexMatch
        case .nre: return .regexNoMatch
        case .pipePattern: return .patternMatch
        case .npa: return .patternNoMatch
        default: return nil
        }
    }

    private mutating func parseLineFilter(_ op: LogQLLineFilterOperator) throws(LogQLParseError) -> LogQLLineFilter {
        var values = [try parseLineFilterValue()]
        // `|= "a" or "b"`: alternatives share the operator.
        while current.isIdentifier("or"), peek().kind == .string || peek().isIdentifier("ip") {
            advance()
            values.append(try parseLineFilterValue())
        }
        return LogQLLineFilter(op: op, values: values)
    }

    private mutating func parseLineFilterValue() throws(LogQLParseError) -> LogQLLineFilterValue {
        if current.kind == .string { return .string(advance().value) }
        guard current.isIdentifier("ip"), peek().kind == .openParen else { throw unexpected(expecting: "STRING") }
        advance()
        advance()
        let value = try expect(.string, "STRING").value
        try expect(.closeParen, ")")
        return .ip(value)
    }

    /// One stage after `|`. Stage keywords win unless followed by a
    /// comparison operator, in which case they are label names (`| json="x"`).
    private mutating func parseStage() throws(LogQLParseError) -> LogQLPipelineStage {
        guard current.kind == .identifier, !isComparison(peek().kind) else {
            return .labelFilter(try parseLabelFilter())
        }
        let keyword = current
        switch keyword.text {
        case "json":
            advance()
            return .parser(.json(try parseExtractionsIfPresent()))
        case "logfmt":
            advance()
            var flags = LogQLLogfmtFlags()
            while current.kind == .flag {
                switch current.text {
                case "--strict": flags.strict = true
                case "--keep-empty": flags.keepEmpty = true
                default: throw LogQLParseError(message: "invalid logfmt flag \(current.text)", position: current.position)
                }
                advance()
            }
            return .parser(.logfmt(flags: flags, extractions: try parseExtractionsIfPresent()))
        case "regexp":
            advance()
            let expression = try expect(.string, "STRING").value
            // Loki's regexp parser only produces labels from named groups.
            guard expression.contains("(?P<") || expression.contains("(?<") else {
                throw semantic("at least one named capture must be supplied")
            }
            return .parser(.regexp(expression))
        case "pattern":
            advance()
            return .parser(.pattern(try expect(.string, "STRING").value))
        case "unpack":
            advance()
            return .parser(.unpack)
        case "decolorize":
            advance()
            return .decolorize
        case "line_format":
            advance()
            return .lineFormat(try expect(.string, "STRING").value)
        case "label_format":
            advance()
            return .labelFormat(try parseLabelFormats())
        case "drop", "keep":
            advance()
            let labels = try parseNamedMatchers()
            return keyword.text == "drop" ? .drop(labels) : .keep(labels)
        default:
            return .labelFilter(try parseLabelFilter())
        }
    }

    func isComparison(_ kind: LogQLTokenKind) -> Bool {
        switch kind {
        case .eq, .neq, .re, .nre, .cmpEq, .gt, .gte, .lt, .lte: return true
        default: return false
        }
    }

    /// `a="x.y", b` after `json`/`logfmt`; empty when the stage ends here.
    private mutating func parseExtractionsIfPresent() throws(LogQLParseError) -> [LogQLLabelExtraction] {
        var extractions: [LogQLLabelExtraction] = []
        guard current.kind == .identifier else { return extractions }
        while true {
            let label = try expect(.identifier, "IDENTIFIER").text
            var expression = label
            if accept(.eq) { expression = try expect(.string, "STRING").value }
            extractions.append(LogQLLabelExtraction(label: label, expression: expression))
            guard accept(.comma) else { return extractions }
        }
    }

    private mutating func parseLabelFormats() throws(LogQLParseError) -> [LogQLLabelFormat] {
        var entries: [LogQLLabelFormat] = []
        var seen: Set<String> = []
        while true {
            let target = try expect(.identifier, "IDENTIFIER").text
            try expect(.eq, "=")
            let value: LogQLLabelFormat.Value
            switch current.kind {
            case .string: value = .template(advance().value)
            case .identifier: value = .rename(advance().text)
            default: throw unexpected(expecting: "IDENTIFIER or STRING")
            }
            // Loki rejects writing the same label twice in one stage.
            guard seen.insert(target).inserted else {
                throw semantic("multiple label name '\(target)' not allowed in a single format operation")
            }
            entries.append(LogQLLabelFormat(target: target, value: value))
            guard accept(.comma) else { return entries }
        }
    }

    private mutating func parseNamedMatchers() throws(LogQLParseError) -> [LogQLNamedMatcher] {
        var labels: [LogQLNamedMatcher] = []
        while true {
            if current.kind == .identifier, matchType(peek().kind) != nil {
                labels.append(.matcher(try parseMatcher()))
            } else {
                labels.append(.name(try expect(.identifier, "IDENTIFIER").text))
            }
            guard accept(.comma) else { return labels }
        }
    }
}
