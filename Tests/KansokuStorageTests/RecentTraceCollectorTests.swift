import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("Recent trace collector: per-trace latest match, the limit-th key as threshold")
struct RecentTraceCollectorTests {
    // `#expect` cannot call a mutating member on its operand; these call it on the caller's collector.
    func threshold(_ collector: inout RecentTraceCollector) -> UInt64? { collector.threshold() }
    func mayChange(_ collector: inout RecentTraceCollector, byStartsUpTo maxStart: UInt64) -> Bool {
        collector.mayChange(byStartsUpTo: maxStart)
    }

    static func id(_ n: UInt64) -> TraceID { TraceBlockTestKit.traceID(n) }

    /// What the collector must hold: each trace's largest start.
    struct Reference {
        var latest: [TraceID: UInt64] = [:]

        mutating func add(_ id: TraceID, start: UInt64) {
            latest[id] = max(latest[id] ?? 0, start)
        }

        /// The `limit`-th largest key by a full sort; nil with fewer than `limit` traces.
        func threshold(limit: Int) -> UInt64? {
            let keys = latest.values.sorted(by: >)
            return keys.count >= limit ? keys[limit - 1] : nil
        }

        func hits(limit: Int) -> [TraceSearchHit] {
            let sorted = latest.map { TraceSearchHit(traceID: $0.key, latestMatchStart: $0.value) }.sorted { a, b in
                a.latestMatchStart != b.latestMatchStart ? a.latestMatchStart > b.latestMatchStart : a.traceID > b.traceID
            }
            return Array(sorted.prefix(limit))
        }
    }

    @Test("threshold, count and hits agree with a full sort after every add, for random inputs with duplicates and repeats",
          arguments: 0..<12)
    func randomAgainstSort(seedBase: UInt64) {
        var rng = SplitMix64(seed: 0xC011_EC70 &+ seedBase)
        for round in 0..<60 {
            let limit = Int(rng.next() % 25) + 1
            let traces = rng.next() % 40 + 1
            // Small start ranges force many equal keys; large ones exercise distinct keys.
            let span: UInt64 = [4, 16, 1_000, UInt64.max][Int(rng.next() % 4)]
            let adds = Int(rng.next() % 120)
            var collector = RecentTraceCollector(limit: limit)
            var reference = Reference()
            #expect(threshold(&collector) == nil)
            for step in 0..<adds {
                let trace = Self.id(rng.next() % traces)
                let start: UInt64
                if let known = reference.latest[trace], rng.next() % 3 == 0 {
                    // The same trace again, lower, equal or higher than its key.
                    switch rng.next() % 3 {
                    case 0: start = known == 0 ? 0 : known - 1 - rng.next() % known
                    case 1: start = known
                    default: start = known == .max ? known : known + 1 + rng.next() % min(span, .max - known)
                    }
                } else {
                    start = span == .max ? rng.next() : rng.next() % span
                }
                collector.add(trace, start: start)
                reference.add(trace, start: start)
                // Check at random points (and always at the end), so the cached threshold is read both stale and fresh.
                if rng.next() % 3 == 0 || step == adds - 1 {
                    let want = reference.threshold(limit: limit)
                    #expect(threshold(&collector) == want, "seed \(seedBase) round \(round) step \(step) limit \(limit)")
                    #expect(threshold(&collector) == want, "a second read returns the cached value")
                }
            }
            #expect(collector.count == reference.latest.count)
            #expect(threshold(&collector) == reference.threshold(limit: limit), "seed \(seedBase) round \(round) limit \(limit)")
            let hits = collector.hits()
            #expect(hits == reference.hits(limit: limit), "seed \(seedBase) round \(round) limit \(limit)")
            #expect(hits.count == min(limit, reference.latest.count))
        }
    }

    @Test("the threshold on hand-made keys: all equal, strictly descending input, ascending input, one trace raised")
    func thresholdExamples() {
        var equal = RecentTraceCollector(limit: 3)
        for n in 0..<5 { equal.add(Self.id(UInt64(n)), start: 7) }
        #expect(threshold(&equal) == 7)

        var descending = RecentTraceCollector(limit: 3)
        for n in 0..<10 { descending.add(Self.id(UInt64(n)), start: UInt64(100 - n)) }
        #expect(threshold(&descending) == 98)

        var ascending = RecentTraceCollector(limit: 4)
        for n in 0..<10 { ascending.add(Self.id(UInt64(n)), start: UInt64(n)) }
        #expect(threshold(&ascending) == 6)
        ascending.add(Self.id(0), start: 50)  // trace 0 moves from last to first
        #expect(threshold(&ascending) == 7)
        ascending.add(Self.id(0), start: 3)  // lower than its key: no change
        #expect(threshold(&ascending) == 7)
        #expect(ascending.count == 10)
        #expect(ascending.hits().map(\.latestMatchStart) == [50, 9, 8, 7])
        #expect(ascending.hits().first?.traceID == Self.id(0))

        var one = RecentTraceCollector(limit: 1)
        #expect(threshold(&one) == nil)
        one.add(Self.id(1), start: 5)
        #expect(threshold(&one) == 5)
        one.add(Self.id(2), start: 3)
        #expect(threshold(&one) == 5)
        one.add(Self.id(2), start: 9)
        #expect(threshold(&one) == 9)
    }

    @Test("a limit below one counts as one")
    func limitClamped() {
        for limit in [0, -5] {
            var collector = RecentTraceCollector(limit: limit)
            #expect(collector.limit == 1)
            #expect(threshold(&collector) == nil)
            collector.add(Self.id(1), start: 10)
            collector.add(Self.id(2), start: 20)
            #expect(threshold(&collector) == 20)
            #expect(collector.hits() == [TraceSearchHit(traceID: Self.id(2), latestMatchStart: 20)])
        }
    }

    @Test("hits: most recent first, equal starts by descending trace id, each trace once at its latest start, at most limit")
    func hitsOrder() {
        var collector = RecentTraceCollector(limit: 10)
        #expect(collector.hits().isEmpty)
        let a = TraceID(high: 1, low: 0), b = TraceID(high: 1, low: 1), c = TraceID(high: 0, low: .max), d = TraceID(high: 2, low: 0)
        collector.add(a, start: 100)
        collector.add(b, start: 100)
        collector.add(c, start: 100)
        collector.add(d, start: 50)
        collector.add(d, start: 200)
        collector.add(d, start: 150)  // lower than d's key: ignored
        collector.add(a, start: 100)  // equal: no change
        #expect(collector.count == 4)
        #expect(collector.hits() == [
            TraceSearchHit(traceID: d, latestMatchStart: 200),
            TraceSearchHit(traceID: b, latestMatchStart: 100),
            TraceSearchHit(traceID: a, latestMatchStart: 100),
            TraceSearchHit(traceID: c, latestMatchStart: 100),
        ])

        var limited = RecentTraceCollector(limit: 2)
        for (id, start) in [(a, 100), (b, 100), (c, 100), (d, 50)] as [(TraceID, UInt64)] { limited.add(id, start: start) }
        #expect(limited.count == 4, "every trace is kept; only the answer is cut")
        #expect(limited.hits() == [TraceSearchHit(traceID: b, latestMatchStart: 100), TraceSearchHit(traceID: a, latestMatchStart: 100)])
    }

    @Test("mayChange: always before limit traces are known; then exactly when maxStart reaches the threshold")
    func mayChange() {
        var collector = RecentTraceCollector(limit: 3)
        #expect(mayChange(&collector, byStartsUpTo: 0), "nil threshold: anything may change the answer")
        collector.add(Self.id(1), start: 100)
        collector.add(Self.id(2), start: 200)
        #expect(mayChange(&collector, byStartsUpTo: 0), "two traces of three: still nil")
        #expect(threshold(&collector) == nil)
        collector.add(Self.id(3), start: 300)
        #expect(threshold(&collector) == 100)
        #expect(mayChange(&collector, byStartsUpTo: 100), "equal to the threshold: a tie on start may still win by trace id")
        #expect(mayChange(&collector, byStartsUpTo: 101))
        #expect(mayChange(&collector, byStartsUpTo: .max))
        #expect(!mayChange(&collector, byStartsUpTo: 99))
        #expect(!mayChange(&collector, byStartsUpTo: 0))

        collector.add(Self.id(4), start: 250)  // pushes trace 1 out: threshold rises to 200
        #expect(threshold(&collector) == 200)
        #expect(!mayChange(&collector, byStartsUpTo: 199))
        #expect(mayChange(&collector, byStartsUpTo: 200))
        collector.add(Self.id(1), start: 1_000)  // trace 1 back on top: the third key is now 250
        #expect(threshold(&collector) == 250)
        #expect(!mayChange(&collector, byStartsUpTo: 249))
        #expect(mayChange(&collector, byStartsUpTo: 250))

        var zero = RecentTraceCollector(limit: 1)
        zero.add(Self.id(1), start: 0)
        #expect(threshold(&zero) == 0)
        #expect(mayChange(&zero, byStartsUpTo: 0), "a zero threshold never stops a visit")
    }

    @Test("stopping at the threshold never changes the answer: a random stream cut where mayChange turns false",
          arguments: 0..<8)
    func stoppingIsSafe(seedBase: UInt64) {
        var rng = SplitMix64(seed: 0x5709 &+ seedBase)
        for _ in 0..<40 {
            let limit = Int(rng.next() % 8) + 1
            // Chunks of (trace, start) visited newest chunk first, as a store visits sources by their max start.
            var chunks: [[(TraceID, UInt64)]] = (0..<Int(rng.next() % 12 + 1)).map { _ in
                (0..<Int(rng.next() % 10 + 1)).map { _ in (Self.id(rng.next() % 15), rng.next() % 64) }
            }
            chunks.sort { ($0.map(\.1).max() ?? 0) > ($1.map(\.1).max() ?? 0) }
            var full = RecentTraceCollector(limit: limit), early = RecentTraceCollector(limit: limit)
            for chunk in chunks { for (id, start) in chunk { full.add(id, start: start) } }
            for chunk in chunks {
                guard early.mayChange(byStartsUpTo: chunk.map(\.1).max() ?? 0) else { break }
                for (id, start) in chunk { early.add(id, start: start) }
            }
            #expect(early.hits() == full.hits())
        }
    }
}
