import Testing
@testable import KansokuModel

@Suite("Series label sets order like Prometheus's labels.Compare (bytes, pairwise, shorter first)")
struct SeriesLabelsOrderTests {
    /// The order spelled out on UTF-8 byte arrays.
    static func reference(_ a: SeriesLabels, _ b: SeriesLabels) -> Bool {
        for (x, y) in zip(a.labels, b.labels) {
            if Array(x.name.utf8) != Array(y.name.utf8) { return Array(x.name.utf8).lexicographicallyPrecedes(Array(y.name.utf8)) }
            if Array(x.value.utf8) != Array(y.value.utf8) { return Array(x.value.utf8).lexicographicallyPrecedes(Array(y.value.utf8)) }
        }
        return a.labels.count < b.labels.count
    }

    @Test func matchesByteOrder() {
        let values = ["", "a", "ab", "b", "B", "\u{e9}", "e\u{301}", "z", "aa", "a\u{0}"]
        var sets: [SeriesLabels] = []
        for v in values {
            for w in values {
                sets.append(SeriesLabels([("__name__", "m" + v), ("job", w)].filter { !$0.1.isEmpty }))
                sets.append(SeriesLabels([("__name__", "m"), ("i" + v, "x" + w)]))
            }
        }
        for a in sets {
            for b in sets { #expect((a < b) == Self.reference(a, b), "\(a) < \(b)") }
        }
    }
}
