import KansokuModel

/// Parses Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text
/// into samples and family metadata, as Prometheus's `textparse` does:
///
/// - `# HELP`, `# TYPE` (and in OpenMetrics `# UNIT` and the required final
///   `# EOF`) become `MetricFamilyMetadata`; other text-format comments are ignored.
/// - Label values and HELP text unescape `\\`, `\"` (values only) and `\n`.
/// - Values accept `NaN`, `+Inf`, `-Inf`; timestamps are integer milliseconds
///   in the text format and (fractional) seconds in OpenMetrics.
/// - OpenMetrics exemplars (`… # {trace_id="x"} 1 1.5`) are kept with their
///   sample; `_created` series of counters, histograms and summaries are
///   skipped (Prometheus's default without created-timestamp ingestion).
/// - Quoted UTF-8 metric and label names (`{"my.metric", "a.b"="c"}`) are read.
public struct PrometheusTextParser: Sendable {
    public let format: ExpositionFormat

    public init(format: ExpositionFormat) { self.format = format }

    private var strict: Bool { format == .openMetrics }

    /// Parses a whole body; the first malformed line fails the whole scrape,
    /// as it does in Prometheus.
    public func parse(_ body: [UInt8]) throws(ExpositionParseError) -> ExpositionParseResult {
        var state = State()
        var lineStart = 0
        var lineNumber = 0
        while lineStart < body.count {
            let newline = body[lineStart...].firstIndex(of: 0x0A) ?? body.count
            var line = body[lineStart..<newline]
            lineNumber += 1
            lineStart = newline + 1
            if !strict, line.last == 0x0D { line = line.dropLast() }
            func fail(_ reason: String) -> ExpositionParseError {
                ExpositionParseError(line: lineNumber, text: String(decoding: line, as: UTF8.self), reason: reason)
            }
            if state.sawEOF { throw fail("unexpected data after # EOF") }
            do {
                try parseLine(line, into: &state)
            } catch {
                throw fail(error.message)
            }
        }
        if strict && !state.sawEOF {
            throw ExpositionParseError(line: lineNumber, text: "", reason: "data does not end with # EOF")
        }
        return ExpositionParseResult(samples: state.samples, metadata: state.familyOrder.compactMap { state.families[$0] })
    }

    /// What parsing has gathered so far.
    private struct State {
        var samples: [ScrapedSample] = []
        var families: [String: MetricFamilyMetadata] = [:]
        var familyOrder: [String] = []
        var sawEOF = false
        /// The family of the last `# TYPE` line, for skipping `_created` series.
        var currentFamily: (name: String, kind: MetricFamilyMetadata.Kind)?

        mutating func update(_ family: String, _ change: (inout MetricFamilyMetadata) -> Void) {
            if families[family] == nil {
                families[family] = MetricFamilyMetadata(family: family, kind: .unknown)
                familyOrder.append(family)
            }
            change(&families[family]!)
        }
    }

    private typealias Failure = ExpositionLineCursor.Failure

    private func parseLine(_ line: ArraySlice<UInt8>, into state: inout State) throws(Failure) {
        var cursor = ExpositionLineCursor(line)
        if !strict { cursor.skipBlanks() }
        guard let first = cursor.peek else {
            if strict { throw Failure(message: "unexpected empty line") }
            return
        }
        if first == 0x23 {
            try parseComment(&cursor, into: &state)
        } else if let sample = try parseSample(&cursor, state: state) {
            state.samples.append(sample)
        }
    }

    private func parseComment(_ cursor: inout ExpositionLineCursor, into state: inout State) throws(Failure) {
        _ = cursor.take(0x23)
        if strict {
            let text = cursor.rest()
            if text == " EOF" { state.sawEOF = true; return }
            cursor = ExpositionLineCursor(cursor.bytes)
            cursor.index += 1
            guard cursor.take(0x20) else { throw Failure(message: "expected a space after #") }
        } else if !cursor.separator(strict: false) {
            return
        }
        let keyword = cursor.word()
        guard ["HELP", "TYPE"].contains(keyword) || (strict && keyword == "UNIT") else {
            if strict { throw Failure(message: "invalid metadata keyword \"\(keyword)\"") }
            return
        }
        guard cursor.separator(strict: strict) else { throw Failure(message: cursor.expected("expected metric name after \(keyword)")) }
        let family: String
        if let name = cursor.name() {
            family = name
        } else if let quoted = try cursor.quoted() {
            family = quoted
        } else {
            throw Failure(message: cursor.expected("expected metric name after \(keyword)"))
        }
        let hasText = cursor.separator(strict: strict)
        if !hasText && !cursor.atEnd { throw Failure(message: cursor.expected("invalid metric name in \(keyword)")) }
        let text = cursor.rest()
        switch keyword {
        case "HELP":
            let help = unescapeHelp(text)
            state.update(family) { $0.help = help }
        case "UNIT":
            state.update(family) { $0.unit = text }
        default:
            guard let kind = Self.kind(text, strict: strict) else { throw Failure(message: "invalid metric type \"\(text)\"") }
            state.update(family) { $0.kind = kind }
            state.currentFamily = (family, kind)
        }
    }

    static func kind(_ text: String, strict: Bool) -> MetricFamilyMetadata.Kind? {
        switch text {
        case "counter": .counter
        case "gauge": .gauge
        case "histogram": .histogram
        case "summary": .summary
        case "untyped" where !strict: .unknown
        case "unknown" where strict: .unknown
        case "gaugehistogram" where strict: .gaugehistogram
        case "info" where strict: .info
        case "stateset" where strict: .stateset
        default: nil
        }
    }

    private func unescapeHelp(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "\\": out.append("\\")
                case "\"" where strict: out.append("\"")
                default: out.append("\\"); out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        if escaping { out.append("\\") }
        return out
    }

    /// One sample line; nil when it is a `_created` series to skip.
    private func parseSample(_ cursor: inout ExpositionLineCursor, state: State) throws(Failure) -> ScrapedSample? {
        var metricName = cursor.name()
        var pairs: [(String, String)] = []
        if cursor.peek == 0x7B {
            pairs = try parseLabels(&cursor, metricName: &metricName)
        }
        guard let metricName else { throw Failure(message: cursor.expected("expected metric name")) }
        guard cursor.separator(strict: strict) else { throw Failure(message: cursor.expected("expected value after metric")) }
        let valueText = cursor.word()
        guard let value = Double(valueText) else { throw Failure(message: "strconv.ParseFloat: parsing \"\(valueText)\": invalid syntax") }
        var timestamp: Int64?
        var exemplar: ScrapedExemplar?
        if strict {
            if cursor.take(0x20) {
                if cursor.peek != 0x23 {
                    timestamp = try parseSeconds(cursor.word())
                    if !cursor.atEnd && !cursor.take(0x20) { throw Failure(message: cursor.expected("expected next entry after timestamp")) }
                }
                if cursor.peek == 0x23 { exemplar = try parseExemplar(&cursor) }
            }
            if !cursor.atEnd { throw Failure(message: cursor.expected("expected next entry after timestamp")) }
        } else {
            cursor.skipBlanks()
            if !cursor.atEnd {
                let text = cursor.word()
                guard let milliseconds = Int64(text) else { throw Failure(message: "invalid timestamp \"\(text)\"") }
                timestamp = milliseconds
                cursor.skipBlanks()
                if !cursor.atEnd { throw Failure(message: cursor.expected("expected next entry after timestamp")) }
            }
        }
        if strict, let family = state.currentFamily, Self.isCreatedSeries(metricName, family: family) { return nil }
        var seen = Set<String>()
        for (name, _) in pairs where !seen.insert(name).inserted {
            throw Failure(message: "label name \"\(name)\" is not unique")
        }
        pairs.append((SeriesLabels.metricName, metricName))
        return ScrapedSample(labels: SeriesLabels(pairs), value: value, timestamp: timestamp, exemplar: exemplar)
    }

    private static func isCreatedSeries(_ name: String, family: (name: String, kind: MetricFamilyMetadata.Kind)) -> Bool {
        switch family.kind {
        case .counter, .histogram, .summary: name == family.name + "_created"
        case .gaugehistogram: name == family.name + "_gcreated"
        default: false
        }
    }

    private func parseSeconds(_ text: Substring) throws(Failure) -> Int64 {
        guard let seconds = Double(text), seconds.isFinite else { throw Failure(message: "invalid timestamp \"\(text)\"") }
        return Int64((seconds * 1000).rounded())
    }

    /// `{name="value", …}`; a quoted name not followed by `=` is the metric name.
    private func parseLabels(_ cursor: inout ExpositionLineCursor, metricName: inout String?) throws(Failure) -> [(String, String)] {
        _ = cursor.take(0x7B)
        var pairs: [(String, String)] = []
        while true {
            if !strict { cursor.skipBlanks() }
            if cursor.take(0x7D) { return pairs }
            let name: String
            var isQuoted = false
            if let plain = cursor.name(allowColon: false) {
                name = plain
            } else if let quoted = try cursor.quoted() {
                name = quoted
                isQuoted = true
            } else {
                throw Failure(message: cursor.expected("expected label name"))
            }
            if !strict { cursor.skipBlanks() }
            if isQuoted && metricName == nil && (cursor.peek == 0x2C || cursor.peek == 0x7D) {
                metricName = name
            } else {
                guard cursor.take(0x3D) else { throw Failure(message: cursor.expected("expected equal")) }
                if !strict { cursor.skipBlanks() }
                guard let value = try cursor.quoted() else { throw Failure(message: cursor.expected("expected label value")) }
                pairs.append((name, value))
                if !strict { cursor.skipBlanks() }
            }
            if cursor.take(0x2C) { continue }
            guard cursor.take(0x7D) else { throw Failure(message: cursor.expected("expected comma or closing brace")) }
            return pairs
        }
    }

    /// `# {labels} value [timestamp]` after an OpenMetrics sample.
    private func parseExemplar(_ cursor: inout ExpositionLineCursor) throws(Failure) -> ScrapedExemplar {
        _ = cursor.take(0x23)
        guard cursor.take(0x20), cursor.peek == 0x7B else { throw Failure(message: cursor.expected("expected exemplar labels")) }
        var unused: String? = "exemplar"
        let pairs = try parseLabels(&cursor, metricName: &unused)
        guard cursor.take(0x20) else { throw Failure(message: cursor.expected("expected value after exemplar labels")) }
        let valueText = cursor.word()
        guard let value = Double(valueText) else { throw Failure(message: "strconv.ParseFloat: parsing \"\(valueText)\": invalid syntax") }
        var timestamp: Int64?
        if cursor.take(0x20) { timestamp = try parseSeconds(cursor.word()) }
        return ScrapedExemplar(labels: SeriesLabels(pairs), value: value, timestamp: timestamp)
    }
}
