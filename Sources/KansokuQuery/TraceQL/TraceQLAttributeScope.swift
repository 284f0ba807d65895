/// Where an attribute reference looks for its value.
public enum TraceQLAttributeScope: String, Sendable, Hashable {
    /// `span.x`: the span's own attributes.
    case span
    /// `resource.x`: the attributes of the resource that produced the span.
    case resource
    /// `.x`: the span's attributes first, then the resource's.
    case unscoped = ""

    /// The scope a `<keyword>.` prefix names, or nil for any other word.
    init?(keyword: String) {
        switch keyword {
        case "span": self = .span
        case "resource": self = .resource
        default: return nil
        }
    }
}
