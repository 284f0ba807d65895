import Foundation
import Testing
@testable import KansokuStorage
import KansokuModel

@Suite struct MetricBlockWriterTests {
    typealias Kit = MetricBlockTestKit

    /// Counters, gauges, NaNs and staleness markers over a few thousand series.
    static func fixture(seriesCount: Int = 2000, samplesPerSeries: Int = 300) -> [MetricBlockSeries] {
        var rng = SplitMix64(seed: 42)
        let stale = Double(bitPattern: Sample.staleMarkerBits)
        return (0..<seriesCount).map { i in
            let kind = i % 4
            var value = Double(i) * 10.5
            let samples = Kit.samples(count: samplesPerSeries, start: 1_000_000 + Int64(i % 7)) { k in
                switch kind {
                case 0: value += Double(Int.random(in: 0...100, using: &rng)) * 0.13; return value
                case 1: return 8e9 + Double(Int.random(in: -50...50, using: &rng)) * 4096
                case 2: return k % 17 == 0 ? .nan : Double.random(in: -1...1, using: &rng)
                default: return k == samplesPerSeries - 1 || k % 50 == 49 ? stale : 45 + Double(k % 3) * 0.5
                }
            }
            return Kit.series([("__name__", "metric_\(kind)"), ("instance", "host-\(i % 97)"), ("job", "node"),
                               ("series", String(i))], samples)
        }
    }

    @Test func roundTripOfThousandsOfSeries() throws {
        try Kit.withTemporaryDirectory { dir in
            let input = Self.fixture()
            let meta = try MetricBlockWriter.write(Array(input.reversed()), minTime: 0, maxTime: 10_000_000, to: dir)
            #expect(Kit.entries(dir) == [meta.id + ".kmb"])
            #expect(meta.seriesCount == 2000)
            #expect(meta.sampleCount == 2000 * 300)
            #expect(meta.chunkCount == 2000 * 3)
            let reader = try MetricBlockReader(path: meta.path)
            #expect(reader.meta == meta)
            let back = try reader.allSeries()
            #expect(back.map(\.labels) == input.map(\.labels).sorted())
            let expected = Dictionary(uniqueKeysWithValues: try input.map { ($0.labels, try $0.samples()) })
            for s in back { #expect(try s.samples() == expected[s.labels]!) }
            // Byte-identical chunks come back.
            let inputChunks = Dictionary(uniqueKeysWithValues: input.map { ($0.labels, $0.chunks.map(\.chunk)) })
            #expect(back.allSatisfy { $0.chunks.map(\.chunk) == inputChunks[$0.labels]! })
            let all = try reader.select([], start: .min, end: .max)
            #expect(all.count == 2000)
            #expect(all.map(\.labels) == back.map(\.labels))
            #expect(all.allSatisfy { $0.samples == expected[$0.labels]! })
        }
    }

    @Test func emptyBlockRoundTrips() throws {
        try Kit.withTemporaryDirectory { dir in
            let meta = try MetricBlockWriter.write([], minTime: -5, maxTime: 5, to: dir)
            let reader = try MetricBlockReader(path: meta.path)
            #expect(reader.meta.seriesCount == 0)
            #expect(try reader.allSeries().isEmpty)
            #expect(try reader.select([], start: .min, end: .max).isEmpty)
            #expect(reader.labelNames(selectors: [], start: .min, end: .max).isEmpty)
        }
    }

    @Test func idsSortByMinTime() {
        let times: [Int64] = [.min, -1_000, -1, 0, 1, 1_700_000_000_000, .max]
        let ids = times.map { MetricBlockWriter.makeID(minTime: $0) }
        #expect(ids == ids.sorted())
        #expect(Set(ids.map(\.count)) == [25])
    }

    @Test func invalidInputIsRejectedWithoutAFile() throws {
        try Kit.withTemporaryDirectory { dir in
            let s = Kit.series([("__name__", "a")], Kit.samples(count: 10) { Double($0) })
            #expect(throws: MetricBlockError.self) { try MetricBlockWriter.write([s, s], minTime: 0, maxTime: .max, to: dir) }
            #expect(throws: MetricBlockError.self) { try MetricBlockWriter.write([s], minTime: 2_000_000, maxTime: .max, to: dir) }
            #expect(throws: MetricBlockError.self) { try MetricBlockWriter.write([s], minTime: 0, maxTime: 1_000_000, to: dir) }
            let overlapping = MetricBlockSeries(labels: s.labels, chunks: s.chunks + s.chunks)
            #expect(throws: MetricBlockError.self) { try MetricBlockWriter.write([overlapping], minTime: 0, maxTime: .max, to: dir) }
            let empty = MetricBlockSeries(labels: s.labels, chunks: [HeadChunk(chunk: XORChunk(), minTime: 0, maxTime: 0)])
            #expect(throws: MetricBlockError.self) { try MetricBlockWriter.write([empty], minTime: 0, maxTime: .max, to: dir) }
            #expect(Kit.entries(dir).isEmpty)
        }
    }

    @Test(arguments: [MetricBlockWriter.FaultPoint.afterChunks, .beforeRename])
    func failedWriteLeavesNoFile(_ fault: MetricBlockWriter.FaultPoint) throws {
        try Kit.withTemporaryDirectory { dir in
            var options = MetricBlockWriter.Options()
            options.failAt = fault
            #expect(throws: MetricBlockError.self) {
                try MetricBlockWriter.write(Self.fixture(seriesCount: 20, samplesPerSeries: 200), minTime: 0, maxTime: .max,
                                            to: dir, options: options)
            }
            #expect(Kit.entries(dir).isEmpty)
        }
    }

    @Test func missingDirectoryIsAnIOError() throws {
        let s = Kit.series([("__name__", "a")], Kit.samples(count: 3) { Double($0) })
        do {
            try MetricBlockWriter.write([s], minTime: 0, maxTime: .max, to: "/nonexistent/kansoku/blocks")
            Issue.record("write succeeded")
        } catch {
            guard case .io(_, let path, let code) = error else { Issue.record("\(error)"); return }
            #expect(path.hasPrefix("/nonexistent/kansoku/blocks/"))
            #expect(code == ENOENT)
        }
    }
}
