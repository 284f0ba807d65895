import KansokuModel

/// One trace flattened for evaluation: every span with its resource, plus
/// the parent links and trace-level intrinsics the operators need.
struct TraceQLTraceIndex {
    struct Entry {
        var span: Span
        var resource: Resource
    }

    let entries: [Entry]
    /// Index of the entry whose span has the given id.
    private let indexByID: [SpanID: Int]
    /// The root span (zero parent id); nil when the trace has none.
    let root: Int?
    /// Earliest start to latest end over all spans.
    let traceDurationNanos: Int64

    init(_ trace: SpanBatch) {
        var entries: [Entry] = []
        for resourceItems in trace.resources {
            for scope in resourceItems.scopes {
                for span in scope.items {
                    entries.append(Entry(span: span, resource: resourceItems.resource))
                }
            }
        }
        self.entries = entries
        var indexByID: [SpanID: Int] = [:]
        for (i, entry) in entries.enumerated() where indexByID[entry.span.spanID] == nil {
            indexByID[entry.span.spanID] = i
        }
        self.indexByID = indexByID
        self.root = entries.firstIndex { $0.span.parentSpanID.isZero }
        let start = entries.map(\.span.startTimeUnixNano).min() ?? 0
        let end = entries.map(\.span.endTimeUnixNano).max() ?? 0
        self.traceDurationNanos = end >= start ? Int64(clamping: end - start) : 0
    }

    var allIndices: Set<Int> { Set(entries.indices) }

    /// The index of the parent of entry `i`, if that parent is in the trace.
    func parent(of i: Int) -> Int? {
        let parentID = entries[i].span.parentSpanID
        guard !parentID.isZero, let p = indexByID[parentID], p != i else { return nil }
        return p
    }

    /// Whether some proper ancestor of entry `i` is in `set`.
    func hasAncestor(of i: Int, in set: Set<Int>) -> Bool {
        var seen: Set<Int> = [i]
        var cursor = parent(of: i)
        while let p = cursor, seen.insert(p).inserted {
            if set.contains(p) { return true }
            cursor = parent(of: p)
        }
        return false
    }

    /// Whether another span with the same (non-zero) parent id is in `set`.
    func hasSibling(of i: Int, in set: Set<Int>) -> Bool {
        let parentID = entries[i].span.parentSpanID
        guard !parentID.isZero else { return false }
        return set.contains { $0 != i && entries[$0].span.parentSpanID == parentID }
    }
}
