/// `on(...)`/`ignoring(...)` and `group_left`/`group_right` of a binary operation.
public struct LogQLVectorMatching: Sendable, Hashable, CustomStringConvertible {
    /// Which labels identify matching series.
    public enum Labels: Sendable, Hashable {
        /// `on(a, b)`: match on exactly these labels.
        case on([String])
        /// `ignoring(a, b)`: match on all labels except these.
        case ignoring([String])
    }

    /// Many-to-one / one-to-many modifiers.
    public enum Group: Sendable, Hashable {
        /// `group_left(extra...)`: many left series per right series.
        case left([String])
        /// `group_right(extra...)`.
        case right([String])
    }

    /// The matching labels.
    public var labels: Labels
    /// The grouping modifier, if any.
    public var group: Group?

    /// Creates a matching clause.
    public init(labels: Labels, group: Group? = nil) {
        self.labels = labels
        self.group = group
    }

    public var description: String {
        var out: String
        switch labels {
        case .on(let names): out = "on (" + names.joined(separator: ", ") + ")"
        case .ignoring(let names): out = "ignoring (" + names.joined(separator: ", ") + ")"
        }
        switch group {
        case .left(let names): out += " group_left (" + names.joined(separator: ", ") + ")"
        case .right(let names): out += " group_right (" + names.joined(separator: ", ") + ")"
        case nil: break
        }
        return out
    }
}
