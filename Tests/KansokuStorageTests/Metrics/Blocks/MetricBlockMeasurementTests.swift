import Foundation
import Testing
@testable import KansokuStorage
import KansokuModel

/// Prints bytes per sample of realistic data (not asserted beyond sanity):
/// XOR chunks alone, and whole block files with and without zstd frames.
@Suite struct MetricBlockMeasurementTests {
    typealias Kit = MetricBlockTestKit
    static let seriesCount = 10_000
    static let samplesPerSeries = 480

    /// node_exporter-like: CPU-seconds counters in 1/100 s steps, byte and
    /// operation counters, memory gauges moving by pages, temperatures in
    /// half degrees, constants, load averages, rarely-moving error counters.
    static func nodeExporterLike() -> [MetricBlockSeries] {
        var rng = SplitMix64(seed: 7)
        return (0..<seriesCount).map { i in
            let kind = i % 10
            var value: Double
            switch kind {
            case 0, 1, 2: value = 12345.67 + Double(i)
            case 4: value = 8e9 + Double(Int.random(in: 0...10_000, using: &rng)) * 4096
            case 6: value = 5.0e11
            default: value = Double(Int.random(in: 0...1_000_000, using: &rng))
            }
            let busy = Int.random(in: 1...1500, using: &rng)
            let samples = Kit.samples(count: samplesPerSeries, start: 1_700_000_000_000, step: 15_000) { _ in
                switch kind {
                case 0, 1, 2: value = ((value * 100).rounded() + Double(Int.random(in: 0...busy, using: &rng))) / 100
                case 3: value += Double(Int.random(in: 0...200_000, using: &rng))
                case 4: value += Double(Int.random(in: -100...100, using: &rng)) * 4096
                case 5: value = [44.5, 45.0, 45.5, 46.0].randomElement(using: &rng)!
                case 6: break
                case 7: value += Double(Int.random(in: 0...50, using: &rng))
                case 8: value = Double(Int.random(in: 0...400, using: &rng)) / 100
                default: if Int.random(in: 0..<50, using: &rng) == 0 { value += 1 }
                }
                return value
            }
            return Kit.series([("__name__", "node_metric_\(kind)"), ("instance", "host-\(i / 100):9100"),
                               ("job", "node"), ("cpu", String(i % 100))], samples)
        }
    }

    /// Full-precision random walks.
    static func randomWalks() -> [MetricBlockSeries] {
        var rng = SplitMix64(seed: 11)
        return (0..<seriesCount).map { i in
            var value = Double.random(in: 0...1000, using: &rng)
            let samples = Kit.samples(count: samplesPerSeries, start: 1_700_000_000_000, step: 15_000) { _ in
                value += Double.random(in: -1...1, using: &rng)
                return value
            }
            return Kit.series([("__name__", "walk"), ("instance", "host-\(i / 100)"), ("n", String(i % 100))], samples)
        }
    }

    static func measure(_ name: String, _ series: [MetricBlockSeries], in dir: String) throws {
        let samples = Double(series.reduce(0) { $0 + $1.sampleCount })
        let chunkBytes = Double(series.reduce(0) { $0 + $1.chunks.reduce(0) { $0 + $1.chunk.bytes.count } })
        print("[measure] \(name): XOR chunks alone \(String(format: "%.3f", chunkBytes / samples)) B/sample")
        let configs: [(String, Bool, Int)] = [("raw", false, 64 << 10), ("zstd 16K", true, 16 << 10),
                                              ("zstd 64K", true, 64 << 10), ("zstd 256K", true, 256 << 10)]
        for (label, compress, frameSize) in configs {
            var options = MetricBlockWriter.Options()
            options.compress = compress
            options.frameSize = frameSize
            let clock = ContinuousClock()
            let start = clock.now
            let meta = try MetricBlockWriter.write(series, minTime: 0, maxTime: .max, to: dir, options: options)
            let written = clock.now
            let reader = try MetricBlockReader(path: meta.path)
            let one = try reader.select([Kit.matcher("instance", .regexMatch, "host-42.*")], start: .min, end: .max)
            let queried = clock.now
            #expect(one.count == 100)
            print("[measure] \(name) \(label): file \(meta.fileBytes) B, \(String(format: "%.3f", Double(meta.fileBytes) / samples)) B/sample "
                  + "(write \(written - start), open+select 100 series \(queried - written))")
            try FileManager.default.removeItem(atPath: meta.path)
        }
    }

    @Test func bytesPerSample() throws {
        try Kit.withTemporaryDirectory { dir in
            try Self.measure("node_exporter-like 10000x480", Self.nodeExporterLike(), in: dir)
            try Self.measure("random-walk gauges 10000x480", Self.randomWalks(), in: dir)
        }
    }
}
