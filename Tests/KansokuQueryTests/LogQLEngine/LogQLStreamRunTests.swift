import Synchronization
import Testing
@testable import KansokuQuery

/// The fixture cut into runs of `runLength` entries per stream (as storage
/// chunks are), counting the runs read.
private final class ChunkedSource: LogQLSource {
    let base: InMemoryLogQLSource
    let runLength: Int
    let reads = Atomic<Int>(0)
    let offered = Atomic<Int>(0)

    init(_ base: InMemoryLogQLSource, runLength: Int) {
        self.base = base
        self.runLength = runLength
    }

    func select(_ selector: LogQLStreamSelector, start: Int64, end: Int64) throws -> [LogQLStream] {
        try base.select(selector, start: start, end: end)
    }

    func runs(_ selector: LogQLStreamSelector, start: Int64, end: Int64, hints: LogQLQueryHints) throws -> [LogQLStreamRun] {
        var runs: [LogQLStreamRun] = []
        // Streams in reverse label order, so that the engine cannot rely on the source's order.
        for stream in try base.select(selector, start: start, end: end).reversed() {
            for from in stride(from: 0, to: stream.entries.count, by: runLength) {
                let entries = Array(stream.entries[from..<min(from + runLength, stream.entries.count)])
                runs.append(LogQLStreamRun(labels: stream.labels, minTime: entries.first!.timestamp,
                                           maxTime: entries.last!.timestamp) {
                    self.reads.add(1, ordering: .relaxed)
                    return entries
                })
            }
        }
        offered.add(runs.count, ordering: .relaxed)
        return runs
    }
}

@Suite("LogQL evaluation over stored runs: early stop and one pass for every step")
struct LogQLStreamRunTests {
    private let logQueries = [
        #"{env="prod"}"#, #"{app="api"} | json | level="error""#, #"{app=~".+"} |= "1""#,
        #"{app=~".+"} | logfmt | drop status"#, #"{app="nginx"} | pattern `<ip> - - <_>` | line_format "{{.ip}}""#,
    ]

    /// Every entry of the query in output order, from one unlimited read.
    private func reference(_ query: String, _ direction: LogQLDirection, limit: Int) throws -> [LogQLStream] {
        let all = try logqlEngine.select(try LogQLParser.parseLogQuery(query), start: ns(0), end: ns(1_000),
                                         direction: direction, limit: 0)
        var rows = all.flatMap { stream in stream.entries.map { (stream.labels, $0) } }
        // Stable: within a stream, entries are already in direction order.
        rows = rows.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.1.timestamp != y.1.timestamp { return direction == .forward ? x.1.timestamp < y.1.timestamp : x.1.timestamp > y.1.timestamp }
            if x.0 != y.0 { return x.0 < y.0 }
            return a.offset < b.offset
        }.map(\.element)
        var grouped: [LogQLLabels: [LogQLEntry]] = [:]
        for (labels, entry) in rows.prefix(limit) { grouped[labels, default: []].append(entry) }
        return grouped.map { LogQLStream(labels: $0.key, entries: $0.value) }.sorted { $0.labels < $1.labels }
    }

    @Test(arguments: [LogQLDirection.forward, .backward])
    func limitedQueriesOverRunsEqualTheFullSortedAnswer(direction: LogQLDirection) throws {
        for query in logQueries {
            for limit in [1, 7, 50, 1_000] {
                let source = ChunkedSource(logqlFixture, runLength: 6)
                let got = try LogQLEngine(source: source).select(try LogQLParser.parseLogQuery(query), start: ns(0),
                                                                 end: ns(1_000), direction: direction, limit: limit)
                #expect(got == (try reference(query, direction, limit: limit)), "\(query) \(direction) limit \(limit)")
            }
        }
    }

    @Test func aSmallLimitReadsOnlyTheNewestRuns() throws {
        let source = ChunkedSource(logqlFixture, runLength: 5)
        let got = try LogQLEngine(source: source).select(try LogQLParser.parseLogQuery(#"{env="prod"}"#), start: ns(0),
                                                         end: ns(1_000), direction: .backward, limit: 3)
        #expect(got.flatMap(\.entries).map(\.timestamp) == [ns(594), ns(588), ns(582)])
        // nginx's newest run (570…594 s) holds all three; every other run ends before 582 s.
        #expect(source.reads.load(ordering: .relaxed) == 1)
        #expect(source.offered.load(ordering: .relaxed) > 30)
    }

    /// `sum by` over `count_over_time` groups each line's sample at once; the
    /// answer equals the one computed from every parsed series.
    @Test func foldedSumEqualsSumOverEverySeries() throws {
        let source = ChunkedSource(logqlFixture, runLength: 4)
        let engine = LogQLEngine(source: source)
        for (folded, unfolded) in [
            (#"sum by (level) (count_over_time({app="api", env="prod"} | json [2m]))"#,
             #"sum by (level) (count_over_time({app="api", env="prod"} | json [2m]) * 1)"#),
            (#"sum without (msg, trace_id, latency_ms, duration, size) (bytes_over_time({app="api", env="prod"} | json [5m]))"#,
             #"sum without (msg, trace_id, latency_ms, duration, size) (bytes_over_time({app="api", env="prod"} | json [5m]) * 1)"#),
            (#"sum(count_over_time({env="prod"} |= "1" [1m]))"#, #"sum(count_over_time({env="prod"} |= "1" [1m]) * 1)"#),
        ] {
            let a = try engine.rangeQuery(try LogQLParser.parseMetricQuery(folded), start: ns(0), end: ns(700), step: 30_000_000_000)
            let b = try engine.rangeQuery(try LogQLParser.parseMetricQuery(unfolded), start: ns(0), end: ns(700), step: 30_000_000_000)
            #expect(a == b, "\(folded)")
            guard case .matrix(let series) = a else { Issue.record("not a matrix"); continue }
            #expect(!series.isEmpty)
        }
    }

    /// With many runs the extraction is split among the cores; answers and
    /// the pipeline error reported are those of one pass over one run per stream.
    @Test func runsSplitAmongCoresGiveTheSinglePassAnswer() throws {
        let chunked = LogQLEngine(source: ChunkedSource(logqlFixture, runLength: 2))
        for query in [
            #"sum by (app) (count_over_time({app=~".+"} [3m]))"#,
            #"count_over_time({env="prod"} |= "1" [2m])"#,
            #"last_over_time({app="api", env="prod"} | json | unwrap latency_ms [4m])"#,
            #"quantile_over_time(0.9, {app="api"} | logfmt | unwrap duration(duration) [10m]) by (env)"#,
        ] {
            let expr = try LogQLParser.parseMetricQuery(query)
            let step: Int64 = 20_000_000_000
            let reference = Result { try logqlEngine.rangeQuery(expr, start: ns(0), end: ns(700), step: step) }
            let split = Result { try chunked.rangeQuery(expr, start: ns(0), end: ns(700), step: step) }
            switch (reference, split) {
            case (.success(let a), .success(let b)): #expect(a == b, "\(query)")
            case (.failure(let a), .failure(let b)): #expect(String(describing: a) == String(describing: b), "\(query)")
            default: Issue.record("\(query): \(reference) vs \(split)")
            }
        }
        let failing = try LogQLParser.parseMetricQuery(#"count_over_time({app=~".+"} | json [10m])"#)
        #expect(throws: LogQLEvaluationError.self) { try chunked.rangeQuery(failing, start: ns(0), end: ns(700), step: 60_000_000_000) }
    }

    /// Every window of a range query holds exactly the lines in `(t - range, t]`,
    /// including steps a series skips and windows wider or narrower than the step.
    @Test(arguments: [(10, 60), (60, 10), (45, 45), (7, 300)])
    func rangeWindowsMatchACountPerStep(stepSeconds: Int64, rangeSeconds: Int64) throws {
        let engine = LogQLEngine(source: ChunkedSource(logqlFixture, runLength: 3))
        let query = #"count_over_time({app="api", env="staging"}[\#(rangeSeconds)s] offset 5s)"#
        let result = try engine.rangeQuery(try LogQLParser.parseMetricQuery(query), start: ns(-85), end: ns(700),
                                           step: stepSeconds * 1_000_000_000)
        guard case .matrix(let series) = result else { Issue.record("not a matrix"); return }
        var expected: [LogQLPoint] = []
        var t = ns(-85)
        while t <= ns(700) {
            let upper = t - 5_000_000_000, lower = upper - rangeSeconds * 1_000_000_000
            // Staging lines are at i·30 s for i in 0..<20.
            let count = (0..<20).filter { ns(Int64($0) * 30) > lower && ns(Int64($0) * 30) <= upper }.count
            if count > 0 { expected.append(LogQLPoint(timestamp: t, value: Double(count))) }
            t += stepSeconds * 1_000_000_000
        }
        #expect(!expected.isEmpty)
        #expect(series.map(\.points) == [expected])
    }
}
