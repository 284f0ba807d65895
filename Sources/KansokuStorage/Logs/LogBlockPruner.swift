import KansokuModel

/// Decides, from a block's token Bloom filter and trace index alone, which of
/// its chunks may hold an entry meeting a ``LogEntryRequirement``; the others
/// need not be read. Conservative by construction: whatever an index cannot
/// decide (a block written before ``LogTraceIndexCoverage``, a string that is
/// not one token) keeps every chunk.
struct LogBlockPruner: Sendable {
    private indirect enum Node: Sendable {
        case token(UInt64)
        case lineTraceID(TraceID)
        case metadataTraceID(TraceID)
        case all([Node])
        case any([Node])
        case everything
    }

    /// Chunks that may match: all of them, or the listed ones.
    private enum Selection {
        case all
        case chunks(Set<Int>)

        func intersection(_ other: Selection) -> Selection {
            switch (self, other) {
            case (.all, let x), (let x, .all): x
            case (.chunks(let a), .chunks(let b)): .chunks(a.intersection(b))
            }
        }

        func union(_ other: Selection) -> Selection {
            switch (self, other) {
            case (.all, _), (_, .all): .all
            case (.chunks(let a), .chunks(let b)): .chunks(a.union(b))
            }
        }
    }

    private let root: Node

    init(_ requirement: LogEntryRequirement) {
        root = Self.compile(requirement)
    }

    private static func compile(_ requirement: LogEntryRequirement) -> Node {
        switch requirement {
        case .lineContains: .everything
        case .lineToken(let token): LogTokenizer.singleTokenHash(token).map(Node.token) ?? .everything
        case .lineTraceID(let id): id.isZero ? .everything : .lineTraceID(id)
        case .metadataTraceID(let id): id.isZero ? .everything : .metadataTraceID(id)
        case .all(let parts): .all(parts.map(compile))
        case .any(let parts): parts.isEmpty ? .everything : .any(parts.map(compile))
        }
    }

    /// The members of `candidates` (chunk indices of `block`, in any order,
    /// kept in that order) that may hold an entry meeting the requirement.
    func filter(_ candidates: [Int], in block: LogBlockReader) throws(LogBlockError) -> [Int] {
        switch try select(root, in: block) {
        case .all: return candidates
        case .chunks(let keep): return candidates.filter(keep.contains)
        }
    }

    private func select(_ node: Node, in block: LogBlockReader) throws(LogBlockError) -> Selection {
        switch node {
        case .everything:
            return .all
        case .token(let hash):
            return block.mayContainAll(tokenHashes: [hash]) ? .all : .chunks([])
        case .lineTraceID(let id):
            guard let hexRuns = try block.hexRunChunks() else { return .all }
            return .chunks(Set(try block.chunks(of: id)).union(hexRuns))
        case .metadataTraceID(let id):
            guard try block.hexRunChunks() != nil else { return .all }
            var keep = Set(try block.chunks(of: id))
            let labelled = block.streams.map { $0[LogTraceIndexCoverage.labelName] != nil }
            if labelled.contains(true) {
                for (index, chunk) in block.chunks.enumerated() where labelled[chunk.stream] { keep.insert(index) }
            }
            return .chunks(keep)
        case .all(let parts):
            var result = Selection.all
            for part in parts {
                result = result.intersection(try select(part, in: block))
                if case .chunks(let set) = result, set.isEmpty { break }
            }
            return result
        case .any(let parts):
            var result = Selection.chunks([])
            for part in parts {
                result = result.union(try select(part, in: block))
                if case .all = result { break }
            }
            return result
        }
    }
}
