import KansokuModel

/// A compiled `pattern` expression (`<ip> - <_> "<method> <uri>"`).
///
/// Follows Loki's matcher: a leading literal must match at the start of the
/// line; each capture extends to the next occurrence of the following
/// literal; when that literal is missing the capture takes the rest of the
/// line and matching stops; a trailing capture takes the rest of the line.
/// Literals are matched on UTF-8 bytes, as Loki does (not as Swift compares
/// characters, which would, say, not find `e` in an `e` with a combining accent).
struct LogQLPattern: Sendable {
    enum Node: Sendable, Equatable {
        case literal(String)
        case capture(String?)
    }
    let nodes: [Node]
    /// Each node's literal as UTF-8 (empty for a capture).
    private let literals: [[UInt8]]

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
        literals = nodes.map { if case .literal(let text) = $0 { Array(text.utf8) } else { [] } }
    }

    /// Named captures in order (possibly fewer than the pattern declares).
    func captures(_ line: String) -> [(String, String)] {
        guard !line.isEmpty, !nodes.isEmpty else { return [] }
        return line.withUTF8Bytes { bytes in
            var out: [(String, String)] = []
            func capture(_ name: String?, _ range: Range<Int>) {
                if let name { out.append((name, String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self))) }
            }
            var position = 0
            var node = 0
            if case .literal = nodes[0] {
                guard hasLiteral(0, in: bytes, at: position) else { return [] }
                position = literals[0].count
                node = 1
            }
            // Nodes alternate: a capture, then the literal that ends it.
            while node < nodes.count {
                guard case .capture(let name) = nodes[node] else { node += 1; continue }
                guard node + 1 < nodes.count else {
                    capture(name, position..<bytes.count)
                    return out
                }
                let literal = literals[node + 1]
                let found = literal.withUnsafeBytes { bytes.firstOffset(of: $0, from: position) }
                guard let found else {
                    capture(name, position..<bytes.count)
                    return out
                }
                capture(name, position..<found)
                position = found + literal.count
                node += 2
            }
            return out
        }
    }

    /// Whole-line match for the `|>` / `!>` line filters.
    func matchesWholeLine(_ line: String) -> Bool {
        line.withUTF8Bytes { bytes in
            var position = 0
            var previousWasCapture = false
            for (i, node) in nodes.enumerated() {
                guard case .literal = node else { previousWasCapture = true; continue }
                let length = literals[i].count
                if !previousWasCapture {
                    guard hasLiteral(i, in: bytes, at: position) else { return false }
                    position += length
                } else if i == nodes.count - 1 {
                    guard bytes.count - position >= length, hasLiteral(i, in: bytes, at: bytes.count - length) else {
                        return false
                    }
                    position = bytes.count
                } else {
                    let found = literals[i].withUnsafeBytes { bytes.firstOffset(of: $0, from: position) }
                    guard let found else { return false }
                    position = found + length
                }
                previousWasCapture = false
            }
            return previousWasCapture || position == bytes.count
        }
    }

    /// Whether node `index`'s literal is at `offset` of `bytes`.
    private func hasLiteral(_ index: Int, in bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        literals[index].withUnsafeBytes { bytes.hasBytes($0, at: offset) }
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
