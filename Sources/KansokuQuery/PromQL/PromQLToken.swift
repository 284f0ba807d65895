/// The lexical category of a ``PromQLToken``.
///
/// Keywords (`sum`, `by`, `offset`, `and`, ...) are not separate kinds: PromQL
/// lets most of them double as metric or label names, so the parser decides
/// from context (see ``PromQLToken/keyword``).
public enum PromQLTokenKind: Sendable, Hashable {
    /// A word made of letters, digits and `_` (keywords included).
    case identifier
    /// A word that contains a `:`; only valid as a metric name.
    case metricIdentifier
    /// A number literal (decimal, hexadecimal, scientific, `Inf`, `NaN`).
    case number
    /// A duration literal such as `5m` or `1h30m`.
    case duration
    /// A quoted string; ``PromQLToken/stringValue`` holds the unescaped text.
    case string
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
    case comma, colon, at
    /// `=` (label matcher).
    case assign
    /// `==`
    case equal
    /// `!=`
    case notEqual
    /// `=~`
    case regexMatch
    /// `!~`
    case regexNoMatch
    case add, sub, mul, div, mod, pow
    case less, lessEqual, greater, greaterEqual
    /// `</`, the histogram trim-upper operator.
    case trimUpper
    /// `>/`, the histogram trim-lower operator.
    case trimLower
    /// End of the query.
    case eof
}

/// One token of a PromQL query with its source position.
public struct PromQLToken: Sendable, Hashable {
    /// The token's category.
    public var kind: PromQLTokenKind
    /// The exact source text (including quotes for strings).
    public var text: Substring
    /// For `.string` tokens, the text after unescaping; otherwise `nil`.
    public var stringValue: String?
    /// Where the token starts.
    public var position: PromQLSourcePosition

    /// Creates a token.
    public init(kind: PromQLTokenKind, text: Substring, stringValue: String? = nil, position: PromQLSourcePosition) {
        self.kind = kind
        self.text = text
        self.stringValue = stringValue
        self.position = position
    }

    /// The lowercased word when this is an identifier. Prometheus matches
    /// keywords case-insensitively (`SUM`, `Offset`, `STep()` all work).
    public var keyword: String? {
        kind == .identifier ? text.lowercased() : nil
    }

    /// Words the upstream lexer turns into keyword tokens (other than
    /// aggregators and the word operators), used only for error wording.
    static let keywords: Set<String> = [
        "offset", "smoothed", "anchored", "by", "without", "on", "ignoring", "group_left", "group_right",
        "fill", "fill_left", "fill_right", "bool", "start", "end", "step", "range", "max_of", "min_of",
    ]

    /// How Prometheus's parser names the token in "unexpected ..." messages
    /// (`identifier "foo"`, `<op:+>`, `<aggr:sum>`, `<by>`, `end of input`).
    var errorDescription: String {
        switch kind {
        case .eof: return "end of input"
        case .identifier:
            if let keyword {
                if PromQLAggregationOperator(rawValue: keyword) != nil { return "<aggr:\(text)>" }
                if ["and", "or", "unless", "atan2"].contains(keyword) { return "<op:\(text)>" }
                if PromQLToken.keywords.contains(keyword) { return "<\(text)>" }
            }
            return "identifier \(PromQLStringLiteral.quote(String(text)))"
        case .metricIdentifier: return "metric identifier \(PromQLStringLiteral.quote(String(text)))"
        case .number: return "number \(PromQLStringLiteral.quote(String(text)))"
        case .duration: return "duration \(PromQLStringLiteral.quote(String(text)))"
        case .string:
            // Go's %.10q: at most ten characters of the raw text, then "...".
            let raw = String(text)
            return raw.count > 10
                ? "string \(PromQLStringLiteral.quote(String(raw.prefix(10))))..."
                : "string \(PromQLStringLiteral.quote(raw))"
        case .add, .sub, .mul, .div, .mod, .pow, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual,
             .trimUpper, .trimLower, .regexMatch, .regexNoMatch, .at:
            return "<op:\(text)>"
        default:
            return PromQLStringLiteral.quote(String(text))
        }
    }
}
