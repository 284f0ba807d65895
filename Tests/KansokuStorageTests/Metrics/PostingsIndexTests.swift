import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("PostingsIndex")
struct PostingsIndexTests {
    /// 0: up{env="prod", job="api"}  1: up{env="dev", job="api"}
    /// 2: up{job="db"} (no env)      3: http{env="prod", job="db"}
    private static func index() -> PostingsIndex {
        var index = PostingsIndex()
        index.add(0, SeriesLabels([("__name__", "up"), ("env", "prod"), ("job", "api")]))
        index.add(1, SeriesLabels([("__name__", "up"), ("env", "dev"), ("job", "api")]))
        index.add(2, SeriesLabels([("__name__", "up"), ("job", "db")]))
        index.add(3, SeriesLabels([("__name__", "http"), ("env", "prod"), ("job", "db")]))
        return index
    }

    private func m(_ name: String, _ op: SeriesMatcher.Operator, _ value: String) throws -> SeriesMatcher {
        try SeriesMatcher(name: name, op: op, value: value)
    }

    private func refs(_ matchers: [SeriesMatcher]) -> [UInt32] {
        PostingsIndexTests.index().matching(matchers, seriesCount: 4)
    }

    @Test("the index keeps, per label name and value, the ascending references carrying it")
    func postingsLayout() {
        let index = PostingsIndexTests.index()
        #expect(Set(index.names) == ["__name__", "env", "job"])
        #expect(index.values(of: "env") == ["prod": [0, 3], "dev": [1]])
        #expect(index.values(of: "__name__") == ["up": [0, 1, 2], "http": [3]])
        #expect(index.values(of: "missing").isEmpty)
    }

    @Test("= selects the series with that value")
    func equalMatcher() throws {
        #expect(refs([try m("env", .equal, "prod")]) == [0, 3])
        #expect(refs([try m("__name__", .equal, "up")]) == [0, 1, 2])
        #expect(refs([try m("env", .equal, "staging")]) == [])
    }

    @Test("=~ selects the series whose value matches, literal alternatives or real regex")
    func regexMatcher() throws {
        #expect(refs([try m("env", .regexMatch, "prod|dev")]) == [0, 1, 3])
        #expect(refs([try m("env", .regexMatch, "p.*")]) == [0, 3])
        #expect(refs([try m("job", .regexMatch, "a.i|d.")]) == [0, 1, 2, 3])
        #expect(refs([try m("env", .regexMatch, "pro")]) == [])
    }

    @Test("!= also selects series lacking the label")
    func notEqualIncludesAbsent() throws {
        #expect(refs([try m("env", .notEqual, "prod")]) == [1, 2])
        #expect(refs([try m("missing", .notEqual, "x")]) == [0, 1, 2, 3])
    }

    @Test("!~ also selects series lacking the label")
    func regexNoMatchIncludesAbsent() throws {
        #expect(refs([try m("env", .regexNoMatch, "prod|dev")]) == [2])
        #expect(refs([try m("env", .regexNoMatch, "d.*")]) == [0, 2, 3])
        #expect(refs([try m("env", .regexNoMatch, ".*")]) == [])
    }

    @Test("=\"\" selects exactly the series without the label")
    func emptyEqualSelectsAbsent() throws {
        #expect(refs([try m("env", .equal, "")]) == [2])
        #expect(refs([try m("missing", .equal, "")]) == [0, 1, 2, 3])
    }

    @Test("=~\".+\" and !=\"\" select only series with the label")
    func nonEmptySelectsPresent() throws {
        #expect(refs([try m("env", .regexMatch, ".+")]) == [0, 1, 3])
        #expect(refs([try m("env", .notEqual, "")]) == [0, 1, 3])
        #expect(refs([try m("missing", .regexMatch, ".+")]) == [])
    }

    @Test("=~\".*\" selects everything, with or without the label")
    func matchAllRegex() throws {
        #expect(refs([try m("env", .regexMatch, ".*")]) == [0, 1, 2, 3])
        #expect(refs([try m("env", .regexMatch, "prod|")]) == [0, 2, 3])
    }

    @Test("no matchers select every series")
    func noMatchers() {
        #expect(refs([]) == [0, 1, 2, 3])
        #expect(PostingsIndex().matching([], seriesCount: 0) == [])
    }

    @Test("several matchers intersect")
    func intersections() throws {
        #expect(refs([try m("__name__", .equal, "up"), try m("job", .equal, "api")]) == [0, 1])
        #expect(refs([try m("__name__", .equal, "up"), try m("env", .notEqual, "prod")]) == [1, 2])
        #expect(refs([try m("job", .equal, "db"), try m("__name__", .regexMatch, "up|http"), try m("env", .notEqual, "dev")]) == [2, 3])
        #expect(refs([try m("env", .notEqual, "prod"), try m("job", .regexNoMatch, "api")]) == [2])
        #expect(refs([try m("env", .equal, ""), try m("job", .equal, "db")]) == [2])
        #expect(refs([try m("env", .regexMatch, ".+"), try m("job", .equal, "db")]) == [3])
    }

    @Test("an empty intersection, or a matcher on an unknown label or value, selects nothing")
    func emptyResults() throws {
        #expect(refs([try m("__name__", .equal, "up"), try m("env", .equal, "staging")]) == [])
        #expect(refs([try m("__name__", .equal, "http"), try m("job", .equal, "api")]) == [])
        #expect(refs([try m("missing", .equal, "x")]) == [])
        #expect(refs([try m("missing", .equal, "x"), try m("env", .notEqual, "prod")]) == [])
        #expect(refs([try m("env", .equal, "prod"), try m("env", .equal, "dev")]) == [])
    }

    @Test("results stay ascending when they come from many values")
    func ascendingAcrossValues() throws {
        var index = PostingsIndex()
        for ref in UInt32(0)..<50 {
            index.add(ref, SeriesLabels([("__name__", "m"), ("i", String(49 - ref)), ("odd", ref % 2 == 1 ? "yes" : "")]))
        }
        let all = index.matching([try m("i", .regexMatch, "[0-9]+")], seriesCount: 50)
        #expect(all == Array(0..<50))
        let even = index.matching([try m("i", .regexMatch, ".*"), try m("odd", .notEqual, "yes")], seriesCount: 50)
        #expect(even == stride(from: UInt32(0), to: 50, by: 2).map { $0 })
    }

    @Test("intersect keeps what both sorted lists hold")
    func intersectHelper() {
        #expect(PostingsIndex.intersect([1, 3, 5, 7], [3, 4, 5, 8]) == [3, 5])
        #expect(PostingsIndex.intersect([1, 2, 3], []) == [])
        #expect(PostingsIndex.intersect([], [1]) == [])
        #expect(PostingsIndex.intersect([1, 2], [3, 4]) == [])
        #expect(PostingsIndex.intersect([0, 9], [0, 9]) == [0, 9])
    }

    @Test("subtract drops from the first sorted list what the second holds")
    func subtractHelper() {
        #expect(PostingsIndex.subtract([1, 2, 3, 4], [2, 4, 9]) == [1, 3])
        #expect(PostingsIndex.subtract([1, 2, 3], []) == [1, 2, 3])
        #expect(PostingsIndex.subtract([], [1, 2]) == [])
        #expect(PostingsIndex.subtract([5, 6], [0, 1, 5, 6, 7]) == [])
        #expect(PostingsIndex.subtract([2, 10], [3, 4, 5]) == [2, 10])
    }

    @Test("union merges sorted lists without duplicates")
    func unionHelper() {
        #expect(PostingsIndex.union([[1, 4], [2, 4, 6], []]) == [1, 2, 4, 6])
        #expect(PostingsIndex.union([]) == [])
        #expect(PostingsIndex.union([[5, 7]]) == [5, 7])
        #expect(PostingsIndex.union([[], []]) == [])
        #expect(PostingsIndex.union([[3], [1], [2], [1, 3]]) == [1, 2, 3])
    }
}
