/// A parser stage that extracts labels from the log line.
public enum LogQLParserStage: Sendable, Hashable, CustomStringConvertible {
    /// `| json` (all fields) or `| json a="x.y", b` (selected expressions).
    case json([LogQLLabelExtraction])
    /// `| logfmt [--strict] [--keep-empty] [a="x", b]`.
    case logfmt(flags: LogQLLogfmtFlags, extractions: [LogQLLabelExtraction])
    /// `| regexp "(?P<name>re)"`.
    case regexp(String)
    /// `| pattern "<ip> - <_> <status>"`.
    case pattern(String)
    /// `| unpack` (Promtail's `pack` stage output).
    case unpack

    public var description: String {
        switch self {
        case .json(let extractions):
            return extractions.isEmpty ? "json" : "json " + extractions.map(\.description).joined(separator: ", ")
        case .logfmt(let flags, let extractions):
            var parts = ["logfmt"]
            if flags.strict { parts.append("--strict") }
            if flags.keepEmpty { parts.append("--keep-empty") }
            if !extractions.isEmpty { parts.append(extractions.map(\.description).joined(separator: ", ")) }
            return parts.joined(separator: " ")
        case .regexp(let expression): return "regexp " + LogQLStringLiteral.quote(expression)
        case .pattern(let expression): return "pattern " + LogQLStringLiteral.quote(expression)
        case .unpack: return "unpack"
        }
    }
}

/// Flags of the `logfmt` parser.
public struct LogQLLogfmtFlags: Sendable, Hashable {
    /// `--strict`: stop at the first malformed pair instead of skipping it.
    public var strict: Bool
    /// `--keep-empty`: keep standalone keys as labels with an empty value.
    public var keepEmpty: Bool

    /// Creates a flag set.
    public init(strict: Bool = false, keepEmpty: Bool = false) {
        self.strict = strict
        self.keepEmpty = keepEmpty
    }
}

/// One `label="expression"` (or bare `label`) of `json`/`logfmt`.
public struct LogQLLabelExtraction: Sendable, Hashable, CustomStringConvertible {
    /// The label to create.
    public var label: String
    /// The JSON path / logfmt key; equals `label` for the bare form.
    public var expression: String

    /// Creates an extraction.
    public init(label: String, expression: String) {
        self.label = label
        self.expression = expression
    }

    public var description: String { "\(label)=\(LogQLStringLiteral.quote(expression))" }
}
