import Testing
@testable import KansokuQuery

/// A range query from 10:00 to 12:00 on the first day, with a 5m lookback and a 1m default subquery step.
private let m: Int64 = 60_000, h: Int64 = 3_600_000
private let s: Int64 = 10 * h, e: Int64 = 12 * h
private let lookback: Int64 = 5 * m, defaultStep: Int64 = m

@Suite("PromQLSelectionWindow")
struct PromQLSelectionWindowTests {
    private func window(_ query: String, start: Int64 = s, end: Int64 = e) throws -> [Int64] {
        let expression = try PromQLParser.parse(query)
        let w = PromQLSelectionWindow.window(of: expression, start: start, end: end, lookbackDelta: lookback,
                                             defaultSubqueryStep: defaultStep)
        return [w.start, w.end]
    }

    @Test("an instant selector reaches one lookback before the start")
    func plainSelector() throws {
        #expect(try window("x") == [s - 5 * m, e])
        #expect(try window("x{job=\"api\"}", start: e, end: e) == [e - 5 * m, e])
    }

    @Test("a range selector reaches its range before the start")
    func rangeSelector() throws {
        #expect(try window("x[5m]") == [s - 5 * m, e])
        #expect(try window("rate(x[10m])") == [s - 10 * m, e])
        #expect(try window("x[1h]") == [s - h, e])
    }

    @Test("offset shifts the whole window back")
    func offset() throws {
        #expect(try window("x offset 1h") == [s - h - 5 * m, e - h])
        #expect(try window("rate(x[10m] offset 1h)") == [s - h - 10 * m, e - h])
    }

    @Test("a negative offset shifts the window forward")
    func negativeOffset() throws {
        #expect(try window("x offset -1h") == [s + h - 5 * m, e + h])
        #expect(try window("x[10m] offset -30m") == [s + 30 * m - 10 * m, e + 30 * m])
    }

    @Test("@ pins the evaluation time, whatever the query range")
    func atTimestamp() throws {
        #expect(try window("x @ 1000") == [1_000_000 - 5 * m, 1_000_000])
        #expect(try window("x[10m] @ 1000") == [1_000_000 - 10 * m, 1_000_000])
        #expect(try window("x @ 1000 offset 1m") == [1_000_000 - m - 5 * m, 1_000_000 - m])
        #expect(try window("x @ 1000.5") == [1_000_500 - 5 * m, 1_000_500])
    }

    @Test("@ start() and @ end() pin to the query's ends")
    func atStartEnd() throws {
        #expect(try window("x @ start()") == [s - 5 * m, s])
        #expect(try window("x @ end()") == [e - 5 * m, e])
        #expect(try window("rate(x[10m] @ end() offset 1h)") == [e - h - 10 * m, e - h])
    }

    @Test("a subquery reaches its range plus one step before the start")
    func subquery() throws {
        // Inner evaluations from start - 30m - 1m; each reads 5m back.
        #expect(try window("rate(x[5m])[30m:1m]") == [s - 36 * m, e])
        // No step: the default subquery step.
        #expect(try window("rate(x[5m])[30m:]") == [s - 30 * m - defaultStep - 5 * m, e])
        #expect(try window("max_over_time(x[30m:2m])") == [s - 32 * m - 5 * m, e])
    }

    @Test("subquery offset and @ move the inner evaluations")
    func subqueryModifiers() throws {
        #expect(try window("rate(x[5m])[30m:1m] offset 1h") == [s - h - 36 * m, e - h])
        #expect(try window("rate(x[5m])[30m:1m] @ 1000") == [1_000_000 - 36 * m, 1_000_000])
        #expect(try window("rate(x[5m] @ start())[30m:1m]") == [s - 5 * m, s])
    }

    @Test("nested subqueries add up their ranges and steps")
    func nestedSubquery() throws {
        // Outer: from start - 1h - 5m; inner: a further 30m + 1m; selector: 5m.
        #expect(try window("min_over_time(rate(x[5m])[30m:1m])[1h:5m]") == [s - h - 5 * m - 31 * m - 5 * m, e])
        #expect(try window("max_over_time(min_over_time(x[10m:1m])[20m:2m])") == [s - 22 * m - 11 * m - 5 * m, e])
    }

    @Test("several selectors give the window that covers them all")
    func union() throws {
        #expect(try window("x offset 1h + y") == [s - h - 5 * m, e])
        #expect(try window("x offset -1h / rate(y[2h])") == [s - 2 * h, e + h])
        #expect(try window("sum by (job) (x @ 1000) and on () vector(1)") == [1_000_000 - 5 * m, 1_000_000])
        #expect(try window("topk(scalar(y offset 2h), x)") == [s - 2 * h - 5 * m, e])
        #expect(try window("-(x)") == [s - 5 * m, e])
    }

    @Test("expressions without selectors read nothing: the query range itself")
    func noSelectors() throws {
        #expect(try window("1 + 2") == [s, e])
        #expect(try window("\"text\"") == [s, e])
        #expect(try window("vector(time())") == [s, e])
    }

    @Test("extended range modifiers reach one lookback before the range and after the end")
    func rangeModifiers() throws {
        #expect(try window("increase(x[10m] anchored)") == [s - 10 * m - 5 * m, e + 5 * m])
        #expect(try window("rate(x[10m] smoothed)") == [s - 10 * m - 5 * m, e + 5 * m])
    }

    @Test("a range, step or offset given as a duration expression makes the window unbounded", arguments: [
        "x[5m+1m]", "rate(x[2 * 5m])", "rate(x[5m])[30m+1m:1m]", "rate(x[5m])[30m:step()]", "x offset (1m+1m)",
        "rate(x[5m])[30m:1m] offset (2 * 1h)", "x + rate(y[step()])",
    ])
    func durationExpressions(query: String) throws {
        let w = try window(query)
        #expect(w == [Int64.min / 2, Int64.max / 2], "\(query)")
    }
}
