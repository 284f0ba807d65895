import KansokuModel

/// A condition every entry a log query keeps is guaranteed to satisfy,
/// in terms a log store's indexes can check (token Bloom filters, trace-id
/// indexes, byte searches). Derived by ``LogQLQueryHints``; a store may use it
/// to skip data or drop entries that cannot match (the engine still filters
/// what it gets exactly).
public indirect enum LogQLEntryRequirement: Sendable, Hashable, CustomStringConvertible {
    /// The line contains these exact UTF-8 bytes (a store may check each line).
    case lineContains(String)
    /// The line has this whole token: a maximal run of ASCII letters and
    /// digits, delimited on both sides (compare case-insensitively).
    case lineToken(String)
    /// The line contains these 32 hex digits (either case), possibly inside a
    /// longer token.
    case lineTraceID(TraceID)
    /// The entry's `trace_id` label, from its structured metadata or its
    /// stream labels, spells this id.
    case metadataTraceID(TraceID)
    /// Every requirement holds.
    case all([LogQLEntryRequirement])
    /// At least one requirement holds.
    case any([LogQLEntryRequirement])

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
    static func all(of parts: [LogQLEntryRequirement]) -> LogQLEntryRequirement? {
        var flat: [LogQLEntryRequirement] = []
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
    static func any(of alternatives: [LogQLEntryRequirement?]) -> LogQLEntryRequirement? {
        var parts: [LogQLEntryRequirement] = []
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
