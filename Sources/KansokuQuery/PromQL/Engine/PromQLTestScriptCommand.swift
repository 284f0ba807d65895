/// One command of an upstream PromQL `.test` script (format: FORMAT.md next
/// to the scripts), parsed but not yet run.
enum PromQLTestScriptCommand {
    /// `load <interval>` / `load_with_nhcb <interval>` with its series lines.
    case load(PromQLTestScriptLoad)
    /// `clear`: drop all data.
    case clear
    /// An `eval*` command.
    case eval(PromQLTestScriptEval)
}

/// A `load` block.
struct PromQLTestScriptLoad {
    var line: Int
    var interval: Int64
    /// `load_with_nhcb`: classic histograms are also converted to native
    /// ones, which this engine cannot store.
    var withNativeHistogramConversion: Bool
    /// `(line number, text)` of each series line.
    var series: [(Int, String)]
}

/// An `eval` command and its expectations.
struct PromQLTestScriptEval {
    enum Mode {
        case instant(at: Int64)
        case range(start: Int64, end: Int64, step: Int64)
    }

    /// An expected output series (or, with no labels and `isScalar`, a scalar).
    struct ExpectedSeries {
        var labels: PromQLLabels
        /// One entry per step; `nil` means "no point at this step".
        var values: [PromQLTestScriptValue?]
        var line: Int
        /// The line states histograms' counter-reset hints, so they are compared.
        var checksHint = false
    }

    var line: Int
    var expression: String
    var mode: Mode
    var expectsFailure = false
    var failMessage: String?
    var failRegex: String?
    var ordered = false
    /// `expect range vector from … to … step …`: an instant query returning a matrix.
    var rangeVector: (start: Int64, end: Int64, step: Int64)?
    var expectedString: String?
    var expectedScalar: Double?
    var expected: [ExpectedSeries] = []
    /// The block had a line this runner could not read.
    var malformed: String?
    /// `expect warn`/`expect info` lines (or `eval_warn`/`eval_info`):
    /// annotations are not produced yet, so these are not checked.
    var expectsAnnotations = false
}

/// Splits a script into commands.
enum PromQLTestScriptParser {
    static func parse(_ text: String) -> [PromQLTestScriptCommand] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace }
        var commands: [PromQLTestScriptCommand] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let number = i + 1
            i += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            // `clear` has no block; the next line may be a command.
            if line == "clear" {
                commands.append(.clear)
                continue
            }
            // The block: following lines up to an empty or comment line.
            var block: [(Int, String)] = []
            while i < lines.count, !lines[i].isEmpty, !lines[i].hasPrefix("#") {
                block.append((i + 1, lines[i]))
                i += 1
            }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            switch words[0] {
            case "load", "load_with_nhcb":
                let interval = words.count > 1 ? PromQLTestScriptValues.parseTime(words[1]) ?? 0 : 0
                commands.append(.load(PromQLTestScriptLoad(line: number, interval: interval,
                                                           withNativeHistogramConversion: words[0] == "load_with_nhcb", series: block)))
            default:
                if words[0].hasPrefix("eval"), let eval = parseEval(line, words: words, number: number, block: block) {
                    commands.append(.eval(eval))
                }
            }
        }
        return commands
    }

    private static func parseEval(_ line: String, words: [String], number: Int, block: [(Int, String)]) -> PromQLTestScriptEval? {
        let command = words[0]
        guard words.count >= 2 else { return nil }
        let isRange = words[1] == "range"
        let skip = isRange ? 8 : 4
        guard words.count > skip else { return nil }
        // The expression is the rest of the line after the header words.
        var rest = Substring(line)
        for _ in 0..<skip {
            rest = rest.drop { $0 != " " && $0 != "\t" }.drop { $0 == " " || $0 == "\t" }
        }
        let mode: PromQLTestScriptEval.Mode
        if isRange {
            guard let start = PromQLTestScriptValues.parseTime(words[3]), let end = PromQLTestScriptValues.parseTime(words[5]),
                  let step = PromQLTestScriptValues.parseTime(words[7]) else { return nil }
            mode = .range(start: start, end: end, step: step)
        } else {
            guard let at = PromQLTestScriptValues.parseTime(words[3]) else { return nil }
            mode = .instant(at: at)
        }
        var eval = PromQLTestScriptEval(line: number, expression: String(rest), mode: mode)
        eval.expectsFailure = command == "eval_fail"
        eval.ordered = command == "eval_ordered"
        eval.expectsAnnotations = command == "eval_warn" || command == "eval_info"
        for (lineNumber, text) in block {
            parseBodyLine(text, lineNumber: lineNumber, into: &eval)
        }
        return eval
    }

    private static func parseBodyLine(_ text: String, lineNumber: Int, into eval: inout PromQLTestScriptEval) {
        if text.hasPrefix("expect ") {
            let body = text.dropFirst("expect ".count).trimmingWhitespace
            if body.hasPrefix("fail") {
                eval.expectsFailure = true
                if let r = body.firstRange(of: "msg:") { eval.failMessage = String(body[r.upperBound...]).trimmingWhitespace }
                if let r = body.firstRange(of: "regex:") { eval.failRegex = String(body[r.upperBound...]).trimmingWhitespace }
            } else if body == "ordered" {
                eval.ordered = true
            } else if body.hasPrefix("range vector") {
                let w = body.split(separator: " ").map(String.init)
                if w.count >= 8, let a = PromQLTestScriptValues.parseTime(w[3]), let b = PromQLTestScriptValues.parseTime(w[5]),
                   let s = PromQLTestScriptValues.parseTime(w[7]) {
                    eval.rangeVector = (a, b, s)
                } else {
                    eval.malformed = "unreadable: \(text)"
                }
            } else if body.hasPrefix("string") {
                let literal = String(body.dropFirst("string".count)).trimmingWhitespace
                if case .string(let s)? = try? PromQLParser.parse(literal) { eval.expectedString = s } else { eval.malformed = "unreadable: \(text)" }
            }
            // `no_warn`/`no_info` hold trivially while no annotations are
            // produced; `warn`/`info` cannot be met yet.
            if body.hasPrefix("warn") || body.hasPrefix("info") {
                eval.expectsAnnotations = true
            }
            return
        }
        if text.hasPrefix("expected_fail_message") {
            eval.failMessage = String(text.dropFirst("expected_fail_message".count)).trimmingWhitespace
            return
        }
        if text.hasPrefix("expected_fail_regexp") {
            eval.failRegex = String(text.dropFirst("expected_fail_regexp".count)).trimmingWhitespace
            return
        }
        let (labelText, valueText) = PromQLTestScriptValues.splitSeriesLine(text)
        if valueText.isEmpty, let scalar = PromQLTestScriptValues.parseNumber(labelText) {
            eval.expectedScalar = scalar
            return
        }
        guard let labels = PromQLTestScriptValues.parseLabels(labelText),
              let values = PromQLTestScriptValues.expand(valueText) else {
            eval.malformed = "unreadable expected line \(lineNumber): \(text)"
            return
        }
        eval.expected.append(.init(labels: labels, values: values, line: lineNumber, checksHint: text.contains("counter_reset_hint")))
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (no Foundation).
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
