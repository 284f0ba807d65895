import KansokuModel

/// What a block's indexes say about its chunks, for every block version:
/// versions 2 and 3 answer per chunk from ``LogChunkFilters``; version 1 from its
/// block-wide Bloom filter (all chunks or none) and exact trace index, read
/// conservatively when it predates ``LogTraceIndexCoverage``.
extension LogBlockReader {
    /// Chunks that may hold a line with every token of `tokens` (``LogTokenizer/queryTokens(_:)``):
    /// whose filter may hold it or, from version 4 on, whose time range
    /// meets the entry times it may spell.
    func chunks(mayContainTokens tokens: [LogQueryToken]) throws(LogBlockError) -> LogChunkSelection {
        guard !tokens.isEmpty else { return .all }
        switch try index() {
        case .version1(let bloom):
            return tokens.allSatisfy { bloom.mayContain($0.hash) } ? .all : .none
        case .version2(let filters):
            let timeTokens = version >= 4
            return .chunks(Set((0..<filters.count).filter { chunk in
                tokens.allSatisfy { token in
                    if filters.mayContain(chunk: chunk, token.hash) { return true }
                    guard timeTokens, let times = token.entryTimes else { return false }
                    return times.overlaps(chunks[chunk].minTimeUnixNano...chunks[chunk].maxTimeUnixNano)
                }
            }))
        }
    }

    /// Chunks that may hold an entry of `id` as ``LogBlockEntryCodec/traceIDs(of:line:)`` finds them.
    func chunks(mayHoldTraceID id: TraceID) throws(LogBlockError) -> LogChunkSelection {
        guard !id.isZero else { return .none }
        switch try index() {
        case .version1: return .chunks(Set(try traceIndex()[id] ?? []))
        case .version2(let filters): return .chunks(Set(filters.chunks(mayContain: LogChunkFilters.hash(of: id))))
        }
    }

    /// Chunks that may hold a line containing the 32 hex digits of `id` anywhere.
    func chunks(mayHoldLineContaining id: TraceID) throws(LogBlockError) -> LogChunkSelection {
        switch try index() {
        case .version1:
            guard let hexRuns = try traceIndex()[LogTraceIndexCoverage.marker] else { return .all }
            return .chunks(Set(try traceIndex()[id] ?? []).union(hexRuns))
        case .version2(let filters):
            let hash = LogChunkFilters.hash(of: id)
            return .chunks(Set((0..<filters.count).filter { filters.hasHexRun(chunk: $0) || filters.mayContain(chunk: $0, hash) }))
        }
    }

    /// Chunks that may hold an entry whose `trace_id` structured metadata spells `id`.
    func chunks(mayHoldMetadataTraceID id: TraceID) throws(LogBlockError) -> LogChunkSelection {
        var keep: Set<Int>
        switch try index() {
        case .version1:
            guard try traceIndex()[LogTraceIndexCoverage.marker] != nil else { return .all }
            keep = Set(try traceIndex()[id] ?? [])
        case .version2(let filters):
            keep = Set(filters.chunks(mayContain: LogChunkFilters.hash(of: id)))
        }
        // A stream labelled trace_id gives every entry that label.
        let labelled = streams.map { $0[LogTraceIndexCoverage.labelName] != nil }
        if labelled.contains(true) {
            for (index, chunk) in chunks.enumerated() where labelled[chunk.stream] { keep.insert(index) }
        }
        return .chunks(keep)
    }
}

extension LogChunkFilters {
    /// Chunks whose filter may contain `hash`.
    func chunks(mayContain hash: UInt64) -> [Int] {
        (0..<count).filter { mayContain(chunk: $0, hash) }
    }
}
