import Foundation
import Testing
@testable import KansokuStorage
import KansokuModel

@Suite struct MetricBlockCompactorTests {
    typealias Kit = MetricBlockTestKit

    @Test func mergesOverlappingSeriesLaterInputWinning() throws {
        try Kit.withTemporaryDirectory { dir in
            let shared: [(String, String)] = [("__name__", "shared"), ("job", "x")]
            // Block A: shared at t = 0, 10, …, 2990 (300 samples) valued 1; only-a.
            let a = try MetricBlockWriter.write([
                Kit.series(shared, Kit.samples(count: 300, start: 0, step: 10) { _ in 1 }),
                Kit.series([("__name__", "only_a")], Kit.samples(count: 5, start: 0, step: 10) { Double($0) }),
            ], minTime: 0, maxTime: 5_000, to: dir)
            // Block B: shared at t = 1500, 1505, …, 3995 (500 samples) valued 2, overlapping A
            // with equal timestamps every 10 ms; a NaN and a stale marker on equal timestamps.
            let stale = Double(bitPattern: Sample.staleMarkerBits)
            let bSamples = Kit.samples(count: 500, start: 1_500, step: 5) { i in i == 0 ? .nan : i == 2 ? stale : 2 }
            let b = try MetricBlockWriter.write([
                Kit.series(shared, bSamples),
                Kit.series([("__name__", "only_b")], Kit.samples(count: 5, start: 9_000, step: 10) { Double($0) }),
            ], minTime: 1_000, maxTime: 10_000, to: dir)
            let readers = [try MetricBlockReader(path: a.path), try MetricBlockReader(path: b.path)]
            let merged = try MetricBlockCompactor.merge(readers, into: dir)
            #expect(Set(Kit.entries(dir)) == Set([a.id, b.id, merged.id].map { $0 + ".kmb" }))
            #expect(merged.minTime == 0 && merged.maxTime == 10_000)
            #expect(merged.seriesCount == 3)

            let out = try MetricBlockReader(path: merged.path)
            let contents = try Kit.contents(out)
            #expect(contents[SeriesLabels([("__name__", "only_a")])] == Kit.samples(count: 5, start: 0, step: 10) { Double($0) })
            #expect(contents[SeriesLabels([("__name__", "only_b")])] == Kit.samples(count: 5, start: 9_000, step: 10) { Double($0) })
            let samples = contents[SeriesLabels(shared)]!
            // 150 from A before 1500, then all 500 of B (A's 150 equal timestamps lose).
            #expect(samples.count == 150 + 500)
            #expect(samples.map(\.timestamp) == samples.map(\.timestamp).sorted())
            #expect(Set(samples.map(\.timestamp)).count == samples.count)
            #expect(samples[..<150].allSatisfy { $0.value == 1 })
            #expect(Array(samples[150...]) == bSamples)
            #expect(samples[150].value.isNaN && samples[152].isStaleMarker)
            // Re-encoded into chunks of at most 120 samples.
            let sharedSeries = try out.allSeries().first { $0.labels == SeriesLabels(shared) }!
            #expect(sharedSeries.chunks.allSatisfy { $0.chunk.count <= 120 })
            #expect(sharedSeries.chunkCount == 6)
            #expect(merged.sampleCount == 650 + 10)
        }
    }

    @Test func reversingTheInputOrderFlipsTheWinner() throws {
        try Kit.withTemporaryDirectory { dir in
            let labels: [(String, String)] = [("__name__", "m")]
            let one = try MetricBlockWriter.write([Kit.series(labels, Kit.samples(count: 10) { _ in 1 })],
                                                  minTime: 0, maxTime: .max, to: dir)
            let two = try MetricBlockWriter.write([Kit.series(labels, Kit.samples(count: 10) { _ in 2 })],
                                                  minTime: 0, maxTime: .max, to: dir)
            let r1 = try MetricBlockReader(path: one.path), r2 = try MetricBlockReader(path: two.path)
            let forward = try MetricBlockReader(path: MetricBlockCompactor.merge([r1, r2], into: dir).path)
            let backward = try MetricBlockReader(path: MetricBlockCompactor.merge([r2, r1], into: dir).path)
            #expect(try forward.select([], start: .min, end: .max)[0].samples.allSatisfy { $0.value == 2 })
            #expect(try backward.select([], start: .min, end: .max)[0].samples.allSatisfy { $0.value == 1 })
        }
    }

    @Test func mergeOfManySeriesKeepsEverything() throws {
        try Kit.withTemporaryDirectory { dir in
            let all = MetricBlockWriterTests.fixture(seriesCount: 600, samplesPerSeries: 240)
            let a = try MetricBlockWriter.write(Array(all[..<400]), minTime: 0, maxTime: .max, to: dir)
            let b = try MetricBlockWriter.write(Array(all[200...]), minTime: 0, maxTime: .max, to: dir)
            let merged = try MetricBlockCompactor.merge([try MetricBlockReader(path: a.path), try MetricBlockReader(path: b.path)],
                                                        into: dir)
            #expect(merged.seriesCount == 600)
            #expect(merged.sampleCount == 600 * 240)
            let contents = try Kit.contents(try MetricBlockReader(path: merged.path))
            for s in all { #expect(contents[s.labels] == (try s.samples())) }
        }
    }

    @Test func noInputsIsInvalid() throws {
        _ = try Kit.withTemporaryDirectory { dir in
            #expect(throws: MetricBlockError.invalidInput(detail: "no blocks to merge")) {
                try MetricBlockCompactor.merge([], into: dir)
            }
        }
    }
}
