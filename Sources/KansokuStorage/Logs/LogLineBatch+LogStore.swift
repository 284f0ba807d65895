import KansokuModel

extension LogStore {
    /// Writes the lines' WAL payload straight from the request's bytes
    /// (``LogLineBatch/walPayload()``, the same bytes `lines.logBatch()`
    /// would make), sparing a string per line. Mirrors ``append(_:)-(LogBatch)``.
    public func append(_ lines: LogLineBatch) async throws {
        _ = try await log.append(lines.walPayload())
    }
}
