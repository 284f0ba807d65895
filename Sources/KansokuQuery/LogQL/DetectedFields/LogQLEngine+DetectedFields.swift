extension LogQLEngine {
    /// Loki's `detected_fields`: runs `query` backward over `[start, end)`,
    /// keeps the newest `lineLimit` lines, and reports every structured
    /// metadata label and every label the query's parsers or a `json` (else
    /// `logfmt`) parse of the line yields, at most `fieldLimit` of them (the
    /// first seen), sorted by name. Streams are visited in label order and
    /// lines newest first, as Loki does.
    public func detectedFields(_ query: LogQLLogQuery, start: Int64, end: Int64, lineLimit: Int,
                               fieldLimit: Int) throws(LogQLEvaluationError) -> [LogQLDetectedField] {
        var detector = LogQLFieldDetector(limit: fieldLimit)
        for (stream, rows) in try detectionRows(query, start: start, end: end, lineLimit: lineLimit) {
            for row in rows {
                detector.add(Dictionary(grouping: row.metadata, by: \.name).mapValues { $0.map(\.value) }, parsers: [])
                let (fields, parser) = Self.parse(row.line, stream: stream)
                var parsed = row.parsed.mapValues { [$0] }
                for (name, value) in fields { parsed[name, default: []].append(value) }
                detector.add(parsed, parsers: parser.map { [$0] })
            }
        }
        return detector.fields
    }

    /// Loki's `detected_field/{name}/values`: the distinct values field
    /// `name` takes in the lines ``detectedFields(_:start:end:lineLimit:fieldLimit:)``
    /// reads (structured metadata, the query's parsers, or a `json`/`logfmt`
    /// parse of the line), sorted, at most `valueLimit`.
    public func detectedFieldValues(_ query: LogQLLogQuery, name: String, start: Int64, end: Int64, lineLimit: Int,
                                    valueLimit: Int) throws(LogQLEvaluationError) -> [String] {
        var values = Set<String>()
        for (stream, rows) in try detectionRows(query, start: start, end: end, lineLimit: lineLimit) {
            for row in rows {
                for label in row.metadata where label.name == name { values.insert(label.value) }
                if let value = row.parsed[name] { values.insert(value) }
                if let value = Self.parse(row.line, stream: stream).0[name] { values.insert(value) }
            }
        }
        return Array(values.sorted().prefix(valueLimit))
    }

    /// One kept line of a detection.
    private struct DetectionRow {
        var stream: LogQLLabels
        var timestamp: Int64
        var line: String
        var metadata: [LogQLLabel]
        var parsed: [String: String]
        var order: Int
    }

    /// Runs `query` backward over `[start, end)`, keeps the newest
    /// `lineLimit` lines and groups them by stream (sorted), keeping their
    /// order, as Loki does.
    private func detectionRows(_ query: LogQLLogQuery, start: Int64, end: Int64,
                               lineLimit: Int) throws(LogQLEvaluationError) -> [(LogQLLabels, [DetectionRow])] {
        let pipeline = try LogQLPipeline(query.pipeline)
        var rows: [DetectionRow] = []
        for stream in try fetch(query.selector, start: start, end: end, hints: LogQLQueryHints(pipeline: query.pipeline)) {
            let streamNames = Set(stream.labels.pairs.map(\.name))
            for entry in stream.entries {
                guard let (line, labels) = pipeline.process(entry, stream: stream.labels) else { continue }
                let metadataNames = Set(entry.structuredMetadata.map(\.name))
                let parsed = labels.values.filter { name, value in
                    !value.isEmpty && !streamNames.contains(name) && !metadataNames.contains(name) && !Self.isErrorLabel(name)
                }
                rows.append(DetectionRow(stream: stream.labels, timestamp: entry.timestamp, line: line,
                                         metadata: entry.structuredMetadata, parsed: parsed, order: rows.count))
            }
        }
        rows.sort { a, b in
            if a.timestamp != b.timestamp { return a.timestamp > b.timestamp }
            if a.stream != b.stream { return a.stream < b.stream }
            return a.order > b.order
        }
        if lineLimit > 0, rows.count > lineLimit { rows.removeLast(rows.count - lineLimit) }
        return Dictionary(grouping: rows, by: \.stream).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private static func isErrorLabel(_ name: String) -> Bool {
        name == LogQLLabelsBuilder.errorLabel || name == LogQLLabelsBuilder.errorDetailsLabel || name == "__preserve_error__"
    }

    /// The labels `json`, else `logfmt`, extracts from `line`, with the parser's name; nothing when both fail.
    private static func parse(_ line: String, stream: LogQLLabels) -> ([String: String], String?) {
        var labels = LogQLLabelsBuilder(stream: stream, metadata: [])
        LogQLLineParsers.json(line, &labels)
        var parser = "json"
        if labels.hasError {
            labels = LogQLLabelsBuilder(stream: stream, metadata: [])
            LogQLLineParsers.logfmt(line, flags: LogQLLogfmtFlags(), extractions: [], &labels)
            parser = "logfmt"
            if labels.hasError { return ([:], nil) }
        }
        let streamNames = Set(stream.pairs.map(\.name))
        let fields = labels.values.filter { name, value in !value.isEmpty && !streamNames.contains(name) && !isErrorLabel(name) }
        return (fields, parser)
    }
}

/// Accumulates detected fields in first-seen order, up to a limit.
struct LogQLFieldDetector {
    private struct Field {
        var type = LogQLDetectedField.ValueType.string
        var values = Set<String>()
        var parsers: [String]?
    }

    let limit: Int
    private var order: [String] = []
    private var byName: [String: Field] = [:]

    init(limit: Int) { self.limit = limit }

    /// Adds one line's values per field name; `parsers` nil when the line did not parse.
    mutating func add(_ values: [String: [String]], parsers: [String]?) {
        for name in values.keys.sorted() {
            let vals = values[name]!
            if byName[name] == nil {
                guard order.count < limit else { continue }
                order.append(name)
                byName[name] = Field(parsers: parsers)
            }
            if let parsers {
                for parser in parsers where !(byName[name]!.parsers ?? []).contains(parser) {
                    byName[name]!.parsers = (byName[name]!.parsers ?? []) + [parser]
                }
            }
            if let first = vals.first { byName[name]!.type = LogQLDetectedField.detectType(first) }
            byName[name]!.values.formUnion(vals)
        }
    }

    /// The fields sorted by name; an empty parser list is reported as nil.
    var fields: [LogQLDetectedField] {
        order.sorted().map { name in
            let field = byName[name]!
            return LogQLDetectedField(label: name, type: field.type, cardinality: field.values.count,
                                      parsers: field.parsers?.isEmpty == false ? field.parsers : nil)
        }
    }
}
