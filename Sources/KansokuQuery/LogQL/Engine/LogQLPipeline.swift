/// A compiled log pipeline (`LogQLLogQuery.pipeline`) that turns one entry
/// into a processed line plus its final labels, or drops it.
struct LogQLPipeline: @unchecked Sendable {
    static let templateError = "TemplateFormatErr"

    private enum Stage {
        case lineFilter(LogQLLineFilterEvaluator)
        /// With a set, only those labels are taken (``init(_:labelsRead:)``).
        case json([LogQLLabelExtraction], keeping: Set<String>?)
        case logfmt(LogQLLogfmtFlags, [LogQLLabelExtraction])
        case regexp(LogQLRegexpParser)
        case pattern(LogQLPattern)
        case unpack
        case labelFilter(LogQLLabelFilterEvaluator)
        case lineFormat(LogQLTemplate)
        case labelFormat([(target: String, rename: String?, template: LogQLTemplate?)])
        case drop([LogQLNamedMatcher], [LogQLCompiledMatcher?])
        case keep([LogQLNamedMatcher], [LogQLCompiledMatcher?])
        case decolorize
    }

    private let stages: [Stage]
    /// The labels a bare `| json` builds, when it builds only those (``init(_:labelsRead:)``).
    private let jsonLabelsRead: Set<String>?

    /// Compiles `stages`; fails on invalid regexes, patterns and templates.
    ///
    /// `labelsRead`: the only labels the caller reads from the result, when
    /// it knows (a `sum by (level)` folded into `count_over_time`, and an
    /// unwrapped label). When the last stage that touches labels is a bare
    /// `| json` followed only by filters, it then builds just those labels
    /// and the ones the filters read, rather than every field of every line.
    init(_ stages: [LogQLPipelineStage], labelsRead: Set<String>? = nil) throws(LogQLEvaluationError) {
        var compiled: [Stage] = []
        for stage in stages {
            switch stage {
            case .lineFilter(let f): compiled.append(.lineFilter(try LogQLLineFilterEvaluator(f)))
            case .parser(.json(let e)): compiled.append(.json(e, keeping: nil))
            case .parser(.logfmt(let flags, let e)): compiled.append(.logfmt(flags, e))
            case .parser(.regexp(let r)): compiled.append(.regexp(try LogQLRegexpParser(r)))
            case .parser(.pattern(let p)): compiled.append(.pattern(try LogQLPattern(p, requireNamed: true)))
            case .parser(.unpack): compiled.append(.unpack)
            case .labelFilter(let f): compiled.append(.labelFilter(try LogQLLabelFilterEvaluator(f)))
            case .lineFormat(let t): compiled.append(.lineFormat(try LogQLTemplate(t)))
            case .labelFormat(let formats):
                var items: [(target: String, rename: String?, template: LogQLTemplate?)] = []
                for f in formats {
                    switch f.value {
                    case .rename(let src): items.append((f.target, src, nil))
                    case .template(let t): items.append((f.target, nil, try LogQLTemplate(t)))
                    }
                }
                compiled.append(.labelFormat(items))
            case .drop(let names): compiled.append(.drop(names, try Self.compile(names)))
            case .keep(let names): compiled.append(.keep(names, try Self.compile(names)))
            case .decolorize: compiled.append(.decolorize)
            }
        }
        jsonLabelsRead = Self.narrowJSON(&compiled, stages, labelsRead: labelsRead)
        self.stages = compiled
    }

    /// When the last stage that parses or changes labels is a bare `| json`
    /// and only filters and `keep`/`drop` follow it, and what is read after
    /// them is known (`labelsRead`, or what a `keep` leaves), that `| json`
    /// is made to build only the labels read after it (`compiled` is
    /// changed), which are returned: `labelsRead`, the labels the filters
    /// name, kept to a `keep`'s names, and those whose values `keep`/`drop`
    /// matchers test.
    private static func narrowJSON(_ compiled: inout [Stage], _ stages: [LogQLPipelineStage],
                                   labelsRead: Set<String>?) -> Set<String>? {
        var read = labelsRead  // nil: every label
        for index in stages.indices.reversed() {
            switch stages[index] {
            case .lineFilter: continue
            case .labelFilter(let filter): read?.formUnion(filter.labelNames)
            case .keep(let names):
                let kept = Set(names.map(Self.name))
                read = (read?.intersection(kept) ?? kept).union(matcherNames(names))
            case .drop(let names): read?.formUnion(matcherNames(names))
            case .parser(.json(let extractions)) where extractions.isEmpty:
                guard let read else { return nil }
                compiled[index] = .json([], keeping: read)
                return read
            default: return nil
            }
        }
        return nil
    }

    private static func matcherNames(_ names: [LogQLNamedMatcher]) -> Set<String> {
        Set(names.compactMap { if case .matcher(let m) = $0 { m.name } else { nil } })
    }

    /// The starting labels of `stream`'s lines for ``process(_:stream:)``,
    /// with what this pipeline works out once per stream.
    func base(_ stream: LogQLLabels) -> LogQLLabelsBuilder.Base {
        LogQLLabelsBuilder.Base(stream, jsonLabelsRead: jsonLabelsRead)
    }

    private static func compile(_ names: [LogQLNamedMatcher]) throws(LogQLEvaluationError) -> [LogQLCompiledMatcher?] {
        var out: [LogQLCompiledMatcher?] = []
        for n in names {
            if case .matcher(let m) = n { out.append(try LogQLCompiledMatcher(m)) } else { out.append(nil) }
        }
        return out
    }

    /// Runs the stages; `nil` when the line is filtered out.
    func process(_ entry: LogQLEntry, stream: LogQLLabels) -> (line: String, labels: LogQLLabelsBuilder)? {
        process(entry, stream: base(stream))
    }

    /// ``process(_:stream:)`` for callers that run many lines of one stream
    /// (`stream` from ``base(_:)``).
    func process(_ entry: LogQLEntry, stream: LogQLLabelsBuilder.Base) -> (line: String, labels: LogQLLabelsBuilder)? {
        var line = entry.line
        var labels = LogQLLabelsBuilder(base: stream, metadata: entry.structuredMetadata)
        // By index: `for stage in stages` copies every stage for every line,
        // retaining and releasing what it holds.
        for index in stages.indices {
            switch stages[index] {
            case .lineFilter(let f): if !f.keeps(line) { return nil }
            case .json(let e, let keeping):
                if !e.isEmpty {
                    LogQLLineParsers.json(line, e, &labels)
                } else if let keeping {
                    LogQLLineParsers.json(line, &labels, fields: stream.jsonFieldsRead ?? labels.parsedLabelNames(storedAs: keeping))
                } else {
                    LogQLLineParsers.json(line, &labels, fields: nil)
                }
            case .logfmt(let flags, let e): LogQLLineParsers.logfmt(line, flags: flags, extractions: e, &labels)
            case .regexp(let parser): parser.apply(line, &labels)
            case .pattern(let pattern): pattern.forEachCapture(line) { labels.setParsed($0, $1) }
            case .unpack: LogQLLineParsers.unpack(&line, &labels)
            case .labelFilter(let f): if !f.keeps(&labels) { return nil }
            case .lineFormat(let template):
                do {
                    line = try template.render(labels: labels.values, line: line, timestamp: entry.timestamp)
                } catch {
                    labels.setError(Self.templateError, details: error.description)
                }
            case .labelFormat(let items):
                var data: [String: String]?
                for item in items {
                    if let src = item.rename {
                        if let v = labels.get(src) { labels.delete(src); labels.set(item.target, v) }
                    } else if let template = item.template {
                        // Loki snapshots the labels once per stage, at the first template.
                        let snapshot = data ?? labels.values
                        data = snapshot
                        do {
                            labels.set(item.target, try template.render(labels: snapshot, line: line, timestamp: entry.timestamp))
                        } catch {
                            labels.setError(Self.templateError, details: error.description)
                        }
                    }
                }
            case .drop(let names, let matchers):
                labels.filter { name, value in !Self.selects(names, matchers, name, value) }
                // `filter` keeps error labels; drop may remove them explicitly.
                for (n, m) in zip(names, matchers) where Self.isErrorLabel(n) {
                    let name = m?.name ?? Self.name(n)
                    if m?.matches(labels.get(name) ?? "") ?? true { labels.delete(name) }
                }
            case .keep(let names, let matchers):
                labels.filter { name, value in Self.selects(names, matchers, name, value) }
            case .decolorize: line = Self.decolorize(line)
            }
        }
        return (line, labels)
    }

    private static func name(_ n: LogQLNamedMatcher) -> String {
        switch n {
        case .name(let s): return s
        case .matcher(let m): return m.name
        }
    }

    private static func isErrorLabel(_ n: LogQLNamedMatcher) -> Bool {
        [LogQLLabelsBuilder.errorLabel, LogQLLabelsBuilder.errorDetailsLabel].contains(name(n))
    }

    private static func selects(_ names: [LogQLNamedMatcher], _ matchers: [LogQLCompiledMatcher?],
                                _ label: String, _ value: String) -> Bool {
        zip(names, matchers).contains { n, m in
            if let m { return m.name == label && m.matches(value) }
            return name(n) == label
        }
    }

    /// Removes ANSI SGR sequences (`ESC [ ... m`). Works on the UTF-8
    /// bytes (ESC, `[`, digits, `;` and `m` are ASCII and never inside a
    /// longer character); a line without ESC is returned as it is.
    static func decolorize(_ line: String) -> String {
        line.withUTF8Bytes { bytes in
            guard var escape = bytes.firstIndex(of: 0x1B) else { return line }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var copied = 0
            while true {
                if escape + 1 < bytes.count, bytes[escape + 1] == UInt8(ascii: "[") {
                    var j = escape + 2
                    while j < bytes.count, (0x30...0x39).contains(bytes[j]) || bytes[j] == UInt8(ascii: ";") { j += 1 }
                    if j < bytes.count, bytes[j] == UInt8(ascii: "m") {
                        out.append(contentsOf: bytes[copied..<escape])
                        copied = j + 1
                    }
                }
                guard let next = bytes[(escape + 1)...].firstIndex(of: 0x1B) else { break }
                escape = next
            }
            out.append(contentsOf: bytes[copied...])
            return String(decoding: out, as: UTF8.self)
        }
    }
}
