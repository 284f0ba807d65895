import Foundation
import Testing
@testable import KansokuStorage
import KansokuModel

@Suite struct MetricBlockReaderTests {
    typealias Kit = MetricBlockTestKit

    /// Six series; `env` is absent on two, and the `late` series only has
    /// samples after 2_000_000 (two chunks, with a gap between them).
    static func withBlock(_ body: (MetricBlockReader) throws -> Void) throws {
        try Kit.withTemporaryDirectory { dir in
            let early = Kit.samples(count: 50, start: 1_000_000, step: 1_000) { Double($0) }
            let lateSamples = Kit.samples(count: 240, start: 2_000_000, step: 1_000) { Double($0) * 2 }
            var late = Kit.series([("__name__", "late"), ("job", "b")], Array(lateSamples[..<120]))
            late.chunks += MetricBlockCompactor.encode(Array(lateSamples[120...]).map {
                Sample(timestamp: $0.timestamp + 1_000_000, value: $0.value)
            })
            let series = [
                Kit.series([("__name__", "up"), ("job", "a"), ("env", "prod")], early),
                Kit.series([("__name__", "up"), ("job", "a"), ("env", "dev")], early),
                Kit.series([("__name__", "up"), ("job", "b")], early),
                Kit.series([("__name__", "down"), ("job", "a"), ("env", "prod")], early),
                Kit.series([("__name__", "down"), ("job", "c")], early),
                late,
            ]
            let meta = try MetricBlockWriter.write(series, minTime: 0, maxTime: 4_000_000, to: dir)
            try body(try MetricBlockReader(path: meta.path))
        }
    }

    static func names(_ result: [SeriesSamples]) -> [String] { result.map(\.labels.description) }

    @Test func selectWithEachMatcherKind() throws {
        try Self.withBlock { r in
            let m = Kit.matcher
            let all = try r.select([], start: .min, end: .max)
            #expect(all.map(\.labels) == all.map(\.labels).sorted())
            #expect(all.count == 6)
            #expect(try r.select([m("__name__", .equal, "up")], start: .min, end: .max).count == 3)
            #expect(Self.names(try r.select([m("env", .equal, "prod")], start: .min, end: .max))
                    == ["down{env=\"prod\", job=\"a\"}", "up{env=\"prod\", job=\"a\"}"])
            // != matches series lacking the label.
            #expect(try r.select([m("env", .notEqual, "prod")], start: .min, end: .max).count == 4)
            #expect(try r.select([m("__name__", .regexMatch, "u.|do.*")], start: .min, end: .max).count == 5)
            #expect(try r.select([m("job", .regexMatch, "a|c")], start: .min, end: .max).count == 4)
            #expect(try r.select([m("env", .regexNoMatch, "pr.*")], start: .min, end: .max).count == 4)
            // Absent label: ="" and =~"" select series without env.
            let absent = try r.select([m("env", .equal, "")], start: .min, end: .max)
            #expect(Self.names(absent) == ["down{job=\"c\"}", "late{job=\"b\"}", "up{job=\"b\"}"])
            #expect(try r.select([m("env", .regexMatch, "")], start: .min, end: .max).count == 3)
            // Present label: !="" and =~".+".
            #expect(try r.select([m("env", .notEqual, "")], start: .min, end: .max).count == 3)
            #expect(try r.select([m("env", .regexMatch, ".+")], start: .min, end: .max).count == 3)
            #expect(try r.select([m("nope", .equal, "x")], start: .min, end: .max).isEmpty)
            #expect(try r.select([m("__name__", .equal, "up"), m("job", .equal, "a"), m("env", .notEqual, "dev")],
                                 start: .min, end: .max).count == 1)
        }
    }

    @Test func selectPrunesByTime() throws {
        try Self.withBlock { r in
            let m = Kit.matcher
            let window = try r.select([m("job", .equal, "a")], start: 1_010_000, end: 1_019_999)
            #expect(window.count == 3)
            #expect(window.allSatisfy { $0.samples.map(\.timestamp) == Array(stride(from: Int64(1_010_000), through: 1_019_000, by: 1_000)) })
            // Only the late series has data here; it falls in the gap between its chunks at 2_200_000.
            #expect(Self.names(try r.select([], start: 2_119_500, end: 3_000_000)) == [])
            let late = try r.select([], start: 2_100_000, end: 3_200_000)
            #expect(Self.names(late) == ["late{job=\"b\"}"])
            #expect(late[0].samples.count == 20 + 81)
            #expect(try r.select([], start: 5_000_000, end: 6_000_000).isEmpty)
            #expect(try r.select([], start: 10, end: 5).isEmpty)
        }
    }

    @Test func seriesLabelNamesAndValues() throws {
        try Self.withBlock { r in
            let m = Kit.matcher
            #expect(r.labelNames(selectors: [], start: .min, end: .max) == ["__name__", "env", "job"])
            #expect(r.labelValues(name: "job", selectors: [], start: .min, end: .max) == ["a", "b", "c"])
            #expect(r.labelValues(name: "env", selectors: [], start: .min, end: .max) == ["dev", "prod"])
            #expect(r.labelValues(name: "missing", selectors: [], start: .min, end: .max) == [])
            // OR of selectors.
            let selected = r.series(selectors: [[m("job", .equal, "c")], [m("env", .equal, "dev")]], start: .min, end: .max)
            #expect(selected.map(\.description) == ["down{job=\"c\"}", "up{env=\"dev\", job=\"a\"}"])
            #expect(r.labelNames(selectors: [[m("job", .equal, "c")]], start: .min, end: .max) == ["__name__", "job"])
            #expect(r.labelValues(name: "__name__", selectors: [[m("job", .equal, "b")]], start: .min, end: .max) == ["late", "up"])
            // Time ranges: only series whose chunks overlap count, and gaps between chunks do not.
            #expect(r.series(selectors: [], start: 2_000_000, end: 4_000_000).map(\.description) == ["late{job=\"b\"}"])
            #expect(r.series(selectors: [], start: 2_150_000, end: 3_050_000).isEmpty)
            #expect(r.labelValues(name: "__name__", selectors: [], start: 2_000_000, end: .max) == ["late"])
            #expect(r.labelNames(selectors: [], start: 2_000_000, end: .max) == ["__name__", "job"])
            #expect(r.series(selectors: [], start: .min, end: .max).count == 6)
        }
    }

    @Test func concurrentReadsAgree() async throws {
        try await Kit.withTemporaryDirectoryAsync { dir in
            let meta = try MetricBlockWriter.write(MetricBlockWriterTests.fixture(seriesCount: 300, samplesPerSeries: 240),
                                                   minTime: 0, maxTime: .max, to: dir)
            let reader = try MetricBlockReader(path: meta.path)
            let expected = try reader.select([], start: .min, end: .max)
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        let m = Kit.matcher("__name__", .equal, "metric_\(i % 4)")
                        let some = try reader.select([m], start: .min, end: .max)
                        let all = try reader.select([], start: .min, end: .max)
                        return all == expected && some.count == 75
                    }
                }
                for try await ok in group { #expect(ok) }
            }
        }
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: MetricBlockError.self) { try MetricBlockReader(path: "/nonexistent/block.kmb") }
    }
}

extension MetricBlockTestKit {
    static func withTemporaryDirectoryAsync(_ body: (String) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.path + "/kansoku-metric-block-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await body(path)
    }
}
