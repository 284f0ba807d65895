/// Asks a query's stream predicate once per label set: every block and WAL
/// record repeats the same streams.
struct LogStreamVerdicts {
    private var known: [LogStreamLabels: Bool] = [:]

    mutating func matches(_ labels: LogStreamLabels, _ predicate: (LogStreamLabels) -> Bool) -> Bool {
        if let verdict = known[labels] { return verdict }
        let verdict = predicate(labels)
        known[labels] = verdict
        return verdict
    }
}
