/// The lexical category of a LogQL token.
///
/// Keywords (`by`, `json`, `sum`, `or`, ...) are deliberately *not* separate
/// kinds: the lexer emits them as identifiers and the parser interprets them
/// by context, so a label called `level` or `bytes` never trips the lexer.
enum LogQLTokenKind: Sendable, Hashable {
    case identifier
    case string
    case number
    case duration
    case bytes
    /// A parser flag such as `--strict`.
    case flag
    case openBrace, closeBrace, openParen, closeParen, openBracket, closeBracket, comma
    /// `=`
    case eq
    /// `!=`
    case neq
    /// `=~`
    case re
    /// `!~`
    case nre
    /// `!>`
    case npa
    /// `|=`
    case pipeExact
    /// `|~`
    case pipeMatch
    /// `|>`
    case pipePattern
    /// `|`
    case pipe
    /// `==`
    case cmpEq
    case gt, gte, lt, lte
    case add, sub, mul, div, mod, pow
    case eof
}

/// One token of a LogQL query.
struct LogQLToken: Sendable, Hashable {
    var kind: LogQLTokenKind
    /// The exact source text of the token (quotes included for strings).
    var text: String
    /// For strings, the unquoted value; otherwise equal to `text`.
    var value: String
    var position: LogQLSourcePosition

    /// The name Loki's yacc error messages use for this token: literal text
    /// for punctuation and keywords, upper-case class names otherwise.
    var errorName: String {
        switch kind {
        case .identifier:
            return LogQLKeywords.all.contains(text) ? text : "IDENTIFIER"
        case .string: return "STRING"
        case .number: return "NUMBER"
        case .duration: return "DURATION"
        case .bytes: return "BYTES"
        case .flag: return "FUNCTION_FLAG"
        case .eof: return "$end"
        default: return text
        }
    }

    func isIdentifier(_ word: String) -> Bool {
        kind == .identifier && text == word
    }
}

/// Words Loki's lexer turns into keyword tokens; used only for error text.
enum LogQLKeywords {
    static let all: Set<String> = Set([
        "by", "without", "bool", "on", "ignoring", "group_left", "group_right", "offset",
        "or", "and", "unless", "json", "logfmt", "regexp", "pattern", "unpack", "line_format",
        "label_format", "unwrap", "drop", "keep", "decolorize", "ip", "vector", "label_replace",
        "bytes", "duration", "duration_seconds",
    ]).union(LogQLRangeOperation.allCases.map(\.rawValue))
        .union(LogQLVectorOperation.allCases.map(\.rawValue))
}
