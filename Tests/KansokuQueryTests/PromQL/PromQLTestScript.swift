import Foundation

/// One `eval` command extracted from an upstream PromQL `.test` script.
struct PromQLScriptEval {
    var file: String
    var line: Int
    var expression: String
    /// `eval_fail` or an `expect fail` line: the query must fail (to parse or to run).
    var expectsFailure: Bool
    /// The expected error text or regexp from `expect fail msg:`/`regex:` or
    /// `expected_fail_message`/`expected_fail_regexp`.
    var failMessage: String?

    /// Whether the script expects a failure that is clearly a parse error
    /// (its message mentions "parse error"); other expected failures may
    /// happen at evaluation, so parsing them successfully is fine.
    var expectsParseError: Bool {
        expectsFailure && (failMessage?.contains("parse error") ?? false)
    }
}

/// Reads the `eval` commands of PromQL test scripts (format: FORMAT.md in the test-data folder).
enum PromQLTestScript {
    /// The upstream test-data folder, or `nil` when it is not available.
    ///
    /// `#filePath` is three levels below the package root; the data lives in
    /// `../shared/reference/promql-testdata` next to the package. When the
    /// tests are built through a symlinked scratch package the path is also
    /// tried with symlinks resolved, then `KANSOKU_SHARED_DIR`.
    static func dataDirectory(filePath: String = #filePath) -> URL? {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        let file = URL(fileURLWithPath: filePath)
        for base in [file, file.resolvingSymlinksInPath()] {
            let root = base.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            candidates.append(root.deletingLastPathComponent().appendingPathComponent("shared/reference/promql-testdata"))
        }
        if let shared = ProcessInfo.processInfo.environment["KANSOKU_SHARED_DIR"] {
            candidates.append(URL(fileURLWithPath: shared).appendingPathComponent("reference/promql-testdata"))
            candidates.append(URL(fileURLWithPath: shared))
        }
        return candidates.first { url in
            var isDirectory: ObjCBool = false
            return fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
                && fileManager.fileExists(atPath: url.appendingPathComponent("literals.test").path)
        }
    }

    /// All `eval*` commands of one script.
    static func evals(in url: URL) throws -> [PromQLScriptEval] {
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var result: [PromQLScriptEval] = []
        var index = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            defer { index += 1 }
            guard trimmed.hasPrefix("eval") else { continue }
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2 else { continue }
            let command = String(words[0])
            // instant: cmd instant at <t> <expr>; range: cmd range from <a> to <b> step <s> <expr>
            let skip = words[1] == "instant" ? 4 : 8
            guard words.count > skip else { continue }
            let expression = String(trimmed[words[skip].startIndex...]).trimmingCharacters(in: .whitespaces)
            var eval = PromQLScriptEval(file: url.lastPathComponent, line: index + 1, expression: expression,
                                        expectsFailure: command == "eval_fail", failMessage: nil)
            // The command's block: following non-empty, non-comment lines.
            var next = index + 1
            while next < lines.count {
                let body = lines[next].trimmingCharacters(in: .whitespaces)
                if body.isEmpty || body.hasPrefix("#") || body.hasPrefix("eval") || body.hasPrefix("load") || body == "clear" { break }
                if body.hasPrefix("expect fail") {
                    eval.expectsFailure = true
                    if let range = body.range(of: "msg:") {
                        eval.failMessage = body[range.upperBound...].trimmingCharacters(in: .whitespaces)
                    }
                    if let range = body.range(of: "regex:") {
                        eval.failMessage = body[range.upperBound...].trimmingCharacters(in: .whitespaces)
                    }
                } else if body.hasPrefix("expected_fail_message") || body.hasPrefix("expected_fail_regexp") {
                    eval.failMessage = String(body.drop(while: { $0 != " " })).trimmingCharacters(in: .whitespaces)
                }
                next += 1
            }
            result.append(eval)
        }
        return result
    }
}
