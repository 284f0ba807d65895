import Testing
@testable import KansokuQuery

@Suite("PromQL test-script runner")
struct PromQLTestScriptRunnerTests {
    @Test("value sequences expand like upstream's")
    func expansion() throws {
        #expect(PromQLTestScriptValues.expand("0+10x3") == [0, 10, 20, 30])
        #expect(PromQLTestScriptValues.expand("5-1x2") == [5, 4, 3])
        #expect(PromQLTestScriptValues.expand("-2+1x1") == [-2, -1])
        #expect(PromQLTestScriptValues.expand("1x2 _ _x2 3") == [1, 1, 1, nil, nil, nil, 3])
        #expect(PromQLTestScriptValues.expand("0x3") == [0, 0, 0, 0])
        #expect(PromQLTestScriptValues.expand("1e3 -Inf")! == [1000, -.infinity])
        let stale = PromQLTestScriptValues.expand("stale")!
        #expect(stale.count == 1 && PromQLStaleness.isMarker(stale[0]!))
    }

    @Test("series lines split at the closing brace, even with spaces in values")
    func splitting() {
        #expect(PromQLTestScriptValues.splitSeriesLine("a{b=\"x y}\"} 1 2") == ("a{b=\"x y}\"}", "1 2"))
        #expect(PromQLTestScriptValues.splitSeriesLine("metric\t1") == ("metric", "1"))
        #expect(PromQLTestScriptValues.parseLabels("{}") == .empty)
    }

    @Test("a script reports passes, failures and unsupported evals")
    func run() {
        let script = """
        load 1m
          m{a="1"} 0+1x5
          hist {{schema:0 count:1}}

        eval instant at 2m m
          m{a="1"} 2

        eval range from 0 to 2m step 1m m * 2
          {a="1"} 0 2 4

        eval instant at 2m m
          m{a="1"} 3

        eval instant at 0 hist
          hist 1

        eval instant at 0 1 +
          expect fail

        eval_fail instant at 0 m + on(a) group_left m
          expected_fail_regexp .*found duplicate series.*

        clear

        eval instant at 0 m
        """
        let report = PromQLTestScriptRunner().run(script: script, name: "inline")
        #expect(report.outcomes.map(\.line) == [5, 8, 11, 14, 17, 20, 25])
        #expect(report.passed == 4)
        #expect(report.failed == 2)
        #expect(report.unsupported == 1)
        #expect(report.firstFailure?.hasPrefix("line 11: m") == true)
    }
}

@Suite("PromQL label hash (limit_ratio)")
struct PromQLLabelHashTests {
    @Test("XXH64 matches the reference vectors")
    func xxh64() {
        #expect(PromQLLabelHash.xxh64([]) == 0xEF46_DB37_51D8_E999)
        #expect(PromQLLabelHash.xxh64(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        // Longer than 32 bytes exercises the four-lane loop.
        #expect(PromQLLabelHash.xxh64(Array("Nobody inspects the spammish repetition".utf8)) == 0xFBCE_A83C_8A37_8BF1)
    }

    @Test("limit_ratio keeps complementary subsets for r and r-1")
    func complementary() throws {
        let store = promqlStore((0..<20).map { ("x{i=\"\($0)\"}", "1") })
        let kept = try promqlVector(store, "limit_ratio(0.3, x)", at: 0)
        let rest = try promqlVector(store, "limit_ratio(-0.7, x)", at: 0)
        #expect(kept.count + rest.count == 20)
        #expect(Set(kept.keys).isDisjoint(with: rest.keys))
        #expect(try promqlVector(store, "limit_ratio(1, x)", at: 0).count == 20)
    }
}

@Suite("PromQL test-script @ variants")
struct PromQLTestScriptAtVariantsTests {
    @Test("selectors and outer subqueries are pinned; time-dependent queries are not")
    func pinning() throws {
        let pinned = PromQLTestScriptAtVariants.pinned(try PromQLParser.parse("rate(x[5m]) + max_over_time(y[1m:10s]) + z @ 5"), at: 60_000)
        let selectors = try #require(pinned).vectorSelectors
        #expect(selectors.map(\.at) == [.timestamp(milliseconds: 60_000), nil, .timestamp(milliseconds: 5_000)])
        guard case .binary(let sum) = pinned, case .binary(let left) = sum.lhs, case .call(let call) = left.rhs,
              case .subquery(let subquery) = call.arguments[0] else { Issue.record("unexpected shape"); return }
        #expect(subquery.at == .timestamp(milliseconds: 60_000))
        #expect(PromQLTestScriptAtVariants.pinned(try PromQLParser.parse("x + time()"), at: 1) == nil)
        #expect(PromQLTestScriptAtVariants.pinned(try PromQLParser.parse("max_over_time(timestamp(x)[1m:])"), at: 1) == nil)
    }
}
