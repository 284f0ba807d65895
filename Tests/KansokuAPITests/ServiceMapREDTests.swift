import KansokuModel
import Testing
@testable import KansokuAPI

@Suite struct ServiceMapREDTests {
    typealias F = ServiceMapFixtures

    @Test func seriesPerServiceSpanNameAndKind() throws {
        let metrics = try REDMetrics.compute(in: F.store, startNanos: F.windowStart, endNanos: F.windowEnd)
        #expect(metrics.series.map { "\($0.service)|\($0.spanName)|\($0.spanKindLabel)|\($0.requests)/\($0.errors)" } == [
            "checkout|INSERT orders|SPAN_KIND_CLIENT|1/0",
            "checkout|POST /checkout|SPAN_KIND_SERVER|2/0",
            "checkout|charge|SPAN_KIND_CLIENT|2/1",
            "frontend|GET /|SPAN_KIND_SERVER|2/0",
            "frontend|POST /checkout|SPAN_KIND_CLIENT|2/0",
            "payments|charge|SPAN_KIND_SERVER|2/1",  // the payments batch is stored twice
        ])
        // The window is exactly one second long.
        #expect(metrics.series.map(\.ratePerSecond) == [1, 2, 2, 2, 2, 2])
        let payments = metrics.series[5]
        #expect(payments.errorRate == 0.5)
        #expect(payments.latency.counts[5] == 1)  // 25 ms
        #expect(payments.latency.counts[7] == 1)  // 150 ms
        let frontend = metrics.series[3]
        // 100 ms (≤ 0.1) and 300 ms (≤ 0.4).
        #expect(frontend.latency.counts[6] == 1 && frontend.latency.counts[8] == 1)
        #expect(abs(try #require(frontend.latency.p50Seconds) - 0.1) < 1e-12)
    }

    @Test func serviceFilterAndWindow() throws {
        let payments = try REDMetrics.compute(in: F.store, startNanos: F.windowStart, endNanos: F.windowEnd,
                                              service: "payments")
        #expect(payments.series.map(\.service) == ["payments"])
        let late = try REDMetrics.compute(in: F.store, startNanos: F.windowEnd + 1, endNanos: F.windowEnd + 2_000 * F.ms,
                                          service: "frontend")
        #expect(late.series.map { "\($0.spanName):\($0.requests)" } == ["GET /:1", "POST /checkout:1"])
        let none = try REDMetrics.compute(in: F.store, startNanos: F.windowStart, endNanos: F.windowEnd,
                                          service: "nobody")
        #expect(none.series.isEmpty)
    }

    @Test func emptyWindowHasNoRate() {
        // The ok trace's payments span starts at 4 ms.
        var builder = REDMetricsBuilder(startNanos: F.base + 4 * F.ms, endNanos: F.base + 4 * F.ms)
        builder.add(F.paymentsBatch)
        let metrics = builder.build()
        #expect(metrics.series.map(\.requests) == [1])
        #expect(metrics.series.map(\.ratePerSecond) == [0])
    }
}
