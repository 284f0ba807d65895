/// Splits a PromQL query into ``PromQLToken``s.
///
/// Like Prometheus's lexer it is context-sensitive in two small ways: inside
/// `{...}` words never contain `:` (label names), and inside `[...]` a `:`
/// separates a subquery's range from its step. Everything else (keywords vs.
/// names) is left to the parser.
public struct PromQLLexer: Sendable {
    private let bytes: [UInt8]
    private let source: String
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var braceDepth = 0
    private var bracketDepth = 0
    private var parenDepth = 0

    /// Creates a lexer over `query`.
    public init(_ query: String) {
        source = query
        bytes = Array(query.utf8)
    }

    /// Lexes the whole query; the last token is always `.eof`.
    public static func tokenize(_ query: String) throws(PromQLParseError) -> [PromQLToken] {
        var lexer = PromQLLexer(query)
        var tokens: [PromQLToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .eof { return tokens }
        }
    }

    /// The current position; columns count Unicode scalars, as Prometheus does.
    func position(at offset: Int) -> PromQLSourcePosition {
        // Count only UTF-8 lead bytes so multi-byte characters are one column.
        var column = 1
        var i = lineStart
        while i < offset && i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return PromQLSourcePosition(offset: offset, line: line, column: column)
    }

    private func error(_ message: String, at offset: Int) -> PromQLParseError {
        PromQLParseError(position: position(at: offset), message: message)
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        index + ahead < bytes.count ? bytes[index + ahead] : nil
    }

    private func text(_ start: Int, _ end: Int) -> Substring {
        let utf8 = source.utf8
        let from = utf8.index(utf8.startIndex, offsetBy: start)
        let to = utf8.index(from, offsetBy: end - start)
        return source[from..<to]
    }

    private func token(_ kind: PromQLTokenKind, from start: Int, value: String? = nil) -> PromQLToken {
        PromQLToken(kind: kind, text: text(start, index), stringValue: value, position: position(at: start))
    }

    private mutating func skipWhitespaceAndComments() {
        while let c = peek() {
            if c == UInt8(ascii: "\n") {
                index += 1
                line += 1
                lineStart = index
            } else if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                index += 1
            } else if c == UInt8(ascii: "#") && braceDepth == 0 {
                // Comments run to the end of the line, as in Prometheus.
                while let d = peek(), d != UInt8(ascii: "\n") { index += 1 }
            } else {
                return
            }
        }
    }

    /// Returns the next token.
    public mutating func next() throws(PromQLParseError) -> PromQLToken {
        skipWhitespaceAndComments()
        let start = index
        guard let c = peek() else {
            if braceDepth > 0 { throw error("unexpected end of input inside braces", at: start) }
            if bracketDepth > 0 { throw error("unexpected end of input in duration expression", at: start) }
            if parenDepth > 0 { throw error("unclosed left parenthesis", at: start) }
            return token(.eof, from: start)
        }
        if braceDepth > 0 { return try nextInsideBraces(c, start: start) }
        if PromQLLexer.isDigit(c) || (c == UInt8(ascii: ".") && peek(1).map(PromQLLexer.isDigit) == true) {
            return try lexNumberOrDuration(start: start)
        }
        if bracketDepth > 0 && PromQLLexer.isIdentifierStart(c) {
            // Inside [...] only the duration functions are words.
            var end = index
            while end < bytes.count, PromQLLexer.isIdentifierPart(bytes[end]) { end += 1 }
            guard ["step", "range", "min_of", "max_of"].contains(text(index, end).lowercased()) else {
                throw error("unexpected character: \(describe(at: index)), expected ':'", at: index)
            }
            index = end
            return token(.identifier, from: start)
        }
        if bracketDepth > 0 && (c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`")) {
            throw error("unexpected character in duration expression: \(describe(at: index))", at: index)
        }
        if PromQLLexer.isIdentifierStart(c) || c == UInt8(ascii: ":") && bracketDepth == 0 {
            index += 1
            while let d = peek(), PromQLLexer.isIdentifierPart(d) || d == UInt8(ascii: ":") { index += 1 }
            let word = text(start, index)
            // `inf`/`nan` are number keywords in every casing.
            let lower = word.lowercased()
            if lower == "inf" || lower == "nan" { return token(.number, from: start) }
            return token(word.contains(":") ? .metricIdentifier : .identifier, from: start)
        }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
            return try lexString(start: start)
        }
        index += 1
        let next = peek()
        switch c {
        case UInt8(ascii: "("): parenDepth += 1; return token(.leftParen, from: start)
        case UInt8(ascii: ")"):
            // Upstream reports this one just past the parenthesis.
            guard parenDepth > 0 else { throw error("unexpected right parenthesis ')'", at: index) }
            parenDepth -= 1
            return token(.rightParen, from: start)
        case UInt8(ascii: "{"): braceDepth += 1; return token(.leftBrace, from: start)
        case UInt8(ascii: "}"): throw error("unexpected character: '}'", at: start)
        case UInt8(ascii: "["):
            guard bracketDepth == 0 else { throw error("unexpected left bracket '['", at: start) }
            bracketDepth += 1
            return token(.leftBracket, from: start)
        case UInt8(ascii: "]"):
            guard bracketDepth > 0 else { throw error("unexpected right bracket ']'", at: start) }
            bracketDepth -= 1
            return token(.rightBracket, from: start)
        case UInt8(ascii: ","): return token(.comma, from: start)
        case UInt8(ascii: ":"): return token(.colon, from: start)
        case UInt8(ascii: "@"): return token(.at, from: start)
        case UInt8(ascii: "+"): return token(.add, from: start)
        case UInt8(ascii: "-"): return token(.sub, from: start)
        case UInt8(ascii: "*"): return token(.mul, from: start)
        case UInt8(ascii: "/"): return token(.div, from: start)
        case UInt8(ascii: "%"): return token(.mod, from: start)
        case UInt8(ascii: "^"): return token(.pow, from: start)
        case UInt8(ascii: "="):
            if next == UInt8(ascii: "=") { index += 1; return token(.equal, from: start) }
            // Regex matchers only exist inside braces.
            if next == UInt8(ascii: "~") { throw error("unexpected character after '=': '~'", at: start) }
            return token(.assign, from: start)
        case UInt8(ascii: "!"):
            if next == UInt8(ascii: "=") { index += 1; return token(.notEqual, from: start) }
            throw error("unexpected character after '!': \(describe(at: index))", at: start)
        case UInt8(ascii: "<"):
            if next == UInt8(ascii: "=") { index += 1; return token(.lessEqual, from: start) }
            if next == UInt8(ascii: "/") { index += 1; return token(.trimUpper, from: start) }
            return token(.less, from: start)
        case UInt8(ascii: ">"):
            if next == UInt8(ascii: "=") { index += 1; return token(.greaterEqual, from: start) }
            if next == UInt8(ascii: "/") { index += 1; return token(.trimLower, from: start) }
            return token(.greater, from: start)
        default:
            throw error("unexpected character: \(describe(at: start))", at: start)
        }
    }

    /// Inside `{...}` only label names, strings, matcher operators and commas are legal.
    private mutating func nextInsideBraces(_ c: UInt8, start: Int) throws(PromQLParseError) -> PromQLToken {
        if PromQLLexer.isIdentifierStart(c) {
            index += 1
            while let d = peek(), PromQLLexer.isIdentifierPart(d) { index += 1 }
            return token(.identifier, from: start)
        }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
            return try lexString(start: start)
        }
        index += 1
        switch c {
        case UInt8(ascii: ","): return token(.comma, from: start)
        case UInt8(ascii: "}"): braceDepth -= 1; return token(.rightBrace, from: start)
        case UInt8(ascii: "{"): throw error("unexpected left brace '{'", at: start)
        case UInt8(ascii: "="):
            if peek() == UInt8(ascii: "~") { index += 1; return token(.regexMatch, from: start) }
            return token(.assign, from: start)
        case UInt8(ascii: "!"):
            if peek() == UInt8(ascii: "=") { index += 1; return token(.notEqual, from: start) }
            if peek() == UInt8(ascii: "~") { index += 1; return token(.regexNoMatch, from: start) }
            throw error("unexpected character after '!' inside braces: \(describe(at: index))", at: start)
        default:
            throw error("unexpected character inside braces: \(describe(at: start))", at: start)
        }
    }

    /// Go-style `%q` of the character at `offset`, used in error messages.
    private func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "EOF" }
        let rest = text(offset, bytes.count)
        guard let scalar = rest.unicodeScalars.first else { return "EOF" }
        return "'\(scalar)'"
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    static func isIdentifierStart(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "_")
    }
    static func isIdentifierPart(_ c: UInt8) -> Bool { isIdentifierStart(c) || isDigit(c) }
}

extension PromQLLexer {
    /// Scans a number (`1`, `1.5`, `.5`, `1e3`, `0x1F`) or a duration (`5m`,
    /// `1h30m`) the way the upstream lexer does, including which text it
    /// quotes on failure. A number directly followed by a letter or `_` that
    /// does not form a duration is an error, which is what makes `1_000` invalid.
    private mutating func lexNumberOrDuration(start: Int) throws(PromQLParseError) -> PromQLToken {
        let (isNumber, numberEnd) = PromQLLexer.scanNumber(bytes, from: start)
        if isNumber {
            index = numberEnd
            return token(.number, from: start)
        }
        let (isDuration, durationEnd) = PromQLLexer.scanRemainingDuration(bytes, from: numberEnd)
        if isDuration {
            index = durationEnd
            return token(.duration, from: start)
        }
        throw error("bad number or duration syntax: \"\(text(start, min(durationEnd, bytes.count)))\"", at: start)
    }

    /// Returns whether a number literal starts at `start` and where scanning stopped.
    static func scanNumber(_ bytes: [UInt8], from start: Int) -> (Bool, Int) {
        var i = start
        func at(_ j: Int) -> UInt8? { j < bytes.count ? bytes[j] : nil }
        func isIn(_ j: Int, _ set: String) -> Bool { at(j).map { set.utf8.contains($0) } ?? false }
        var hex = false
        if at(i) == UInt8(ascii: "0") {
            i += 1
            if isIn(i, "xX") {
                i += 1
                hex = true
            }
        }
        func isNumberDigit(_ c: UInt8) -> Bool { hex ? PromQLLexer.isHexDigit(c) : PromQLLexer.isDigit(c) }
        if at(i) == UInt8(ascii: ".") { i += 1 }
        if let d = at(i), isNumberDigit(d) { i += 1 }
        var sawDot = false, sawExponent = false
        while let c = at(i) {
            if c == UInt8(ascii: ".") {
                i += 1
                if sawDot || hex { return (false, i) }
                sawDot = true
                // "1._" and "1.." are malformed.
                if isIn(i, "_.") { return (false, i + 1) }
            } else if !hex && (c == UInt8(ascii: "e") || c == UInt8(ascii: "E")) {
                i += 1
                if sawExponent { return (false, i) }
                sawExponent = true
                if isIn(i, "+-") { i += 1 }
                if isIn(i, "._eE") { return (false, i + 1) }
                if at(i) == nil { return (false, i) }
            } else if isNumberDigit(c) {
                while let d = at(i), isNumberDigit(d) { i += 1 }
            } else {
                break
            }
        }
        if i == start { return (false, i) }
        if let next = at(i), isIdentifierPart(next) { return (false, i) }
        return (true, i)
    }

    /// Continues a failed number as a duration (`5m`, `1h30m`, also `5hs`,
    /// whose bad unit the parser reports). Returns success and the end offset;
    /// on failure the end includes the offending character, as upstream quotes it.
    static func scanRemainingDuration(_ bytes: [UInt8], from start: Int) -> (Bool, Int) {
        var i = start
        func at(_ j: Int) -> UInt8? { j < bytes.count ? bytes[j] : nil }
        func isIn(_ j: Int, _ set: String) -> Bool { at(j).map { set.utf8.contains($0) } ?? false }
        guard isIn(i, "smhdwy") else { return (false, i) }
        i += 1
        if isIn(i, "s") { i += 1 }
        while let d = at(i), isDigit(d) {
            while let d = at(i), isDigit(d) { i += 1 }
            guard isIn(i, "smhdw") else { return (false, i) }
            i += 1
            if isIn(i, "s") { i += 1 }
        }
        guard let next = at(i) else { return (true, i) }
        return isIdentifierPart(next) ? (false, i + 1) : (true, i)
    }

    static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
    }

    /// Scans a quoted string and unescapes it (see ``PromQLStringLiteral``).
    private mutating func lexString(start: Int) throws(PromQLParseError) -> PromQLToken {
        let quote = bytes[start]
        var i = start + 1
        while true {
            guard i < bytes.count else {
                throw error(quote == UInt8(ascii: "`") ? "unterminated raw string" : "unterminated quoted string", at: start)
            }
            let c = bytes[i]
            if c == quote { break }
            if c == UInt8(ascii: "\\") && quote != UInt8(ascii: "`") {
                guard i + 1 < bytes.count else { throw error("escape sequence not terminated", at: start) }
                i += 2
                continue
            }
            if c == UInt8(ascii: "\n") && quote != UInt8(ascii: "`") {
                throw error("unterminated quoted string", at: start)
            }
            i += 1
        }
        index = i + 1
        let raw = text(start, index)
        let value: String
        do {
            value = try PromQLStringLiteral.unquote(raw)
        } catch let message {
            throw error(message.message, at: start)
        }
        return token(.string, from: start, value: value)
    }
}
