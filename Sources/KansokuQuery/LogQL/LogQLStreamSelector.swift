/// A stream selector: `{app="api", env=~"prod|stg"}`.
public struct LogQLStreamSelector: Sendable, Hashable, CustomStringConvertible {
    /// The matchers, in source order.
    public var matchers: [LogQLMatcher]

    /// Creates a selector.
    public init(matchers: [LogQLMatcher]) { self.matchers = matchers }

    /// Loki's rule: at least one matcher must reject the empty value,
    /// otherwise the selector would scan every stream in the tenant.
    public var hasNonEmptyCompatibleMatcher: Bool {
        matchers.contains { !$0.matchesEmpty }
    }

    public var description: String {
        "{" + matchers.map(\.description).joined(separator: ", ") + "}"
    }
}
