import Testing
@testable import KansokuModel

@Suite("Series label sets: equality and hashing by bytes, through the cached fingerprint")
struct SeriesLabelsIdentityTests {
    @Test func equalSetsBuiltDifferentlyAreEqualAndHashAlike() {
        let pairs = SeriesLabels([("job", "api"), ("__name__", "up"), ("instance", "a:9100")])
        let sorted = SeriesLabels(sorted: [SeriesLabel(name: "__name__", value: "up"), SeriesLabel(name: "instance", value: "a:9100"),
                                           SeriesLabel(name: "job", value: "api")])
        #expect(pairs == sorted)
        #expect(pairs.hashValue == sorted.hashValue)
        #expect(Set([pairs, sorted]).count == 1)
    }

    @Test func whereNamesEndAndValuesBeginIsPartOfTheIdentity() {
        let a = SeriesLabels(sorted: [SeriesLabel(name: "ab", value: "c")])
        let b = SeriesLabels(sorted: [SeriesLabel(name: "a", value: "bc")])
        let c = SeriesLabels(sorted: [SeriesLabel(name: "a", value: "b"), SeriesLabel(name: "c", value: "d")])
        let d = SeriesLabels(sorted: [SeriesLabel(name: "a", value: "bc"), SeriesLabel(name: "", value: "d")])
        #expect(a != b && c != d && b != d)
        #expect(Set([a, b, c, d]).count == 4)
        // The fingerprints themselves differ, not only the labels compared after them.
        #expect(Set([a, b, c, d].map(\.fingerprint)).count == 4)
    }

    @Test func labelsOfEqualLengthCompareByTheirBytes() {
        #expect(SeriesLabel(name: "ab", value: "x") != SeriesLabel(name: "ac", value: "x"))
        #expect(SeriesLabel(name: "a", value: "xy") == SeriesLabel(name: "a", value: String("xyz".dropLast())))
        #expect(SeriesLabel(name: "a", value: "xy") != SeriesLabel(name: "a", value: "xz"))
    }

    @Test func canonicallyEquivalentTextStaysApart() {
        // Byte identity, as Prometheus: "é" precomposed and decomposed are two series.
        let precomposed = SeriesLabels([("__name__", "m"), ("city", "caf\u{e9}")])
        let decomposed = SeriesLabels([("__name__", "m"), ("city", "cafe\u{301}")])
        #expect(precomposed != decomposed)
        #expect(Set([precomposed, decomposed]).count == 2)
    }
}
