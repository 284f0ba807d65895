/// Splits a LogQL query into tokens.
///
/// Numbers immediately followed by unit letters are classified here, like
/// Loki's lexer does, into durations (`5m`, `1h30m`) or byte sizes (`10KB`);
/// everything word-like becomes an identifier and the parser decides whether
/// it is a keyword.
struct LogQLLexer {
    private var cursor: QueryTextCursor

    init(_ query: String) {
        cursor = QueryTextCursor(query)
    }

    private var scalars: [Unicode.Scalar] { cursor.scalars }
    private var index: Int { cursor.index }

    /// Tokenizes the whole query; the result always ends with an `.eof` token.
    static func tokenize(_ query: String) throws(LogQLParseError) -> [LogQLToken] {
        var lexer = LogQLLexer(query)
        var tokens: [LogQLToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .eof { return tokens }
        }
    }

    private var position: LogQLSourcePosition {
        LogQLSourcePosition(offset: cursor.index, line: cursor.line, column: cursor.column)
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? { cursor.peek(ahead) }
    private mutating func advance() { cursor.advance() }
    private func text(from start: Int) -> String { cursor.text(from: start) }

    private mutating func skipWhitespaceAndComments() {
        while let scalar = peek() {
            if scalar.properties.isWhitespace {
                advance()
            } else if scalar == "#" {
                // LogQL allows `#` comments up to the end of the line.
                while let next = peek(), next != "\n" { advance() }
            } else {
                return
            }
        }
    }

    mutating func next() throws(LogQLParseError) -> LogQLToken {
        skipWhitespaceAndComments()
        let start = index
        let startPosition = position
        guard let scalar = peek() else {
            return LogQLToken(kind: .eof, text: "", value: "", position: startPosition)
        }
        func token(_ kind: LogQLTokenKind, length: Int) -> LogQLToken {
            for _ in 0..<length { advance() }
            let raw = text(from: start)
            return LogQLToken(kind: kind, text: raw, value: raw, position: startPosition)
        }
        let next = peek(1)
        switch scalar {
        case "{": return token(.openBrace, length: 1)
        case "}": return token(.closeBrace, length: 1)
        case "(": return token(.openParen, length: 1)
        case ")": return token(.closeParen, length: 1)
        case "[": return token(.openBracket, length: 1)
        case "]": return token(.closeBracket, length: 1)
        case ",": return token(.comma, length: 1)
        case "+": return token(.add, length: 1)
        case "*": return token(.mul, length: 1)
        case "/": return token(.div, length: 1)
        case "%": return token(.mod, length: 1)
        case "^": return token(.pow, length: 1)
        case "-":
            if next == "-", let third = peek(2), third.properties.isAlphabetic {
                return lexFlag(start: start, position: startPosition)
            }
            return token(.sub, length: 1)
        case "=":
            if next == "~" { return token(.re, length: 2) }
            if next == "=" { return token(.cmpEq, length: 2) }
            return token(.eq, length: 1)
        case "!":
            if next == "=" { return token(.neq, length: 2) }
            if next == "~" { return token(.nre, length: 2) }
            if next == ">" { return token(.npa, length: 2) }
        case "|":
            if next == "=" { return token(.pipeExact, length: 2) }
            if next == "~" { return token(.pipeMatch, length: 2) }
            if next == ">" { return token(.pipePattern, length: 2) }
            return token(.pipe, length: 1)
        case ">":
            return next == "=" ? token(.gte, length: 2) : token(.gt, length: 1)
        case "<":
            return next == "=" ? token(.lte, length: 2) : token(.lt, length: 1)
        case "\"":
            return try lexQuoted(start: start, position: startPosition)
        case "`":
            return try lexRaw(start: start, position: startPosition)
        default:
            if Self.isDigit(scalar) || (scalar == "." && next.map(Self.isDigit) == true) {
                return try lexNumeric(start: start, position: startPosition)
            }
            if Self.isIdentifierStart(scalar) {
                while let current = peek(), Self.isIdentifierPart(current) { advance() }
                let word = text(from: start)
                return LogQLToken(kind: .identifier, text: word, value: word, position: startPosition)
            }
        }
        throw LogQLParseError(message: "syntax error: unexpected character \(String(scalar).debugDescription)",
                              position: startPosition)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || isDigit(scalar)
    }

    private mutating func lexFlag(start: Int, position: LogQLSourcePosition) -> LogQLToken {
        advance()
        advance()
        while let current = peek(), Self.isIdentifierPart(current) || current == "-" { advance() }
        let raw = text(from: start)
        return LogQLToken(kind: .flag, text: raw, value: raw, position: position)
    }

    private mutating func lexQuoted(start: Int, position: LogQLSourcePosition) throws(LogQLParseError) -> LogQLToken {
        advance()
        let bodyStart = index
        while true {
            guard let current = peek(), current != "\n" else {
                throw LogQLParseError(message: "literal not terminated", position: position)
            }
            if current == "\"" { break }
            if current == "\\", peek(1) != nil { advance() }
            advance()
        }
        let body = Array(scalars[bodyStart..<index])
        advance()
        switch LogQLStringLiteral.unescape(body) {
        case .success(let value):
            return LogQLToken(kind: .string, text: text(from: start), value: value, position: position)
        case .failure:
            throw LogQLParseError(message: "invalid syntax: invalid escape sequence in string", position: position)
        }
    }

    private mutating func lexRaw(start: Int, position: LogQLSourcePosition) throws(LogQLParseError) -> LogQLToken {
        advance()
        let bodyStart = index
        while peek() != "`" {
            guard peek() != nil else { throw LogQLParseError(message: "literal not terminated", position: position) }
            advance()
        }
        let value = String(String.UnicodeScalarView(scalars[bodyStart..<index]))
        advance()
        return LogQLToken(kind: .string, text: text(from: start), value: value, position: position)
    }

    /// Numbers, durations and byte sizes all start with a digit; the unit
    /// letters that follow decide which one it is.
    private mutating func lexNumeric(start: Int, position: LogQLSourcePosition) throws(LogQLParseError) -> LogQLToken {
        while let current = peek(), Self.isDigit(current) || current == "." { advance() }
        // An exponent (`1e3`, `2E-4`) keeps this a plain number; a bare `e`
        // followed by a letter is the exabyte unit and is handled below.
        if let e = peek(), e == "e" || e == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if let digit = peek(signed ? 2 : 1), Self.isDigit(digit) {
                advance()
                if signed { advance() }
                while let current = peek(), Self.isDigit(current) { advance() }
                return numberToken(start: start, position: position)
            }
        }
        guard let unitStart = peek(), unitStart.properties.isAlphabetic else {
            return numberToken(start: start, position: position)
        }
        // Durations may chain several number+unit groups (`1h30m`, `1m0s`).
        while let current = peek(),
              current.properties.isAlphabetic || Self.isDigit(current) || current == "." { advance() }
        let raw = text(from: start)
        if LogQLDuration(parsing: raw) != nil {
            return LogQLToken(kind: .duration, text: raw, value: raw, position: position)
        }
        if LogQLByteSize(parsing: raw) != nil {
            return LogQLToken(kind: .bytes, text: raw, value: raw, position: position)
        }
        throw LogQLParseError(message: "syntax error: invalid number, duration or byte size \"\(raw)\"",
                              position: position)
    }

    private func numberToken(start: Int, position: LogQLSourcePosition) -> LogQLToken {
        let raw = text(from: start)
        return LogQLToken(kind: .number, text: raw, value: raw, position: position)
    }
}
