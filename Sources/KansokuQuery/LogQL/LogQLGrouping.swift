/// `by (a, b)` or `without (a)`.
public struct LogQLGrouping: Sendable, Hashable, CustomStringConvertible {
    /// `true` for `without`, `false` for `by`.
    public var without: Bool
    /// The labels; may be empty (`by ()`).
    public var labels: [String]

    /// Creates a grouping clause.
    public init(without: Bool, labels: [String]) {
        self.without = without
        self.labels = labels
    }

    public var description: String {
        (without ? "without" : "by") + " (" + labels.joined(separator: ", ") + ")"
    }
}
