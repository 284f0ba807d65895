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
    /// The literals' UTF-8, one after the other; node `i`'s is `literalRanges[i]` (empty for a capture).
    private let literalBytes: [UInt8]
    private let literalRanges: [Range<Int>]

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
        var bytes: [UInt8] = [], ranges: [Range<Int>] = []
        for node in nodes {
            let start = bytes.count
            if case .literal(let text) = node { bytes += text.utf8 }
            ranges.append(start..<bytes.count)
        }
        literalBytes = bytes
        literalRanges = ranges
    }

    /// Named captures in order (possibly fewer than the pattern declares).
    func captures(_ line: String) -> [(String, String)] {
        var out: [(String, String)] = []
        forEachCapture(line) { out.append(($0, $1)) }
        return out
    }

    /// Calls `body` with each named capture of `line` and its value, in order.
    func forEachCapture(_ line: String, _ body: (String, String) -> Void) {
        guard !line.isEmpty, !nodes.isEmpty else { return }
        literalBytes.withUnsafeBytes { literals in
            line.withUTF8Bytes { bytes in
                func capture(_ node: Int, _ range: Range<Int>) {
                    guard case .capture(let name?) = nodes[node] else { return }
                    body(name, String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self))
                }
                var position = 0
                var node = 0
                if case .literal = nodes[0] {
                    let literal = UnsafeRawBufferPointer(rebasing: literals[literalRanges[0]])
                    guard bytes.hasBytes(literal, at: 0) else { return }
                    position = literal.count
                    node = 1
                }
                // Nodes alternate: a capture, then the literal that ends it.
                while node < nodes.count {
                    guard node + 1 < nodes.count else { return capture(node, position..<bytes.count) }
                    let literal = UnsafeRawBufferPointer(rebasing: literals[literalRanges[node + 1]])
                    guard let found = bytes.firstOffset(of: literal, from: position) else {
                        return capture(node, position..<bytes.count)
                    }
                    capture(node, position..<found)
                    position = found + literal.count
                    node += 2
                }
            }
        }
    }

    /// Whole-line match for the `|>` / `!>` line filters.
    func matchesWholeLine(_ line: String) -> Bool {
        literalBytes.withUnsafeBytes { literals in
            line.withUTF8Bytes { bytes in
                var position = 0
                var previousWasCapture = false
                for (i, node) in nodes.enumerated() {
                    guard case .literal = node else { previousWasCapture = true; continue }
                    let literal = UnsafeRawBufferPointer(rebasing: literals[literalRanges[i]])
                    if !previousWasCapture {
                        guard bytes.hasBytes(literal, at: position) else { return false }
                        position += literal.count
                    } else if i == nodes.count - 1 {
                        let end = bytes.count - literal.count
                        guard end >= position, bytes.hasBytes(literal, at: end) else { return false }
                        position = bytes.count
                    } else {
                        guard let found = bytes.firstOffset(of: literal, from: position) else { return false }
                        position = found + literal.count
                    }
                    previousWasCapture = false
                }
                return previousWasCapture || position == bytes.count
            }
        }
    }
}
