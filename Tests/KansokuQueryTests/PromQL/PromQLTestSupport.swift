@testable import KansokuQuery

/// Parses `query` or returns the error, for tests that check either outcome.
func promqlError(_ query: String) -> PromQLParseError? {
    do {
        _ = try PromQLParser.parse(query)
        return nil
    } catch {
        return error
    }
}

/// Parses `query` and prints it back canonically.
func promqlFormat(_ query: String) throws -> String {
    try PromQLParser.parse(query).description
}

/// An instant vector selector `name` with no other matchers.
func promqlSelector(_ name: String) -> PromQLExpression {
    .vectorSelector(PromQLVectorSelector(name: name, matchers: [PromQLLabelMatcher(name: "__name__", op: .equal, value: name)]))
}
