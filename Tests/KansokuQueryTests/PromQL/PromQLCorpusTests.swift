import Foundation
import Testing
@testable import KansokuQuery

/// Parses every `eval` expression of the upstream PromQL test scripts.
@Suite("PromQL corpus")
struct PromQLCorpusTests {
    /// Language that dashboards and alert rules use; every expression must parse.
    static let stableFiles: Set<String> = [
        "literals.test", "selectors.test", "operators.test", "functions.test", "histograms.test",
        "range_queries.test", "collision.test", "name_label_dropping.test", "native_histograms.test",
    ]

    @Test("every eval expression of the stable scripts parses and round-trips")
    func corpus() throws {
        guard let directory = PromQLTestScript.dataDirectory() else {
            print("SKIPPED: promql-testdata not found next to the package (../shared/reference/promql-testdata) and KANSOKU_SHARED_DIR not set")
            return
        }
        print("[promql corpus] reading \(directory.path)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".test") }
            .sorted()
        #expect(!files.isEmpty)
        for file in files {
            let evals = try PromQLTestScript.evals(in: directory.appendingPathComponent(file))
            let stable = Self.stableFiles.contains(file)
            var parsed = 0, expectedFailures = 0, failures: [String] = []
            for eval in evals {
                do {
                    let expression = try PromQLParser.parse(eval.expression)
                    parsed += 1
                    if eval.expectsParseError {
                        failures.append("\(file):\(eval.line): \(eval.expression) parsed but the script expects a parse error: \(eval.failMessage ?? "")")
                        continue
                    }
                    // Printing must give PromQL that parses back to the same thing.
                    let printed = expression.description
                    do {
                        let reparsed = try PromQLParser.parse(printed)
                        if stable {
                            #expect(reparsed.description == printed, "\(file):\(eval.line): \(eval.expression) printed as \(printed), reprinted as \(reparsed)")
                        }
                    } catch {
                        if stable { Issue.record("\(file):\(eval.line): \(eval.expression) printed as \(printed) which fails: \(error)") }
                    }
                } catch {
                    if eval.expectsFailure {
                        expectedFailures += 1
                    } else {
                        failures.append("\(file):\(eval.line): \(eval.expression) -> \(error)")
                    }
                }
            }
            let label = stable ? "stable" : "gated"
            print("[promql corpus] \(file) (\(label)): \(evals.count) evals, \(parsed) parsed, \(expectedFailures) failed as expected, \(failures.count) unexpected parse failures")
            for failure in failures {
                if stable {
                    Issue.record("\(failure)")
                } else {
                    print("  gated: \(failure)")
                }
            }
        }
    }
}
