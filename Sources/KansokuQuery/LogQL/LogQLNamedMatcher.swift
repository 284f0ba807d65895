/// An argument of `drop`/`keep`: a bare label name or a matcher
/// (`drop level="debug"` drops `level` only where it equals `debug`).
public enum LogQLNamedMatcher: Sendable, Hashable, CustomStringConvertible {
    /// Applies to the label regardless of value.
    case name(String)
    /// Applies only when the matcher matches.
    case matcher(LogQLMatcher)

    public var description: String {
        switch self {
        case .name(let name): return name
        case .matcher(let matcher): return matcher.description
        }
    }
}
