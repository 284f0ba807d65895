/// A condition every entry a query can return satisfies, stated in terms the
/// log block indexes can check (`docs/log-block-format.md`) or a cheap byte
/// search can: the contract between a query layer, which derives it from its
/// filters (`LogQLQueryHints`), and a log store, which uses it to skip blocks
/// and chunks that cannot hold such an entry and to drop entries before
/// building them. Callers still filter exactly, so a requirement must be
/// *implied* by the query's filters.
public indirect enum LogEntryRequirement: Sendable, Hashable, CustomStringConvertible {
    /// The entry's line contains these UTF-8 bytes: checked on each entry.
    case lineContains(String)
    /// The entry's line has this whole token (a maximal run of ASCII letters
    /// and digits or non-ASCII bytes, compared lowercased): the token Bloom
    /// filter. A string that is not exactly one token requires nothing.
    case lineToken(String)
    /// The entry's line contains the 32 hex digits of this id (either case,
    /// anywhere, even inside a longer token): the trace index.
    case lineTraceID(TraceID)
    /// The entry's `trace_id` structured metadata spells this id, or its
    /// stream has a `trace_id` label: the trace index.
    case metadataTraceID(TraceID)
    /// Every requirement holds.
    case all([LogEntryRequirement])
    /// At least one requirement holds.
    case any([LogEntryRequirement])

    public var description: String {
        switch self {
        case .lineContains(let text): "contains(\(text))"
        case .lineToken(let token): "token(\(token))"
        case .lineTraceID(let id): "line_trace_id(\(id.hex))"
        case .metadataTraceID(let id): "trace_id(\(id.hex))"
        case .all(let parts): "all(" + parts.map(\.description).joined(separator: ", ") + ")"
        case .any(let parts): "any(" + parts.map(\.description).joined(separator: ", ") + ")"
        }
    }

    /// `.all` of `parts`, flattened; nil when empty, the part itself when single.
    public static func all(of parts: [LogEntryRequirement]) -> LogEntryRequirement? {
        var flat: [LogEntryRequirement] = []
        for part in parts {
            if case .all(let inner) = part { flat += inner } else if !flat.contains(part) { flat.append(part) }
        }
        switch flat.count {
        case 0: return nil
        case 1: return flat[0]
        default: return .all(flat)
        }
    }

    /// `.any` of `alternatives`: nil when any alternative requires nothing (or
    /// there is none), the alternative itself when single.
    public static func any(of alternatives: [LogEntryRequirement?]) -> LogEntryRequirement? {
        var parts: [LogEntryRequirement] = []
        for alternative in alternatives {
            guard let alternative else { return nil }
            if !parts.contains(alternative) { parts.append(alternative) }
        }
        switch parts.count {
        case 0: return nil
        case 1: return parts[0]
        default: return .any(parts)
        }
    }
}
