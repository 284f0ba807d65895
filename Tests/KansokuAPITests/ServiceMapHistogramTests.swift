import Testing
@testable import KansokuAPI

@Suite struct ServiceMapHistogramTests {
    static let ms: UInt64 = 1_000_000

    @Test func durationsFallInTheFirstBucketAtOrAboveThem() {
        var histogram = LatencyHistogram()
        histogram.record(nanos: 0)
        histogram.record(nanos: 2 * Self.ms)      // exactly 0.002
        histogram.record(nanos: 2 * Self.ms + 1)  // just above
        histogram.record(nanos: 15_000 * Self.ms) // exactly 15
        histogram.record(nanos: 20_000 * Self.ms) // +Inf
        #expect(histogram.counts[0] == 2)
        #expect(histogram.counts[1] == 1)
        #expect(histogram.counts[15] == 1)
        #expect(histogram.counts[16] == 1)
        #expect(histogram.count == 5)
        #expect(histogram.cumulativeCounts.last == 5)
        #expect(LatencyHistogram.labels.count == LatencyHistogram.boundsNanos.count + 1)
    }

    @Test func percentilesInterpolateWithinBuckets() throws {
        // 50 × 1 ms, 40 × 30 ms, 10 × 300 ms.
        var histogram = LatencyHistogram()
        for _ in 0..<50 { histogram.record(nanos: 1 * Self.ms) }
        for _ in 0..<40 { histogram.record(nanos: 30 * Self.ms) }
        for _ in 0..<10 { histogram.record(nanos: 300 * Self.ms) }
        #expect(histogram.cumulativeCounts[0] == 50)
        #expect(histogram.cumulativeCounts[5] == 90)
        #expect(histogram.cumulativeCounts[8] == 100)
        // Rank 50 ends the first bucket (0, 0.002].
        #expect(abs(try #require(histogram.p50Seconds) - 0.002) < 1e-12)
        // Rank 95: 5 of the 10 in (0.2, 0.4].
        #expect(abs(try #require(histogram.p95Seconds) - 0.3) < 1e-12)
        // Rank 99: 9 of the 10.
        #expect(abs(try #require(histogram.p99Seconds) - 0.38) < 1e-12)
        // Rank 70: 20 of the 40 in (0.01, 0.05].
        #expect(abs(try #require(histogram.quantile(0.7)) - 0.03) < 1e-12)
    }

    @Test func percentilesOfAnEmptyOrOverflowingHistogram() {
        #expect(LatencyHistogram().p50Seconds == nil)
        var histogram = LatencyHistogram()
        histogram.record(nanos: 60_000 * Self.ms)
        #expect(histogram.p99Seconds == 15)
    }
}
