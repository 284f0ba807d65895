import Foundation
import Testing
@testable import KansokuQuery

/// Runs every upstream PromQL test script through ``PromQLTestScriptRunner``
/// and guards against regressions: files listed in `fullyPassing` must stay
/// fully passing, and every file must keep at least its recorded number of
/// passing evals. Raise the numbers as the engine improves.
@Suite("PromQL conformance")
struct PromQLConformanceTests {
    /// Files where every eval passes today (no failures, nothing unsupported).
    static let fullyPassing: Set<String> = [
        "collision.test", "duration_expression.test", "fill-modifier.test", "functions.test", "histograms.test",
        "info.test", "limit.test", "literals.test", "name_label_dropping.test", "native_histograms.test",
        "operators.test", "range_queries.test", "selectors.test", "type_and_unit.test",
    ]

    /// Minimum passing evals per file (the count when last raised). What
    /// does not pass yet needs start timestamps, or anchored/smoothed
    /// selectors over native histograms.
    static let minimumPassing: [String: Int] = [
        // Stable language.
        "collision.test": 2, "functions.test": 431, "histograms.test": 185, "literals.test": 25,
        "name_label_dropping.test": 30, "native_histograms.test": 522, "operators.test": 213,
        "range_queries.test": 18, "selectors.test": 31,
        // Gated upstream.
        "duration_expression.test": 59, "extended_vectors.test": 124, "fill-modifier.test": 46, "info.test": 42,
        "limit.test": 37, "start_timestamps.test": 3, "type_and_unit.test": 58,
    ]

    @Test("upstream PromQL scripts: per-file pass/fail/unsupported table")
    func conformance() throws {
        guard let directory = PromQLTestScript.dataDirectory() else {
            print("SKIPPED: promql-testdata not found next to the package (../shared/reference/promql-testdata) and KANSOKU_SHARED_DIR not set")
            return
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".test") }.sorted()
        let runner = PromQLTestScriptRunner()
        var lines: [String] = []
        var failures: [String] = []
        var totals = (passed: 0, failed: 0, unsupported: 0)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for file in files {
                let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                let report = runner.run(script: text, name: file)
                totals.passed += report.passed
                totals.failed += report.failed
                totals.unsupported += report.unsupported
                let stable = PromQLCorpusTests.stableFiles.contains(file) ? "stable" : "gated"
                lines.append(Self.pad(file, 26) + " " + Self.pad(stable, 6)
                    + [report.outcomes.count, report.passed, report.failed, report.unsupported, report.passedWithUncheckedAnnotations].map { Self.pad("\($0)", 6, right: true) }.joined())
                // PROMQL_CONFORMANCE_VERBOSE=<file> lists every eval that did not pass.
                if ProcessInfo.processInfo.environment["PROMQL_CONFORMANCE_VERBOSE"] == file {
                    for outcome in report.outcomes where outcome.status != .passed {
                        print("  line \(outcome.line): \(outcome.expression)\n      \(outcome.status)")
                    }
                }
                if let first = report.firstFailure { failures.append("\(file): \(first)") }
                if Self.fullyPassing.contains(file) {
                    #expect(report.failed == 0 && report.unsupported == 0, "\(file) no longer passes completely: \(report.firstFailure ?? "unsupported evals")")
                }
                if let minimum = Self.minimumPassing[file] {
                    #expect(report.passed >= minimum, "\(file): \(report.passed) evals pass, expected at least \(minimum)")
                }
            }
        }
        print("[promql conformance] " + Self.pad("file", 26) + " " + Self.pad("kind", 6) + ["evals", "pass", "fail", "unsup", "ann?"].map { Self.pad($0, 6, right: true) }.joined())
        for line in lines { print("[promql conformance] \(line)") }
        print("[promql conformance] total: \(totals.passed) passed, \(totals.failed) failed, \(totals.unsupported) unsupported in \(elapsed)")
        print("[promql conformance] ann? = passed evals whose expected warnings/infos were not checked (annotations are not implemented)")
        for failure in failures { print("[promql conformance] first failure in \(failure)") }
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
