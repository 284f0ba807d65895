/// A compiled Go `text/template` subset for `line_format` and `label_format`.
///
/// Supported: literal text; actions `{{ ... }}` with `{{-`/`-}}` trimming;
/// pipelines `cmd | cmd` where the previous value is passed as the last
/// argument; arguments `.label`, `"strings"`, `` `raw` ``, numbers and
/// nested `(...)`; functions `__line__`, `__timestamp__` (printed as Go
/// prints a `time.Time` in UTC: `2025-06-02 11:59:35.001 +0000 UTC`),
/// `ToUpper`/`upper`/`toUpper`, `ToLower`/`lower`/`toLower`, `title`,
/// `TrimSpace`/`trimSpace`, `trim`, `trimAll`, `trimPrefix`, `trimSuffix`,
/// `TrimPrefix`, `TrimSuffix`, `replace` (sprig order: old new s),
/// `Replace` (Go order: s old new n), `substr`, `trunc`, `contains`,
/// `hasPrefix`, `hasSuffix`, `default`, `len`, `printf` (`%s`, `%v`, `%d`,
/// `%q`, `%%`), `regexReplaceAll`, `regexReplaceAllLiteral`.
/// Control structures (`if`, `range`, `with`, variables) are not supported
/// and raise `LogQLEvaluationError.invalidTemplate`.
///
/// A missing label is the empty string, printed or as an argument (Loki
/// runs its templates on a `map[string]string` with `missingkey=zero`).
struct LogQLTemplate: @unchecked Sendable {
    private indirect enum Arg {
        case field(String)
        case string(String)
        case function(String)
        case pipeline([[Arg]])
    }
    private enum Node {
        case text(String)
        case action([[Arg]])
    }
    private let nodes: [Node]

    /// Whether the template is plain text (no actions).
    var isLiteral: Bool { nodes.allSatisfy { if case .text = $0 { true } else { false } } }

    init(_ source: String) throws(LogQLEvaluationError) {
        var nodes: [Node] = []
        var rest = Substring(source)
        while let open = rest.firstRange(of: "{{") {
            var text = rest[..<open.lowerBound]
            var body = rest[open.upperBound...]
            if body.hasPrefix("-") && body.dropFirst().first?.isWhitespace == true {
                body = body.dropFirst()
                text = Substring(String(text).trimmingSuffixWhitespace())
            }
            guard let close = body.firstRange(of: "}}") else { throw .invalidTemplate("unclosed action") }
            var inner = body[..<close.lowerBound]
            rest = body[close.upperBound...]
            if inner.hasSuffix("-") && inner.dropLast().last?.isWhitespace == true {
                inner = inner.dropLast()
                rest = rest.drop { $0.isWhitespace }
            }
            if !text.isEmpty { nodes.append(.text(String(text))) }
            var scanner = Scanner(chars: Array(inner))
            let pipeline = try scanner.pipeline()
            guard scanner.isAtEnd() else { throw .invalidTemplate("unexpected \"\(String(scanner.chars[scanner.index...]))\"") }
            if pipeline.isEmpty { throw .invalidTemplate("missing value for command") }
            nodes.append(.action(pipeline))
        }
        if !rest.isEmpty { nodes.append(.text(String(rest))) }
        self.nodes = nodes
    }

    /// Renders with `labels`, the current `line` and `timestamp` (ns).
    func render(labels: [String: String], line: String, timestamp: Int64) throws(LogQLEvaluationError) -> String {
        var out = ""
        for node in nodes {
            switch node {
            case .text(let text): out += text
            case .action(let pipeline):
                if pipeline.count == 1, pipeline[0].count == 1, case .field(let name) = pipeline[0][0] {
                    out += labels[name] ?? ""
                } else {
                    out += try run(pipeline, labels, line, timestamp)
                }
            }
        }
        return out
    }

    private func run(_ pipeline: [[Arg]], _ labels: [String: String], _ line: String,
                     _ timestamp: Int64) throws(LogQLEvaluationError) -> String {
        var previous: String?
        for command in pipeline {
            var values: [String] = []
            for arg in command.dropFirst() { values.append(try value(arg, labels, line, timestamp)) }
            if let previous { values.append(previous) }
            switch command[0] {
            case .function(let name):
                previous = try LogQLTemplateFunctions.call(name, values, line: line, timestamp: timestamp)
            default:
                guard values.isEmpty else { throw .invalidTemplate("can't give argument to non-function") }
                previous = try value(command[0], labels, line, timestamp)
            }
        }
        return previous ?? ""
    }

    private func value(_ arg: Arg, _ labels: [String: String], _ line: String,
                       _ timestamp: Int64) throws(LogQLEvaluationError) -> String {
        switch arg {
        case .field(let name): return labels[name] ?? ""
        case .string(let text): return text
        case .function(let name): return try LogQLTemplateFunctions.call(name, [], line: line, timestamp: timestamp)
        case .pipeline(let inner): return try run(inner, labels, line, timestamp)
        }
    }

    /// Tokenises the inside of one action.
    private struct Scanner {
        let chars: [Character]
        var index = 0
        init(chars: [Character]) { self.chars = chars }

        mutating func isAtEnd() -> Bool { skip(); return index >= chars.count }

        mutating func skip() { while index < chars.count, chars[index].isWhitespace { index += 1 } }

        mutating func pipeline() throws(LogQLEvaluationError) -> [[Arg]] {
            var commands: [[Arg]] = []
            var command: [Arg] = []
            while true {
                skip()
                guard index < chars.count, chars[index] != ")" else { break }
                if chars[index] == "|" {
                    guard !command.isEmpty else { throw .invalidTemplate("missing value for command") }
                    commands.append(command)
                    command = []
                    index += 1
                    continue
                }
                command.append(try arg())
            }
            if !command.isEmpty { commands.append(command) }
            return commands
        }

        mutating func arg() throws(LogQLEvaluationError) -> Arg {
            let c = chars[index]
            if c == "(" {
                index += 1
                let inner = try pipeline()
                guard index < chars.count, chars[index] == ")" else { throw .invalidTemplate("unclosed left paren") }
                index += 1
                return .pipeline(inner)
            }
            if c == "\"" || c == "`" { return .string(try quoted(c)) }
            let start = index
            while index < chars.count, !chars[index].isWhitespace, !"|()".contains(chars[index]) { index += 1 }
            let word = String(chars[start..<index])
            if word.hasPrefix(".") { return .field(String(word.dropFirst())) }
            if word.first?.isNumber == true || word.first == "-" { return .string(word) }
            if ["if", "range", "with", "else", "end", "define", "template", "block"].contains(word) || word.hasPrefix("$") {
                throw .invalidTemplate("unsupported template construct \"\(word)\"")
            }
            return .function(word)
        }

        mutating func quoted(_ quote: Character) throws(LogQLEvaluationError) -> String {
            index += 1
            var out = ""
            while index < chars.count, chars[index] != quote {
                if quote == "\"", chars[index] == "\\", index + 1 < chars.count {
                    index += 1
                    switch chars[index] {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    default: out.append(chars[index])
                    }
                } else {
                    out.append(chars[index])
                }
                index += 1
            }
            guard index < chars.count else { throw .invalidTemplate("unterminated quoted string") }
            index += 1
            return out
        }
    }
}

extension String {
    func trimmingSuffixWhitespace() -> String {
        var copy = self
        while copy.last?.isWhitespace == true { copy.removeLast() }
        return copy
    }

    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }).trimmingSuffixWhitespace()
    }
}
