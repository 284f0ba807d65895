import KansokuModel

/// Splits a TraceQL query into tokens.
///
/// Attribute references are recognised here, as in Tempo's lexer, because
/// their names may contain dots and other punctuation: after `span.`,
/// `resource.` or a leading `.` everything up to whitespace or an operator
/// character is the name, and `span."http.method"` quotes it.
struct TraceQLLexer {
    private var cursor: QueryTextCursor

    init(_ query: String) {
        cursor = QueryTextCursor(query)
    }

    private var scalars: [Unicode.Scalar] { cursor.scalars }
    private var index: Int { cursor.index }

    /// Tokenizes the whole query; the result always ends with an `.eof` token.
    static func tokenize(_ query: String) throws(TraceQLParseError) -> [TraceQLToken] {
        var lexer = TraceQLLexer(query)
        var tokens: [TraceQLToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .eof { return tokens }
        }
    }

    private var position: TraceQLSourcePosition {
        TraceQLSourcePosition(offset: cursor.index, line: cursor.line, column: cursor.column)
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? { cursor.peek(ahead) }
    private mutating func advance() { cursor.advance() }
    private func text(from start: Int) -> String { cursor.text(from: start) }

    private static func isWordStart(_ s: Unicode.Scalar) -> Bool {
        s == "_" || s.properties.isAlphabetic
    }

    private static func isWordPart(_ s: Unicode.Scalar) -> Bool {
        isWordStart(s) || ("0"..."9").contains(s)
    }

    /// Characters that may appear in an unquoted attribute name.
    private static func isAttributePart(_ s: Unicode.Scalar) -> Bool {
        if s.properties.isWhitespace { return false }
        switch s {
        case "{", "}", "(", ")", "=", "~", "!", "<", ">", "&", "|", "^", ",", "\"", "`": return false
        default: return true
        }
    }

    private mutating func skipWhitespace() {
        while let scalar = peek(), scalar.properties.isWhitespace { advance() }
    }

    mutating func next() throws(TraceQLParseError) -> TraceQLToken {
        skipWhitespace()
        let start = index
        let startPosition = position
        guard let scalar = peek() else {
            return TraceQLToken(kind: .eof, text: "", value: "", position: startPosition)
        }
        func token(_ kind: TraceQLTokenKind, length: Int) -> TraceQLToken {
            for _ in 0..<length { advance() }
            let raw = text(from: start)
            return TraceQLToken(kind: kind, text: raw, value: raw, position: startPosition)
        }
        let next = peek(1)
        switch scalar {
        case "{": return token(.openBrace, length: 1)
        case "}": return token(.closeBrace, length: 1)
        case "(": return token(.openParen, length: 1)
        case ")": return token(.closeParen, length: 1)
        case ",": return token(.comma, length: 1)
        case "-": return token(.sub, length: 1)
        case "~": return token(.tilde, length: 1)
        case "=": return next == "~" ? token(.re, length: 2) : token(.eq, length: 1)
        case "!":
            if next == "=" { return token(.neq, length: 2) }
            if next == "~" { return token(.nre, length: 2) }
        case ">":
            if next == ">" { return token(.desc, length: 2) }
            return next == "=" ? token(.gte, length: 2) : token(.gt, length: 1)
        case "<": return next == "=" ? token(.lte, length: 2) : token(.lt, length: 1)
        case "&": if next == "&" { return token(.and, length: 2) }
        case "|": return next == "|" ? token(.or, length: 2) : token(.pipe, length: 1)
        case "\"", "`":
            let value = try lexString()
            return TraceQLToken(kind: .string, text: text(from: start), value: value, position: startPosition)
        case ".":
            if let next, next == "\"" || Self.isAttributePart(next), !("0"..."9").contains(next) {
                advance()
                return try lexAttribute(scope: .unscoped, start: start, position: startPosition)
            }
            if let next, ("0"..."9").contains(next) { return try lexNumber(start: start, position: startPosition) }
        case "0"..."9":
            return try lexNumber(start: start, position: startPosition)
        default:
            if Self.isWordStart(scalar) { return try lexWord(start: start, position: startPosition) }
        }
        throw TraceQLParseError(message: "syntax error: unexpected character \(String(scalar).debugDescription)",
                                position: startPosition)
    }

    private mutating func lexWord(start: Int, position: TraceQLSourcePosition) throws(TraceQLParseError) -> TraceQLToken {
        while let s = peek(), Self.isWordPart(s) { advance() }
        let word = text(from: start)
        if peek() == ".", let scope = TraceQLAttributeScope(keyword: word) {
            advance()
            return try lexAttribute(scope: scope, start: start, position: position)
        }
        // Scoped intrinsics such as `span:duration` and `trace:rootService`.
        if peek() == ":", word == "span" || word == "trace", let s = peek(1), Self.isWordStart(s) {
            advance()
            while let s = peek(), Self.isWordPart(s) { advance() }
        }
        let raw = text(from: start)
        return TraceQLToken(kind: .identifier, text: raw, value: raw, position: position)
    }

    private mutating func lexAttribute(scope: TraceQLAttributeScope, start: Int,
                                       position: TraceQLSourcePosition) throws(TraceQLParseError) -> TraceQLToken {
        let name: String
        if peek() == "\"" {
            name = try lexString()
        } else {
            let nameStart = index
            while let s = peek(), Self.isAttributePart(s) { advance() }
            name = text(from: nameStart)
        }
        guard !name.isEmpty else {
            throw TraceQLParseError(message: "syntax error: empty attribute name", position: position)
        }
        return TraceQLToken(kind: .attribute(scope), text: text(from: start), value: name, position: position)
    }

    private mutating func lexNumber(start: Int, position: TraceQLSourcePosition) throws(TraceQLParseError) -> TraceQLToken {
        var isFloat = false
        while let s = peek() {
            if ("0"..."9").contains(s) {
                advance()
            } else if s == ".", !isFloat, let n = peek(1), ("0"..."9").contains(n) {
                isFloat = true
                advance()
            } else {
                break
            }
        }
        if let s = peek(), Self.isWordStart(s) {
            // A unit follows: the whole run (possibly `1h30m`) must be a duration.
            while let s = peek(), Self.isWordPart(s) || s == "." { advance() }
            let raw = text(from: start)
            guard let nanos = TraceQLDurationLiteral.nanoseconds(raw) else {
                throw TraceQLParseError(message: "syntax error: invalid duration \(raw)", position: position)
            }
            return TraceQLToken(kind: .duration, text: raw, value: String(nanos), position: position)
        }
        let raw = text(from: start)
        return TraceQLToken(kind: isFloat ? .float : .integer, text: raw, value: raw, position: position)
    }

    /// Reads a double-quoted (Go escapes) or back-quoted (raw) string and
    /// returns its value; the cursor is on the opening quote.
    private mutating func lexString() throws(TraceQLParseError) -> String {
        let open = position
        let quote = scalars[index]
        advance()
        var value = String.UnicodeScalarView()
        while true {
            guard let s = peek() else {
                throw TraceQLParseError(message: "syntax error: literal not terminated", position: open)
            }
            if s == quote {
                advance()
                return String(value)
            }
            if s == "\\" && quote == "\"" {
                let escapePosition = position
                advance()
                guard let e = peek() else { continue }
                advance()
                switch e {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "a": value.append("\u{07}")
                case "b": value.append("\u{08}")
                case "f": value.append("\u{0C}")
                case "v": value.append("\u{0B}")
                case "\\", "\"", "'": value.append(e)
                case "x", "u", "U":
                    let count = e == "x" ? 2 : e == "u" ? 4 : 8
                    var code: UInt32 = 0
                    for _ in 0..<count {
                        guard let d = peek(), d.isASCII, let v = Hex.value(of: UInt8(d.value)) else {
                            throw TraceQLParseError(message: "syntax error: invalid escape sequence", position: escapePosition)
                        }
                        code = code << 4 | UInt32(v)
                        advance()
                    }
                    guard let scalar = Unicode.Scalar(code) else {
                        throw TraceQLParseError(message: "syntax error: invalid escape sequence", position: escapePosition)
                    }
                    value.append(scalar)
                default:
                    throw TraceQLParseError(message: "syntax error: invalid escape sequence \\\(e)", position: escapePosition)
                }
                continue
            }
            value.append(s)
            advance()
        }
    }
}
