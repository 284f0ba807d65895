/// A compiled `pattern` expression (`<ip> - <_> "<method> <uri>"`).
///
/// Follows Loki's matcher: a leading literal must match at the start of the
/// line; each capture extends to the next occurrence of the following
/// literal; when that literal is missing the capture takes the rest of the
/// line and matching stops; a trailing capture takes the rest of the line.
struct LogQLPattern: Sendable {
    enum Node: Sendable, Equatable {
        case literal(String)
        case capture(String?)
    }
    let nodes: [Node]

    /// Parses; `requireNamed` is Loki's parser-stage rule (not line filters).
    init(_ expression: String, requireNamed: Bool) throws(LogQLEvaluationError) {
        var nodes: [Node] = []
        var literal = ""
        var rest = Substring(expression)
        while let c = rest.first {
            if c == "<", let close = rest.firstIndex(of: ">") {
                let name = rest[rest.index(after: rest.startIndex)..<close]
                let valid = !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
                    && !(name.first?.isNumber ?? true)
                if valid {
                    if !literal.isEmpty { nodes.append(.literal(literal)); literal = "" }
                    if case .capture? = nodes.last { throw .invalidPattern("found consecutive capture '\(name)'") }
                    nodes.append(.capture(name == "_" ? nil : String(name)))
                    rest = rest[rest.index(after: close)...]
                    continue
                }
            }
            literal.append(c)
            rest = rest.dropFirst()
        }
        if !literal.isEmpty { nodes.append(.literal(literal)) }
        let names = nodes.compactMap { if case .capture(let n?) = $0 { n } else { nil } }
        if requireNamed, names.isEmpty { throw .invalidPattern("at least one capture is required") }
        if Set(names).count != names.count { throw .invalidPattern("duplicate capture name") }
        self.nodes = nodes
    }

    /// Named captures in order (possibly fewer than the pattern declares).
    func captures(_ line: String) -> [(String, String)] {
        guard !line.isEmpty, !nodes.isEmpty else { return [] }
        var rest = Substring(line)
        var expr = nodes[...]
        if case .literal(let lit)? = expr.first {
            guard rest.hasPrefix(lit) else { return [] }
            rest = rest.dropFirst(lit.count)
            expr = expr.dropFirst()
        }
        var out: [(String, String)] = []
        while let node = expr.popFirst() {
            guard case .capture(let name) = node else { continue }
            guard case .literal(let lit)? = expr.popFirst() else {
                if let name { out.append((name, String(rest))) }
                return out
            }
            guard let range = rest.firstRange(of: lit) else {
                if let name { out.append((name, String(rest))) }
                return out
            }
            if let name { out.append((name, String(rest[..<range.lowerBound]))) }
            rest = rest[range.upperBound...]
        }
        return out
    }

    /// Whole-line match for the `|>` / `!>` line filters.
    func matchesWholeLine(_ line: String) -> Bool {
        var rest = Substring(line)
        var previousWasCapture = false
        for (i, node) in nodes.enumerated() {
            switch node {
            case .capture: previousWasCapture = true
            case .literal(let lit):
                if !previousWasCapture {
                    guard rest.hasPrefix(lit) else { return false }
                    rest = rest.dropFirst(lit.count)
                } else if i == nodes.count - 1 {
                    guard rest.hasSuffix(lit) else { return false }
                    rest = rest.suffix(0)
                } else {
                    guard let range = rest.firstRange(of: lit) else { return false }
                    rest = rest[range.upperBound...]
                }
                previousWasCapture = false
            }
        }
        return previousWasCapture || rest.isEmpty
    }
}

/// A compiled `regexp` parser stage: named groups become labels. When the
/// expression matches, every named group is set, an unmatched (optional)
/// group to the empty string, as Loki does.
struct LogQLRegexpParser: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    let names: [String]

    init(_ expression: String) throws(LogQLEvaluationError) {
        regex = try LogQLRegexCache.compile(expression)
        // Collect group names from the source: `(?P<name>` and `(?<name>`.
        var names: [String] = []
        var rest = Substring(expression)
        while let range = rest.firstRange(of: "(?") {
            rest = rest[range.upperBound...]
            if rest.hasPrefix("P<") { rest = rest.dropFirst(2) } else if rest.hasPrefix("<"), !rest.hasPrefix("<="), !rest.hasPrefix("<!") {
                rest = rest.dropFirst()
            } else { continue }
            if let close = rest.firstIndex(of: ">") { names.append(String(rest[..<close])) }
        }
        guard !names.isEmpty else { throw .regexpWithoutNamedGroups }
        self.names = names
    }

    func apply(_ line: String, _ labels: inout LogQLLabelsBuilder) {
        guard let match = line.firstMatch(of: regex) else { return }
        for name in names {
            labels.setParsed(name, match.output[name]?.substring.map(String.init) ?? "")
        }
    }
}
