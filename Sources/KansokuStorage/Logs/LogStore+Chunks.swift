import KansokuModel

extension LogStore {
    /// The runs of entries (``LogStoreChunk``) of streams whose labels satisfy
    /// `predicate`, with entries in `[start, end)` (ns), unordered: one per
    /// block chunk that the time range, `tokens` (token filters), `traceID`
    /// (filters or trace index) and `requirement` (``LogBlockPruner``) cannot rule out,
    /// and one per WAL-tail resource section with such entries.
    ///
    /// Block chunks are read only when their ``LogStoreChunk/entries()`` is
    /// called (a reader keeps its file open, so a run stays readable even if
    /// retention deletes its block meanwhile); the WAL tail is decoded here.
    /// Entries are filtered exactly by time and trace id, and dropped early
    /// when their line fails the requirement's byte searches
    /// (``LogEntryPrefilter``); callers filter lines exactly.
    public func chunks(matching predicate: (LogStreamLabels) -> Bool, start: Int64, end: Int64,
                       mustContain tokens: [String] = [], traceID: TraceID? = nil,
                       requiring requirement: LogEntryRequirement? = nil) throws -> [LogStoreChunk] {
        guard start < end else { return [] }
        let filter = LogChunkEntryFilter(lo: UInt64(max(0, start)), hi: UInt64(max(0, end)), traceID: traceID,
                                         prefilter: requirement.flatMap(LogEntryPrefilter.init), mapping: mapping)
        let queryTokens = LogTokenizer.queryTokens(tokens)
        let pruner = requirement.map(LogBlockPruner.init)
        var verdicts = LogStreamVerdicts()
        func matches(_ labels: LogStreamLabels) -> Bool { verdicts.matches(labels, predicate) }
        var result: [LogStoreChunk] = []
        try segmentsLock.withReadLock { () throws in
            let snapshot = withBlocks { $0 }
            for segment in snapshot.keys.sorted() {
                let block = snapshot[segment]!
                let meta = block.metadata
                guard meta.entryCount > 0, meta.maxTimeUnixNano >= filter.lo, meta.minTimeUnixNano < filter.hi else { continue }
                let streamOK = block.streams.map { matches($0) }
                var candidates = block.chunks.indices.filter { index in
                    let info = block.chunks[index]
                    return streamOK[info.stream] && info.maxTimeUnixNano >= filter.lo && info.minTimeUnixNano < filter.hi
                }
                guard !candidates.isEmpty else { continue }
                candidates = try block.chunks(mayContainTokens: queryTokens).filter(candidates)
                if let traceID { candidates = try block.chunks(mayHoldTraceID: traceID).filter(candidates) }
                guard !candidates.isEmpty else { continue }
                if let pruner {
                    let kept = try pruner.filter(candidates, in: block)
                    recordIndexSkips(chunks: candidates.count - kept.count, block: kept.isEmpty)
                    candidates = kept
                }
                for index in candidates {
                    let info = block.chunks[index]
                    result.append(LogStoreChunk(labels: block.streams[info.stream],
                                                minTimeNanos: Int64(clamping: info.minTimeUnixNano),
                                                maxTimeNanos: Int64(clamping: info.maxTimeUnixNano)) {
                        try filter.entries(ofChunk: index, in: block)
                    })
                }
            }
            try forEachTailResource(skipping: Set(snapshot.keys), wanted: { section in
                section.maxTime >= filter.lo && section.minTime < filter.hi && matches(section.labels)
            }) { section, resourceItems in
                let entries = filter.entries(of: resourceItems)
                guard let first = entries.first?.timestampNanos, let last = entries.last?.timestampNanos else { return }
                result.append(LogStoreChunk(labels: section.labels, minTimeNanos: first, maxTimeNanos: last) { entries })
            }
        }
        return result
    }
}

/// What a query keeps of a run's entries, and how it turns a stored record into a ``LogStoreEntry``.
struct LogChunkEntryFilter: Sendable {
    /// The time range, `[lo, hi)` ns.
    let lo: UInt64
    let hi: UInt64
    let traceID: TraceID?
    let prefilter: LogEntryPrefilter?
    let mapping: LogLabelMapping

    private func keeps(_ record: LogRecord, time: UInt64, line: String) -> Bool {
        guard time >= lo && time < hi else { return false }
        if let prefilter, !prefilter.mayMatch(line) { return false }
        if let traceID { return LogBlockEntryCodec.traceIDs(of: record, line: line).contains(traceID) }
        return true
    }

    private func entry(_ record: LogRecord, time: UInt64, line: String, resource: LogLabelMapping.ResourceMetadata) -> LogStoreEntry {
        LogStoreEntry(timestampNanos: Int64(clamping: time), line: line,
                      structuredMetadata: mapping.structuredMetadata(of: record, resource: resource))
    }

    /// The kept entries of a block chunk, in the chunk's (time) order.
    func entries(ofChunk index: Int, in block: LogBlockReader) throws -> [LogStoreEntry] {
        let rows = try block.rows(ofChunk: index)
        let origins = try block.origins()
        var entries: [LogStoreEntry] = []
        // A chunk's rows share one origin or a few: the resource's part of the metadata is worked out once for each run of them.
        var origin = -1
        var resource = LogLabelMapping.ResourceMetadata(isLokiStream: false, pairs: [])
        for row in rows {
            let line = LogLine.render(row.record.body)
            if keeps(row.record, time: row.time, line: line) {
                if row.origin != origin {
                    origin = row.origin
                    resource = mapping.resourceMetadata(origins[row.origin].resource)
                }
                entries.append(entry(row.record, time: row.time, line: line, resource: resource))
            }
        }
        return entries
    }

    /// The kept entries of one WAL-tail resource, ascending by time (stable).
    func entries(of resourceItems: ResourceItems<LogRecord>) -> [LogStoreEntry] {
        var entries: [LogStoreEntry] = []
        let resource = mapping.resourceMetadata(resourceItems.resource)
        for scoped in resourceItems.scopes {
            for record in scoped.items {
                let time = LogBlockEntryCodec.timestamp(of: record)
                let line = LogLine.render(record.body)
                if keeps(record, time: time, line: line) {
                    entries.append(entry(record, time: time, line: line, resource: resource))
                }
            }
        }
        if !zip(entries, entries.dropFirst()).allSatisfy({ $0.timestampNanos <= $1.timestampNanos }) {
            entries = entries.enumerated().sorted {
                ($0.element.timestampNanos, $0.offset) < ($1.element.timestampNanos, $1.offset)
            }.map(\.element)
        }
        return entries
    }
}
