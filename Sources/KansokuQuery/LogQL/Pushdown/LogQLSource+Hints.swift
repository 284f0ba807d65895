extension LogQLSource {
    /// Sources without indexes ignore the hints.
    public func select(_ selector: LogQLStreamSelector, start: Int64, end: Int64,
                       hints: LogQLQueryHints) throws -> [LogQLStream] {
        try select(selector, start: start, end: end)
    }
}
