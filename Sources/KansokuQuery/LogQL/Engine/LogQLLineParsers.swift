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
        // On the UTF-8 bytes: every byte of a non-ASCII character is above
        // 0x20 and none is `=`, `"` or `\`, so the pairs split as characters would.
        line.withUTF8Bytes { bytes in
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            let n = bytes.count
            var i = 0
            while i < n {
                while i < n, bytes[i] <= 0x20 { i += 1 }
                guard i < n else { break }
                let keyStart = i
                var malformed = false
                while i < n, bytes[i] > 0x20, bytes[i] != UInt8(ascii: "=") {
                    if bytes[i] == UInt8(ascii: "\"") { malformed = true }
                    i += 1
                }
                let keyRange = keyStart..<i
                var valueRange: Range<Int>?  // nil: a bare key
                var unescaped: [UInt8]?  // a quoted value with escapes, once one is seen
                if i < n, bytes[i] == UInt8(ascii: "=") {
                    i += 1
                    if i < n, bytes[i] == UInt8(ascii: "\"") {
                        i += 1
                        let start = i
                        var end = n
                        var closed = false
                        while i < n {
                            let c = bytes[i]
                            i += 1
                            if c == UInt8(ascii: "\"") { closed = true; end = i - 1; break }
                            if c == UInt8(ascii: "\\"), i < n {
                                if unescaped == nil { unescaped = Array(bytes[start..<i - 1]) }
                                let e = bytes[i]
                                i += 1
                                switch e {
                                case UInt8(ascii: "n"): unescaped!.append(0x0A)
                                case UInt8(ascii: "t"): unescaped!.append(0x09)
                                case UInt8(ascii: "r"): unescaped!.append(0x0D)
                                default: unescaped!.append(e)
                                }
                            } else {
                                unescaped?.append(c)
                            }
                        }
                        valueRange = start..<end
                        if !closed { malformed = true }
                    } else {
                        let start = i
                        while i < n, bytes[i] > 0x20 {
                            if bytes[i] == UInt8(ascii: "=") || bytes[i] == UInt8(ascii: "\"") { malformed = true }
                            i += 1
                        }
                        valueRange = start..<i
                    }
                }
                if keyRange.isEmpty { malformed = true }
                if malformed {
                    if flags.strict {
                        labels.setError(logfmtError, details: "logfmt syntax error at pos \(i): unexpected '='")
                        return
                    }
                    continue
                }
                let isEmpty = unescaped?.isEmpty ?? valueRange?.isEmpty ?? true
                if isEmpty, !flags.keepEmpty { continue }
                let value = unescaped.map { String(decoding: $0, as: UTF8.self) } ?? valueRange.map(text) ?? ""
                let key = text(keyRange)
                if extractions.isEmpty {
                    labels.setParsed(logqlSanitizeLabelName(key), value)
                } else if let extraction = extractions.first(where: { $0.expression == key }) {
                    labels.setParsed(extraction.label, value)
                }
            }
        }
    }
}
