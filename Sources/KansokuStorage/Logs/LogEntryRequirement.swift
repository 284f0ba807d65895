import KansokuModel

/// A condition every entry a query can return satisfies, stated in terms the
/// log block indexes can check (`docs/log-block-format.md`) or a cheap byte
/// search can. The store uses it to skip blocks and chunks that cannot hold
/// such an entry (``LogBlockPruner``) and to drop entries before building them
/// (``LogEntryPrefilter``); callers still filter exactly, so a requirement
/// must be *implied* by the query's filters (a query layer derives it, e.g.
/// from LogQL line filters).
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
}
