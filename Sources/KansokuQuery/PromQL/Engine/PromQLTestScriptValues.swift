/// Reading the pieces of script lines: times, label sets and value
/// sequences (`1 2 _ stale 0+10x5`).
enum PromQLTestScriptValues {
    /// A script time: a Prometheus duration from the epoch (`0`, `5m`, `1h30m`).
    static func parseTime(_ text: String) -> Int64? {
        if let d = PromQLDuration(parsing: text) { return d.milliseconds }
        if let seconds = Double(text) { return Int64((seconds * 1000).rounded()) }
        return nil
    }

    /// A float as the scripts write them (`1`, `-Inf`, `NaN`, `1e3`, `0x1f`).
    static func parseNumber(_ text: String) -> Double? {
        if text.hasPrefix("-") || text.hasPrefix("+") {
            guard let magnitude = PromQLNumber.parse(text.dropFirst()) else { return nil }
            return text.hasPrefix("-") ? -magnitude : magnitude
        }
        return PromQLNumber.parse(text)
    }

    /// Splits `name{a="b"} 1 2 3` into the series part and the values part,
    /// honouring quoted label values that contain spaces or braces.
    static func splitSeriesLine(_ line: String) -> (String, String) {
        let chars = Array(line)
        var i = 0
        while i < chars.count, chars[i] != "{", chars[i] != " ", chars[i] != "\t" { i += 1 }
        if i < chars.count, chars[i] == "{" {
            var quote: Character? = nil
            while i < chars.count {
                let c = chars[i]
                if let q = quote {
                    if c == "\\" { i += 1 } else if c == q { quote = nil }
                } else if c == "\"" || c == "'" || c == "`" {
                    quote = c
                } else if c == "}" {
                    i += 1
                    break
                }
                i += 1
            }
        }
        return (String(chars[..<min(i, chars.count)]), String(chars[min(i, chars.count)...]).trimmingWhitespace)
    }

    /// A series description (`name{a="b"}`, `{__name__="x"}`, `{}`) as a label set.
    static func parseLabels(_ text: String) -> PromQLLabels? {
        if text == "{}" { return .empty }
        guard case .vectorSelector(let selector)? = try? PromQLParser.parse(text) else { return nil }
        var pairs: [(String, String)] = []
        for matcher in selector.matchers {
            guard matcher.op == .equal else { return nil }
            pairs.append((matcher.name, matcher.value))
        }
        return PromQLLabels(pairs)
    }

    /// Expands a value sequence of floats and native histograms (`{{…}}`);
    /// `nil` entries are gaps (`_`). Returns `nil` if a token cannot be read.
    static func expand(_ text: String) -> [PromQLTestScriptValue?]? {
        var result: [PromQLTestScriptValue?] = []
        for token in PromQLTestScriptHistogram.tokens(text) {
            if token.hasPrefix("{{") {
                guard let values = PromQLTestScriptHistogram.expand(token) else { return nil }
                result += values
            } else {
                guard let values = expandToken(token) else { return nil }
                result += values.map { $0.map(PromQLTestScriptValue.float) }
            }
        }
        return result
    }

    private static func expandToken(_ token: String) -> [Double?]? {
        if token == "_" { return [nil] }
        if token == "stale" { return [PromQLStaleness.marker] }
        // `…xN` repeats; `0x10` is "0 eleven times" in scripts, not hex.
        if let x = token.lastIndex(of: "x"), x != token.startIndex,
           let times = Int(token[token.index(after: x)...]), times >= 0 {
            let head = String(token[..<x])
            if head == "_" { return Array(repeating: nil, count: times) }
            if let a = parseNumber(head) { return Array(repeating: a, count: times + 1) }
            // a+b or a-b: the operator is the first +/- after the first
            // character that is not an exponent sign.
            let chars = Array(head)
            for i in 1..<max(chars.count, 1) where (chars[i] == "+" || chars[i] == "-") && chars[i - 1] != "e" && chars[i - 1] != "E" {
                guard let a = parseNumber(String(chars[..<i])), let b = parseNumber(String(chars[(i + 1)...])) else { return nil }
                let increment = chars[i] == "+" ? b : -b
                // Accumulate like upstream so rounding matches.
                var current = a
                var values: [Double?] = []
                for _ in 0...times {
                    values.append(current)
                    current += increment
                }
                return values
            }
            return nil
        }
        return parseNumber(token).map { [$0] }
    }
}
