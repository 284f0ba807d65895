/// The `json`, `logfmt` and `unpack` parser stages.
enum LogQLLineParsers {
    static let jsonError = "JSONParserErr"
    static let logfmtError = "LogfmtParserErr"

    /// `| json`: every scalar field becomes a label; nested object keys are
    /// joined with `_` (`{"a":{"b":1}}` → `a_b="1"`); arrays and nulls are skipped;
    /// names are sanitised. Invalid JSON sets `__error__="JSONParserErr"`.
    /// With `read`, only the labels it names are set (nothing later reads
    /// the others); the whole line is still checked.
    static func json(_ line: String, _ labels: inout LogQLLabelsBuilder, keeping read: Set<String>? = nil) {
        json(line, &labels, fields: read.map { labels.parsedLabelNames(storedAs: $0) })
    }

    /// `| json` taking only the fields named in `fields` when given (the
    /// parser's names, before any `_extracted` renaming; see
    /// ``LogQLLabelsBuilder/parsedLabelNames(storedAs:)``).
    static func json(_ line: String, _ labels: inout LogQLLabelsBuilder, fields: [String]?) {
        // A handful of names, compared in turn: cheaper than hashing each field's.
        guard let pairs = LogQLJSONValue.flattenedLabels(line, keeping: fields) else {
            labels.setError(jsonError, details: "Value looks like object, but can't find closing '}' symbol")
            return
        }
        for (name, value) in pairs { labels.setParsed(name, value) }
    }

    /// `| json a="x.y[0]", b`: only the listed paths; a missing path (or a
    /// null) yields an empty label, which Loki keeps (`a=""`); objects and
    /// arrays as raw JSON.
    static func json(_ line: String, _ extractions: [LogQLLabelExtraction], _ labels: inout LogQLLabelsBuilder) {
        guard let document = LogQLJSONValue.parse(line) else {
            labels.setError(jsonError, details: "invalid JSON")
            return
        }
        for extraction in extractions {
            let value = path(extraction.expression).flatMap { lookup(document, $0) }
            labels.setParsed(extraction.label, value?.labelValue ?? "")
        }
    }

    private enum Step { case key(String), index(Int) }

    /// Parses `a.b[0]["c d"]` into steps; `nil` if malformed.
    private static func path(_ expression: String) -> [Step]? {
        var steps: [Step] = []
        var chars = Array(expression)[...]
        var current = ""
        while let c = chars.popFirst() {
            switch c {
            case ".":
                if !current.isEmpty { steps.append(.key(current)); current = "" }
            case "[":
                if !current.isEmpty { steps.append(.key(current)); current = "" }
                var inner = ""
                while let d = chars.popFirst(), d != "]" { inner.append(d) }
                if inner.hasPrefix("\""), inner.hasSuffix("\""), inner.count >= 2 {
                    steps.append(.key(String(inner.dropFirst().dropLast())))
                } else if let index = Int(inner) {
                    steps.append(.index(index))
                } else {
                    return nil
                }
            default: current.append(c)
            }
        }
        if !current.isEmpty { steps.append(.key(current)) }
        return steps
    }

    private static func lookup(_ value: LogQLJSONValue, _ steps: [Step]) -> LogQLJSONValue? {
        var current = value
        for step in steps {
            switch (step, current) {
            case (.key(let key), .object(let members)):
                guard let next = members.last(where: { $0.0 == key })?.1 else { return nil }
                current = next
            case (.index(let index), .array(let items)):
                guard index >= 0, index < items.count else { return nil }
                current = items[index]
            default: return nil
            }
        }
        return current
    }

    /// `| unpack`: string fields become labels and the `_entry` field
    /// replaces the line; non-string values are ignored.
    static func unpack(_ line: inout String, _ labels: inout LogQLLabelsBuilder) {
        guard case .object(let members)? = LogQLJSONValue.parse(line) else {
            labels.setError(jsonError, details: "invalid JSON")
            return
        }
        for (key, value) in members {
            guard case .string(let text) = value else { continue }
            if key == "_entry" { line = text } else { labels.setParsed(logqlSanitizeLabelName(key), text) }
        }
    }

    /// `| logfmt`: `key=value` and `key="quoted value"` pairs. Empty values
    /// and bare keys are skipped unless `--keep-empty`. A malformed pair is
    /// skipped, or with `--strict` stops parsing and sets
    /// `__error__="LogfmtParserErr"`. With extractions only those keys are kept.
    static func logfmt(_ line: String, flags: LogQLLogfmtFlags, extractions: [LogQLLabelExtraction],
                       _ labels: inout LogQLLabelsBuilder) {
        let wanted = Dictionary(extractions.map { ($0.expression, $0.label) }, uniquingKeysWith: { a, _ in a })
        let chars = Array(line.unicodeScalars)
        var i = 0
        while i < chars.count {
            while i < chars.count, chars[i].value <= 0x20 { i += 1 }
            guard i < chars.count else { break }
            let keyStart = i
            var malformed = false
            while i < chars.count, chars[i].value > 0x20, chars[i] != "=" {
                if chars[i] == "\"" { malformed = true }
                i += 1
            }
            let key = String(String.UnicodeScalarView(chars[keyStart..<i]))
            var value = ""
            var hasValue = false
            if i < chars.count, chars[i] == "=" {
                i += 1
                hasValue = true
                if i < chars.count, chars[i] == "\"" {
                    i += 1
                    var closed = false
                    while i < chars.count {
                        let c = chars[i]
                        i += 1
                        if c == "\"" { closed = true; break }
                        if c == "\\", i < chars.count {
                            let e = chars[i]
                            i += 1
                            switch e {
                            case "n": value += "\n"
                            case "t": value += "\t"
                            case "r": value += "\r"
                            default: value.unicodeScalars.append(e)
                            }
                        } else {
                            value.unicodeScalars.append(c)
                        }
                    }
                    if !closed { malformed = true }
                } else {
                    while i < chars.count, chars[i].value > 0x20 {
                        if chars[i] == "=" || chars[i] == "\"" { malformed = true }
                        value.unicodeScalars.append(chars[i])
                        i += 1
                    }
                }
            }
            if key.isEmpty { malformed = true }
            if malformed {
                if flags.strict {
                    labels.setError(logfmtError, details: "logfmt syntax error at pos \(i): unexpected '='")
                    return
                }
                continue
            }
            if !hasValue || value.isEmpty, !flags.keepEmpty { continue }
            if extractions.isEmpty {
                labels.setParsed(logqlSanitizeLabelName(key), value)
            } else if let label = wanted[key] {
                labels.setParsed(label, value)
            }
        }
    }
}
