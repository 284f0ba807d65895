/// The lexical category of a TraceQL token.
///
/// Keywords (`name`, `status`, `error`, `count`, ...) are not separate kinds:
/// the lexer emits them as identifiers and the parser reads them by context.
enum TraceQLTokenKind: Sendable, Hashable {
    case identifier
    /// `span.x`, `resource.x` or `.x`; `value` holds the attribute name.
    case attribute(TraceQLAttributeScope)
    case string
    case integer
    case float
    /// A Go-style duration such as `1.5s` or `1h30m`; `value` holds nanoseconds.
    case duration
    case openBrace, closeBrace, openParen, closeParen, comma
    /// `=`
    case eq
    /// `!=`
    case neq
    /// `=~`
    case re
    /// `!~`
    case nre
    case gt, gte, lt, lte
    /// `>>`
    case desc
    /// `~`
    case tilde
    /// `&&`
    case and
    /// `||`
    case or
    /// `|`
    case pipe
    /// `-`
    case sub
    case eof
}

/// One token of a TraceQL query.
struct TraceQLToken: Sendable, Hashable {
    var kind: TraceQLTokenKind
    /// The exact source text of the token.
    var text: String
    /// Strings: the unquoted value; attributes: the name; durations: the
    /// nanoseconds in decimal; otherwise equal to `text`.
    var value: String
    var position: TraceQLSourcePosition

    /// The name Tempo's yacc error messages use for this token.
    var errorName: String {
        switch kind {
        case .identifier: return "IDENTIFIER"
        case .attribute: return "IDENTIFIER"
        case .string: return "STRING"
        case .integer: return "INTEGER"
        case .float: return "FLOAT"
        case .duration: return "DURATION"
        case .openBrace: return "OPEN_BRACE"
        case .closeBrace: return "CLOSE_BRACE"
        case .openParen: return "OPEN_PARENS"
        case .closeParen: return "CLOSE_PARENS"
        case .comma: return "COMMA"
        case .eq: return "EQ"
        case .neq: return "NEQ"
        case .re: return "RE"
        case .nre: return "NRE"
        case .gt: return "GT"
        case .gte: return "GTE"
        case .lt: return "LT"
        case .lte: return "LTE"
        case .desc: return "DESC"
        case .tilde: return "TILDE"
        case .and: return "AND"
        case .or: return "OR"
        case .pipe: return "PIPE"
        case .sub: return "SUB"
        case .eof: return "$end"
        }
    }
}
