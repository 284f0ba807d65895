import KansokuModel
import KansokuRegex

/// A compiled `regexp` parser stage: named groups become labels. When the
/// expression matches, every named group is set, an unmatched (optional)
/// group to the empty string, as Loki does.
///
/// Matched with Go's semantics by ``RE2Regex`` (linear in the line, on its
/// bytes), and by Swift's `Regex` for what that engine leaves out.
struct LogQLRegexpParser: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>
    private let re2: RE2Regex?
    /// With `re2`: the named groups' indexes, in the order of the expression.
    private let namedGroups: [(index: Int, name: String)]
    let names: [String]

    init(_ expression: String) throws(LogQLEvaluationError) {
        regex = try LogQLRegexCompiler.compile(expression)
        re2 = RE2Regex(expression)
        if let re2 {
            namedGroups = re2.groupNames.sorted { $0.key < $1.key }.map { (index: $0.key, name: $0.value) }
            names = namedGroups.map(\.name)
        } else {
            namedGroups = []
            names = Self.groupNames(in: expression)
        }
        guard !names.isEmpty else { throw .regexpWithoutNamedGroups }
    }

    /// Group names read from the source, `(?P<name>` and `(?<name>`, for a
    /// regex that only Swift's `Regex` runs.
    private static func groupNames(in expression: String) -> [String] {
        var names: [String] = []
        var rest = Substring(expression)
        while let range = rest.firstRange(of: "(?") {
            rest = rest[range.upperBound...]
            if rest.hasPrefix("P<") { rest = rest.dropFirst(2) } else if rest.hasPrefix("<"), !rest.hasPrefix("<="), !rest.hasPrefix("<!") {
                rest = rest.dropFirst()
            } else { continue }
            if let close = rest.firstIndex(of: ">") { names.append(String(rest[..<close])) }
        }
        return names
    }

    func apply(_ line: String, _ labels: inout LogQLLabelsBuilder) {
        if let re2, re2.handles(length: line.utf8.count) {
            line.withUTF8Bytes { bytes in
                _ = re2.firstMatch(in: bytes) { slots in
                    for (index, name) in namedGroups {
                        let start = slots[2 * index], end = slots[2 * index + 1]
                        let value = start < 0 ? nil : UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                        labels.setParsed(name, value.map { String(decoding: $0, as: UTF8.self) } ?? "")
                    }
                }
            }
            return
        }
        guard let match = line.firstMatch(of: regex) else { return }
        for name in names {
            labels.setParsed(name, match.output[name]?.substring.map(String.init) ?? "")
        }
    }
}
