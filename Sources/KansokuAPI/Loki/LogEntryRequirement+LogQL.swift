import KansokuQuery
import KansokuStorage

extension LogEntryRequirement {
    /// The store's form of a requirement the LogQL layer derived (``LogQLQueryHints``).
    init(_ requirement: LogQLEntryRequirement) {
        switch requirement {
        case .lineContains(let text): self = .lineContains(text)
        case .lineToken(let token): self = .lineToken(token)
        case .lineTraceID(let id): self = .lineTraceID(id)
        case .metadataTraceID(let id): self = .metadataTraceID(id)
        case .all(let parts): self = .all(parts.map(LogEntryRequirement.init))
        case .any(let parts): self = .any(parts.map(LogEntryRequirement.init))
        }
    }
}
