import KansokuModel

/// Decides, from a block's token filters and trace-id index alone, which of
/// its chunks may hold an entry meeting a ``LogEntryRequirement``; the others
/// need not be read. Conservative by construction: whatever an index cannot
/// decide (a block written before ``LogTraceIndexCoverage``, a string that is
/// not one token) keeps every chunk.
struct LogBlockPruner: Sendable {
    private indirect enum Node: Sendable {
        case token(LogQueryToken)
        case lineTraceID(TraceID)
        case metadataTraceID(TraceID)
        case all([Node])
        case any([Node])
        case everything
    }

    private let root: Node

    init(_ requirement: LogEntryRequirement) {
        root = Self.compile(requirement)
    }

    private static func compile(_ requirement: LogEntryRequirement) -> Node {
        switch requirement {
        case .lineContains: .everything
        case .lineToken(let token): LogTokenizer.singleQueryToken(token).map(Node.token) ?? .everything
        case .lineTraceID(let id): id.isZero ? .everything : .lineTraceID(id)
        case .metadataTraceID(let id): id.isZero ? .everything : .metadataTraceID(id)
        case .all(let parts): .all(parts.map(compile))
        case .any(let parts): parts.isEmpty ? .everything : .any(parts.map(compile))
        }
    }

    /// The members of `candidates` (chunk indices of `block`, in any order,
    /// kept in that order) that may hold an entry meeting the requirement.
    func filter(_ candidates: [Int], in block: LogBlockReader) throws(LogBlockError) -> [Int] {
        try select(root, in: block).filter(candidates)
    }

    private func select(_ node: Node, in block: LogBlockReader) throws(LogBlockError) -> LogChunkSelection {
        switch node {
        case .everything:
            return .all
        case .token(let token):
            return try block.chunks(mayContainTokens: [token])
        case .lineTraceID(let id):
            return try block.chunks(mayHoldLineContaining: id)
        case .metadataTraceID(let id):
            return try block.chunks(mayHoldMetadataTraceID: id)
        case .all(let parts):
            var result = LogChunkSelection.all
            for part in parts {
                result = result.intersection(try select(part, in: block))
                if case .chunks(let set) = result, set.isEmpty { break }
            }
            return result
        case .any(let parts):
            var result = LogChunkSelection.none
            for part in parts {
                result = result.union(try select(part, in: block))
                if case .all = result { break }
            }
            return result
        }
    }
}
