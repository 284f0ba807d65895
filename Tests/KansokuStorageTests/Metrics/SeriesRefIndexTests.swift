import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("SeriesRefIndex: series by label fingerprint, collisions in a second table")
struct SeriesRefIndexTests {
    let a = SeriesLabels([("__name__", "up"), ("job", "a")])
    let b = SeriesLabels([("__name__", "up"), ("job", "b")])

    @Test func findsEachSeriesAndNothingElse() {
        var index = SeriesRefIndex()
        index.insert(a, ref: 0)
        index.insert(b, ref: 1)
        let labels = [a, b]
        #expect(index.reference(for: a) { labels[Int($0)] == a } == 0)
        #expect(index.reference(for: b) { labels[Int($0)] == b } == 1)
        #expect(index.reference(for: SeriesLabels([("__name__", "up")])) { _ in true } == nil)
    }

    @Test func aSeriesWhoseFingerprintIsTakenIsFoundInTheCollisionTable() {
        // Two label sets with one fingerprint cannot be built on purpose, so the
        // second insert of the same fingerprint stands in for a collision: the
        // series in the main slot (ref 0) is "not" the one looked up.
        var index = SeriesRefIndex()
        index.insert(a, ref: 0)
        index.insert(a, ref: 1)
        #expect(index.reference(for: a) { $0 == 1 } == 1)
        #expect(index.reference(for: a) { $0 == 0 } == 0)
        // A fingerprint in the main table whose series is not the one looked up, with no collisions recorded.
        var single = SeriesRefIndex()
        single.insert(a, ref: 0)
        #expect(single.reference(for: a) { _ in false } == nil)
    }
}
