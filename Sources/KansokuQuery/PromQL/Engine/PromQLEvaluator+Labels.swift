/// `label_replace` and `label_join`.
extension PromQLEvaluator {
    func labelReplace(_ args: [PromQLExpression], at t: Int64) throws -> [PromQLElement] {
        let destination = try string(args[1], at: t)
        let replacement = try string(args[2], at: t)
        let sourceLabel = try string(args[3], at: t)
        let pattern = try string(args[4], at: t)
        let compiled: Regex<AnyRegexOutput>
        do {
            compiled = try regex(pattern)
        } catch {
            throw PromQLEvaluationError.execution("invalid regular expression in label_replace(): \(pattern)")
        }
        guard Self.isValidLabelName(destination) else {
            throw PromQLEvaluationError.execution("invalid destination label name in label_replace(): \(destination)")
        }
        var out = try vector(args[0], at: t)
        for i in out.indices {
            let value = out[i].labels[sourceLabel] ?? ""
            // Upstream anchors the pattern: ^(?s:pattern)$.
            guard let match = try? compiled.wholeMatch(in: value) else { continue }
            let groups = match.output.map { $0.substring.map(String.init) ?? "" }
            out[i].labels = out[i].labels.setting(destination, to: Self.expand(replacement, groups: groups, names: match.output))
            out[i].dropName = destination == PromQLLabelMatcher.metricNameLabel ? false : out[i].dropName
        }
        return out
    }

    func labelJoin(_ args: [PromQLExpression], at t: Int64) throws -> [PromQLElement] {
        let destination = try string(args[1], at: t)
        let separator = try string(args[2], at: t)
        let sources = try args.dropFirst(3).map { try string($0, at: t) }
        for source in sources where !Self.isValidLabelName(source) {
            throw PromQLEvaluationError.execution("invalid source label name in label_join(): \(source)")
        }
        guard Self.isValidLabelName(destination) else {
            throw PromQLEvaluationError.execution("invalid destination label name in label_join(): \(destination)")
        }
        var out = try vector(args[0], at: t)
        for i in out.indices {
            let joined = sources.map { out[i].labels[$0] ?? "" }.joined(separator: separator)
            out[i].labels = out[i].labels.setting(destination, to: joined)
            out[i].dropName = destination == PromQLLabelMatcher.metricNameLabel ? false : out[i].dropName
        }
        return out
    }

    /// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}` and `$$`.
    /// A `$name` reference takes the longest run of name characters, so
    /// `$1x` refers to a group named `1x` (empty), as in Go.
    static func expand(_ template: String, groups: [String], names: AnyRegexOutput) -> String {
        var result = ""
        let chars = Array(template.unicodeScalars)
        var i = 0
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
        }
        func lookup(_ name: String) -> String {
            if let index = Int(name) { return index < groups.count ? groups[index] : "" }
            for element in names where element.name == name { return element.substring.map(String.init) ?? "" }
            return ""
        }
        while i < chars.count {
            let c = chars[i]
            guard c == "$", i + 1 < chars.count else {
                result.unicodeScalars.append(c)
                i += 1
                continue
            }
            let next = chars[i + 1]
            if next == "$" {
                result += "$"
                i += 2
            } else if next == "{" {
                var j = i + 2
                while j < chars.count, isNameChar(chars[j]) { j += 1 }
                if j < chars.count, chars[j] == "}", j > i + 2 {
                    result += lookup(String(String.UnicodeScalarView(chars[(i + 2)..<j])))
                    i = j + 1
                } else {
                    result += "$"
                    i += 1
                }
            } else if isNameChar(next) {
                var j = i + 1
                while j < chars.count, isNameChar(chars[j]) { j += 1 }
                result += lookup(String(String.UnicodeScalarView(chars[(i + 1)..<j])))
                i = j
            } else {
                result += "$"
                i += 1
            }
        }
        return result
    }
}
