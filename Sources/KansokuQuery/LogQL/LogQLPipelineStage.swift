/// One stage of a log pipeline.
public enum LogQLPipelineStage: Sendable, Hashable, CustomStringConvertible {
    /// `|= "x"`, `!~ "re"`, `|= "a" or "b"`, `|= ip("10.0.0.0/8")`.
    case lineFilter(LogQLLineFilter)
    /// `| json`, `| logfmt`, `| regexp "..."`, `| pattern "..."`, `| unpack`.
    case parser(LogQLParserStage)
    /// `| level="error"`, `| status >= 500 and duration > 1s`.
    case labelFilter(LogQLLabelFilter)
    /// `| line_format "{{.msg}}"` (the Go template).
    case lineFormat(String)
    /// `| label_format a="{{.b}}", c=d`.
    case labelFormat([LogQLLabelFormat])
    /// `| drop a, b="v"`.
    case drop([LogQLNamedMatcher])
    /// `| keep a, b="v"`.
    case keep([LogQLNamedMatcher])
    /// `| decolorize`.
    case decolorize

    public var description: String {
        switch self {
        case .lineFilter(let filter): return filter.description
        case .parser(let parser): return "| " + parser.description
        case .labelFilter(let filter): return "| " + filter.description
        case .lineFormat(let template): return "| line_format " + LogQLStringLiteral.quote(template)
        case .labelFormat(let entries): return "| label_format " + entries.map(\.description).joined(separator: ", ")
        case .drop(let labels): return "| drop " + labels.map(\.description).joined(separator: ", ")
        case .keep(let labels): return "| keep " + labels.map(\.description).joined(separator: ", ")
        case .decolorize: return "| decolorize"
        }
    }
}
