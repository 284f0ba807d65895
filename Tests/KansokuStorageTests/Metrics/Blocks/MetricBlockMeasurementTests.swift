import Foundation
import Testing
@testable import KansokuStorage
import KansokuModel

/// Compactness of blocks on realistic data, from a fixed seed so the sizes
/// are deterministic: zstd frames must pay off on node_exporter-like data and
/// never cost more than a few bytes on noise, and the bytes per sample must
/// not regress past the bounds below (measured: 2.8 and 6.6 at 64 KiB frames).
@Suite struct MetricBlockMeasurementTests {
    typealias Kit = MetricBlockTestKit
    static let seriesCount = 2_000
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

    /// Bytes per sample of `series` written as a raw block and as a zstd block.
    static func bytesPerSample(_ series: [MetricBlockSeries], in dir: String) throws -> (raw: Double, zstd: Double) {
        let samples = Double(series.reduce(0) { $0 + $1.sampleCount })
        var sizes: [Double] = []
        for compress in [false, true] {
            var options = MetricBlockWriter.Options()
            options.compress = compress
            let meta = try MetricBlockWriter.write(series, minTime: 0, maxTime: .max, to: dir, options: options)
            let reader = try MetricBlockReader(path: meta.path)
            let one = try reader.select([Kit.matcher("instance", .regexMatch, "host-7.*")], start: .min, end: .max)
            #expect(one.count == 100, "select through the index must still find host-7's series")
            sizes.append(Double(meta.fileBytes) / samples)
            try FileManager.default.removeItem(atPath: meta.path)
        }
        return (sizes[0], sizes[1])
    }

    @Test func nodeExporterLikeDataCompresses() throws {
        try Kit.withTemporaryDirectory { dir in
            let (raw, zstd) = try Self.bytesPerSample(Self.nodeExporterLike(), in: dir)
            #expect(zstd < raw * 0.85, "zstd frames should save at least 15% on node_exporter-like data: \(raw) → \(zstd)")
            #expect(zstd < 3.2, "bytes per sample regressed: \(zstd)")
        }
    }

    @Test func noiseCostsNoMoreThanRaw() throws {
        try Kit.withTemporaryDirectory { dir in
            let (raw, zstd) = try Self.bytesPerSample(Self.randomWalks(), in: dir)
            #expect(zstd <= raw, "a frame is stored raw when zstd does not make it smaller: \(raw) → \(zstd)")
            #expect(zstd < 7.0, "bytes per sample regressed: \(zstd)")
        }
    }
}
