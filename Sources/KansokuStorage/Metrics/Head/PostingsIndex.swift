import KansokuModel

/// The inverted index of the head: for each label name and value, the
/// references of the series carrying that pair, ascending. References are
/// handed out in increasing order, so adding a series is an append.
struct PostingsIndex: Sendable {
    private(set) var postings: [String: [String: [UInt32]]] = [:]

    mutating func add(_ ref: UInt32, _ labels: SeriesLabels) {
        for label in labels.labels {
            postings[label.name, default: [:]][label.value, default: []].append(ref)
        }
    }

    /// Every label name in use.
    var names: Dictionary<String, [String: [UInt32]]>.Keys { postings.keys }

    /// The values of `name` and their postings.
    func values(of name: String) -> [String: [UInt32]] { postings[name] ?? [:] }

    /// References of series satisfying every matcher, ascending, out of
    /// `seriesCount` series in all. Matchers that reject the empty value narrow
    /// through their postings; those that accept it (`!=`, `!~`, `=~".*"`)
    /// subtract the postings of the values they reject — Prometheus's
    /// PostingsForMatchers.
    func matching(_ matchers: [SeriesMatcher], seriesCount: Int) -> [UInt32] {
        var result: [UInt32]?
        var subtract: [[UInt32]] = []
        for matcher in matchers {
            let values = postings[matcher.name] ?? [:]
            if matcher.matchesEmpty {
                // Series lacking the label match; drop those whose value does not.
                var excluded: [[UInt32]] = []
                for (value, refs) in values where !matcher.matches(value) { excluded.append(refs) }
                if !excluded.isEmpty { subtract.append(PostingsIndex.union(excluded)) }
            } else {
                var included: [[UInt32]] = []
                if matcher.op == .equal {
                    if let refs = values[matcher.value] { included.append(refs) }
                } else {
                    for (value, refs) in values where matcher.matches(value) { included.append(refs) }
                }
                let refs = PostingsIndex.union(included)
                result = result.map { PostingsIndex.intersect($0, refs) } ?? refs
                if result!.isEmpty { return [] }
            }
        }
        var refs = result ?? (0..<UInt32(seriesCount)).map { $0 }
        for excluded in subtract { refs = PostingsIndex.subtract(refs, excluded) }
        return refs
    }

    static func intersect(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] { out.append(a[i]); i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return out
    }

    static func subtract(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        var j = 0
        for x in a {
            while j < b.count, b[j] < x { j += 1 }
            if j < b.count, b[j] == x { continue }
            out.append(x)
        }
        return out
    }

    static func union(_ lists: [[UInt32]]) -> [UInt32] {
        if lists.count == 1 { return lists[0] }
        if lists.isEmpty { return [] }
        var all = lists.flatMap { $0 }
        all.sort()
        var out: [UInt32] = []
        out.reserveCapacity(all.count)
        for x in all where out.last != x { out.append(x) }
        return out
    }
}
