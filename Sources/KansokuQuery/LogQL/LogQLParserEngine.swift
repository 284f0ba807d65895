/// The recursive-descent parser behind `LogQLParser`.
///
/// The grammar follows Loki's `syntax.y`; where yacc relies on lookahead
/// (e.g. a range written before or after the pipeline) this parser peeks at
/// tokens instead. Extensions in `LogQLParserEngine+*.swift` hold each part
/// of the grammar.
struct LogQLParserEngine {
    var tokens: [LogQLToken]
    var index = 0

    init(tokens: [LogQLToken]) {
        self.tokens = tokens
    }

    var current: LogQLToken { tokens[index] }

    func peek(_ ahead: Int = 1) -> LogQLToken {
        tokens[min(index + ahead, tokens.count - 1)]
    }

    @discardableResult
    mutating func advance() -> LogQLToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    /// Consumes a token of `kind` or fails with Loki's `unexpected X, expecting Y`.
    @discardableResult
    mutating func expect(_ kind: LogQLTokenKind, _ expecting: String) throws(LogQLParseError) -> LogQLToken {
        guard current.kind == kind else { throw unexpected(expecting: expecting) }
        return advance()
    }

    mutating func expectKeyword(_ word: String) throws(LogQLParseError) {
        guard current.isIdentifier(word) else { throw unexpected(expecting: word) }
        advance()
    }

    /// Consumes the token if it has `kind`.
    mutating func accept(_ kind: LogQLTokenKind) -> Bool {
        guard current.kind == kind else { return false }
        advance()
        return true
    }

    /// A syntax error at the current token.
    func unexpected(expecting: String? = nil) -> LogQLParseError {
        unexpected(current, expecting: expecting)
    }

    /// A syntax error at `token`, worded like Loki's yacc errors.
    func unexpected(_ token: LogQLToken, expecting: String? = nil) -> LogQLParseError {
        var message = "syntax error: unexpected \(token.errorName)"
        if let expecting { message += ", expecting \(expecting)" }
        return LogQLParseError(message: message, position: token.position)
    }

    /// A semantic error (no position), as Loki reports checks made after
    /// the grammar matched.
    func semantic(_ message: String) -> LogQLParseError {
        LogQLParseError(message: message)
    }

    /// Parses a NUMBER token, optionally preceded by `+`/`-` (Loki's
    /// `literalExpr`).
    mutating func parseSignedNumber() throws(LogQLParseError) -> Double {
        var sign = 1.0
        if current.kind == .add || current.kind == .sub {
            sign = current.kind == .sub ? -1 : 1
            advance()
        }
        let token = try expect(.number, "NUMBER")
        guard let value = Double(token.text) else {
            throw LogQLParseError(message: "syntax error: invalid number \(token.text)", position: token.position)
        }
        return sign * value
    }

    /// `IDENTIFIER (, IDENTIFIER)*` inside parentheses, possibly empty.
    mutating func parseLabelList() throws(LogQLParseError) -> [String] {
        try expect(.openParen, "(")
        var labels: [String] = []
        if accept(.closeParen) { return labels }
        while true {
            labels.append(try expect(.identifier, "IDENTIFIER").text)
            if accept(.closeParen) { return labels }
            try expect(.comma, ", or )")
        }
    }

    /// Parses a duration token (`[5m]` contents, `offset 1h`).
    mutating func parseDuration() throws(LogQLParseError) -> LogQLDuration {
        let token = current
        // A bare `0` is a valid (if useless) duration in Prometheus' parser.
        guard token.kind == .duration || (token.kind == .number && token.text == "0"),
              let duration = LogQLDuration(parsing: token.kind == .number ? "0s" : token.text)
        else { throw unexpected(expecting: "DURATION") }
        advance()
        return duration
    }
}
