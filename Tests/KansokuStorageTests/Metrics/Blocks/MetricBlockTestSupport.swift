import Foundation
@testable import KansokuStorage
import KansokuModel

/// Fixtures and helpers shared by the metric block tests.
enum MetricBlockTestKit {
    /// Runs `body` with a fresh directory that is removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.path + "/kansoku-metric-block-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    /// A series whose samples are cut into chunks of 120, as the head cuts them.
    static func series(_ pairs: [(String, String)], _ samples: [Sample]) -> MetricBlockSeries {
        MetricBlockSeries(labels: SeriesLabels(pairs), chunks: MetricBlockCompactor.encode(samples))
    }

    static func matcher(_ name: String, _ op: SeriesMatcher.Operator, _ value: String) -> SeriesMatcher {
        try! SeriesMatcher(name: name, op: op, value: value)
    }

    /// Samples every `step` ms from `start`, valued by `value(i)`.
    static func samples(count: Int, start: Int64 = 1_000_000, step: Int64 = 15_000,
                        _ value: (Int) -> Double) -> [Sample] {
        (0..<count).map { Sample(timestamp: start + Int64($0) * step, value: value($0)) }
    }

    /// Names of the entries of `directory`.
    static func entries(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    /// Everything a block holds, read back through `allSeries`, as samples.
    static func contents(_ reader: MetricBlockReader) throws -> [SeriesLabels: [Sample]] {
        var out: [SeriesLabels: [Sample]] = [:]
        for s in try reader.allSeries() { out[s.labels] = try s.samples() }
        return out
    }
}

/// A small deterministic generator (SplitMix64), so fixtures are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
