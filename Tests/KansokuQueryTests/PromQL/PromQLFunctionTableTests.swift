import Foundation
import Testing
@testable import KansokuQuery

@Suite("PromQL function table")
struct PromQLFunctionTableTests {
    /// Every function named in the reference's headings and bullet lists
    /// must be in the table (read from ../shared at run time, when present).
    @Test func coversTheFunctionsReference() throws {
        guard let testdata = PromQLTestScript.dataDirectory() else {
            print("SKIPPED: shared reference folder not found")
            return
        }
        let docs = testdata.deletingLastPathComponent().appendingPathComponent("prometheus-querying-docs/functions.md")
        guard let text = try? String(contentsOf: docs, encoding: .utf8) else {
            print("SKIPPED: functions.md not found at \(docs.path)")
            return
        }
        var names: Set<String> = []
        for line in text.split(separator: "\n") {
            // "## `abs()`", "## `histogram_count()` and `histogram_sum()`", "* `acos(v instant-vector)`: ..."
            guard line.hasPrefix("## ") || line.hasPrefix("* `") else { continue }
            var rest = Substring(line)
            while let open = rest.firstIndex(of: "`") {
                let after = rest[rest.index(after: open)...]
                guard let close = after.firstIndex(of: "`") else { break }
                let code = after[..<close]
                if let paren = code.firstIndex(of: "("), code[..<paren].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
                   let first = code.first, first.isLowercase {
                    // Lowercase only: "* `Exp(+Inf) = +Inf`" lines are Go special cases, not PromQL.
                    names.insert(String(code[..<paren]))
                }
                rest = after[after.index(after: close)...]
            }
        }
        #expect(names.count > 60, "parsed only \(names.count) names from functions.md")
        for name in names.sorted() {
            #expect(PromQLFunction.named(name) != nil, "missing function \(name)")
        }
    }

    @Test func signatures() throws {
        let rate = try #require(PromQLFunction.named("rate"))
        #expect(rate.argumentTypes == [.rangeVector])
        #expect(rate.returnType == .instantVector)
        let round = try #require(PromQLFunction.named("round"))
        #expect(round.minimumArguments == 1)
        #expect(round.maximumArguments == 2)
        let labelJoin = try #require(PromQLFunction.named("label_join"))
        #expect(labelJoin.maximumArguments == nil)
        #expect(labelJoin.argumentType(at: 7) == .string)
        #expect(PromQLFunction.named("scalar")?.returnType == .scalar)
        #expect(PromQLFunction.named("Rate") == nil, "function names are case-sensitive")
    }

    @Test func aggregationOperatorsFromTheReference() {
        let names = Set(PromQLAggregationOperator.allCases.map(\.rawValue))
        #expect(names == ["sum", "avg", "min", "max", "group", "count", "stddev", "stdvar", "topk", "bottomk",
                          "quantile", "count_values", "limitk", "limit_ratio"])
    }
}
