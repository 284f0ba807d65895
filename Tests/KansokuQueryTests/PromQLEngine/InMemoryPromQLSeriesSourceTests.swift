import Testing
@testable import KansokuQuery

@Suite("In-memory PromQL series source")
struct InMemoryPromQLSeriesSourceTests {
    @Test("select filters by matchers and time, keeps samples sorted")
    func select() throws {
        var store = InMemoryPromQLSeriesSource()
        let a = PromQLLabels([("__name__", "up"), ("job", "api")])
        let b = PromQLLabels([("__name__", "up"), ("job", "web")])
        store.add(a, PromQLSample(timestamp: 2000, value: 2))
        store.add(a, PromQLSample(timestamp: 1000, value: 1))
        store.add(a, PromQLSample(timestamp: 2000, value: 3)) // replaces
        store.add(b, PromQLSample(timestamp: 1000, value: PromQLStaleness.marker))
        let all = try store.select(matchers: [PromQLLabelMatcher(name: "__name__", op: .equal, value: "up")], start: 0, end: 5000)
        #expect(all.map(\.labels) == [a, b])
        #expect(all[0].samples == [PromQLSample(timestamp: 1000, value: 1), PromQLSample(timestamp: 2000, value: 3)])
        #expect(PromQLStaleness.isMarker(all[1].samples[0].value))
        let regex = try store.select(matchers: [PromQLLabelMatcher(name: "job", op: .regexMatch, value: "w.*")], start: 0, end: 5000)
        #expect(regex.map(\.labels) == [b])
        let window = try store.select(matchers: [PromQLLabelMatcher(name: "job", op: .notEqual, value: "web")], start: 1500, end: 5000)
        #expect(window.map { $0.samples.count } == [1])
        // An absent label matches the empty string.
        #expect(try store.select(matchers: [PromQLLabelMatcher(name: "zone", op: .equal, value: "")], start: 0, end: 5000).count == 2)
    }

    @Test("label sets sort and print like Prometheus's")
    func labels() {
        let x = PromQLLabels([("b", "2"), ("a", "1"), ("c", "")])
        #expect(x.description == "{a=\"1\", b=\"2\"}")
        #expect(PromQLLabels([("a", "1")]) < x)
        #expect(x.setting("a", to: "").description == "{b=\"2\"}")
    }
}
