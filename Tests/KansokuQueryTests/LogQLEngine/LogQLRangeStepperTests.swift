import Testing
@testable import KansokuQuery

@Suite("LogQL range stepper")
struct LogQLRangeStepperTests {
    /// Each step's samples come in label order, whatever the order of the
    /// series dictionary, so that summing them is reproducible.
    @Test func stepSamplesAreInLabelOrder() throws {
        guard case .rangeAggregation(let aggregation) = try LogQLParser.parseMetricQuery(#"rate({app="a"}[1m])"#) else {
            Issue.record("not a range aggregation")
            return
        }
        var series: [LogQLLabels: LogQLSeriesSamples] = [:]
        for pod in 0..<40 {
            var samples = LogQLSeriesSamples()
            for second in stride(from: Int64(pod % 7), to: 180, by: 7) { samples.append(second * 1_000_000_000, 1) }
            series[LogQLLabels(["app": "a", "pod": "p\(pod)"])] = samples
        }
        let steps = LogQLSteps(start: 60_000_000_000, end: 180_000_000_000, step: 30_000_000_000)
        let out = LogQLRangeStepper.evaluate(aggregation, series: series, steps: steps)
        #expect(out.count == 5)
        for samples in out {
            #expect(samples.count == 40)
            #expect(samples.map(\.labels) == series.keys.sorted())
        }
    }
}
