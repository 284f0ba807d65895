import KansokuQuery
import KansokuStorage
import Testing
@testable import KansokuAPI

@Suite("Loki live tail: parameters, messages, delay and filtering")
struct LokiTailTests {
    static let now: Int64 = 1_700_000_000_000_000_000

    static func parameters(_ pairs: [(String, String)]) -> LokiParameters {
        LokiParameters(parameters: PrometheusParameters(list: pairs.map { (name: $0.0, value: $0.1) }))
    }

    @Test("parameters: Loki's defaults and its refusals")
    func parsing() throws {
        let request = try LokiTailRequest.of(Self.parameters([("query", #"{app="api"} |= "x""#)]), now: Self.now)
        #expect(request.limit == 100)
        #expect(request.start == Self.now - 3_600_000_000_000)
        #expect(request.delayFor == .zero)
        let explicit = try LokiTailRequest.of(Self.parameters([("query", #"{app="api"}"#), ("limit", "7"), ("start", "1700000000"),
                                                               ("delay_for", "2")]), now: Self.now)
        #expect(explicit.limit == 7 && explicit.start == 1_700_000_000_000_000_000 && explicit.delayFor == .seconds(2))

        func message(_ pairs: [(String, String)]) -> String? {
            do { _ = try LokiTailRequest.of(Self.parameters(pairs), now: Self.now); return nil } catch { return error.message }
        }
        #expect(message([("query", #"sum(count_over_time({app="api"}[1m]))"#)]) == "parse error : only log selector is supported")
        #expect(message([("query", #"{app="api""#)])?.hasPrefix("parse error") == true)
        #expect(message([("query", #"{app="api"}"#), ("delay_for", "6")]) == "delay_for can't be greater than 5")
        #expect(message([("query", #"{app="api"}"#), ("limit", "0")]) == "limit must be a positive value")
        #expect(message([("query", #"{app=~"("}"#)])?.hasPrefix("error parsing regexp") == true)
    }

    @Test("messages group entries by labels in order of appearance and list dropped entries")
    func frames() {
        let a = [("app", "api")], b = [("app", "web")]
        let json = LokiTailFrame.json(entries: [
            LogTailEntry(labels: a, timestampNanos: 1, line: "one"),
            LogTailEntry(labels: b, timestampNanos: 2, line: "two \"quoted\""),
            LogTailEntry(labels: a, timestampNanos: 3, line: "three"),
        ], dropped: [LogTailDrop(labels: b, timestampNanos: 4)])
        #expect(json == #"{"streams":[{"stream":{"app":"api"},"values":[["1","one"],["3","three"]]},"#
            + #"{"stream":{"app":"web"},"values":[["2","two \"quoted\""]]}],"#
            + #""dropped_entries":[{"labels":{"app":"web"},"timestamp":"4"}]}"#)
        #expect(LokiTailFrame.json(entries: []) == #"{"streams":[]}"#)
    }

    @Test("delay_for holds entries, then releases them in timestamp order")
    func delay() {
        var queue = LokiTailDelayQueue(delay: .seconds(2))
        let t: Int64 = 10_000_000_000
        queue.add([LogTailEntry(labels: [], timestampNanos: t + 500, line: "later"),
                   LogTailEntry(labels: [], timestampNanos: t + 100, line: "earlier")], now: t + 1000)
        #expect(queue.release(now: t + 1000).isEmpty)
        #expect(queue.timeUntilNextRelease(now: t + 1000) == .nanoseconds(2_000_000_000 - 900))
        #expect(queue.release(now: t + 2_000_000_600).map(\.line) == ["earlier", "later"])
        #expect(queue.isEmpty && queue.timeUntilNextRelease(now: t) == nil)

        var immediate = LokiTailDelayQueue(delay: .zero)
        immediate.add([LogTailEntry(labels: [], timestampNanos: t + 9_000_000_000, line: "future")], now: t)
        #expect(immediate.release(now: t).map(\.line) == ["future"])
    }

    @Test("the query's selector and pipeline decide and rewrite what a tail sends")
    func sessionFilter() throws {
        let filter = try LogQLEntryFilter(LogQLParser.parseLogQuery(#"{app="api"} |= "error" | logfmt | status >= 500"#))
        let stream = [("app", "api"), ("env", "prod")]
        let kept = LokiTailSession.apply(filter, to: LogTailEntry(
            labels: stream, timestampNanos: 5, line: "level=error status=503 msg=upstream",
            structuredMetadata: [("trace_id", "abc")]))
        #expect(kept?.line == "level=error status=503 msg=upstream")
        let labels = Dictionary(kept?.labels ?? [], uniquingKeysWith: { a, _ in a })
        #expect(labels == ["app": "api", "env": "prod", "level": "error", "status": "503", "msg": "upstream", "trace_id": "abc"])
        #expect(LokiTailSession.apply(filter, to: LogTailEntry(labels: stream, timestampNanos: 6, line: "level=error status=404")) == nil)
        #expect(LokiTailSession.apply(filter, to: LogTailEntry(labels: [("app", "web")], timestampNanos: 7,
                                                               line: "level=error status=503")) == nil)
    }
}
