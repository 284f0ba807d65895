import KansokuModel

extension TraceStore {
    /// The `limit` traces whose latest span passing `filter` (and
    /// `predicate`) started last, most recent first.
    ///
    /// Blocks and the WAL tail are visited newest first (by their latest span
    /// start) and the visit stops once no older data can change the answer
    /// (``RecentTraceCollector``), so a search that finds its traces in recent
    /// data reads only recent data. Blocks are filtered on their narrow
    /// columns, the tail on its in-memory summary (``TraceTailIndex``).
    public func recentTraces(matching filter: SpanSearchFilter, limit: Int,
                             where predicate: SpanSearchPredicate?) throws -> [TraceSearchHit] {
        try segmentsLock.withReadLock { () throws -> [TraceSearchHit] in
            let snapshot = withBlocks { $0 }
            let compacted = Set(snapshot.keys)
            let tail = tailIndex.records(excluding: compacted)
            var sources: [(maxStart: UInt64, block: TraceBlockReader?)] = snapshot.values.map { ($0.metadata.maxStartTimeUnixNano, $0) }
            if let tailMaxStart = tail.map(\.maxStart).max() { sources.append((tailMaxStart, nil)) }
            sources.sort { $0.maxStart > $1.maxStart }

            var collector = RecentTraceCollector(limit: limit)
            for (maxStart, block) in sources {
                guard collector.mayChange(byStartsUpTo: maxStart) else { break }
                if let block {
                    try block.collectRecentTraces(filter, where: predicate, into: &collector)
                } else {
                    try collectRecentTraces(inTail: tail, compacted: compacted, filter, where: predicate, into: &collector)
                }
            }
            return collector.hits()
        }
    }

    /// Every distinct (service, span name, kind), from block metadata and the
    /// tail's summaries; only blocks written before span kinds were recorded
    /// in their metadata are read.
    public func operations() throws -> Set<SpanOperation> {
        try segmentsLock.withReadLock { () throws -> Set<SpanOperation> in
            let snapshot = withBlocks { $0 }
            var operations = Set<SpanOperation>()
            for block in snapshot.values {
                let metadata = block.metadata
                guard metadata.operationKinds != nil else {
                    try block.forEachSpan { item in
                        operations.insert(SpanOperation(service: item.resource.serviceName ?? "", name: item.span.name, kind: item.span.kind))
                    }
                    continue
                }
                for (i, operation) in metadata.operations.enumerated() {
                    for kind in metadata.kinds(ofOperationAt: i) ?? [] {
                        operations.insert(SpanOperation(service: operation.service, name: operation.name, kind: kind))
                    }
                }
            }
            for record in tailIndex.records(excluding: Set(snapshot.keys)) {
                for span in record.spans {
                    operations.insert(SpanOperation(service: record.service(of: span), name: record.name(of: span), kind: span.kind))
                }
            }
            return operations
        }
    }

    /// The tail's part of ``recentTraces(matching:limit:where:)``: the summary
    /// decides; records are decoded only to run `predicate` on candidates.
    private func collectRecentTraces(inTail tail: [TraceTailIndex.Record], compacted: Set<UInt64>,
                                     _ filter: SpanSearchFilter, where predicate: SpanSearchPredicate?,
                                     into collector: inout RecentTraceCollector) throws {
        var candidates: [WALPosition: Set<Int>] = [:]
        for record in tail where filter.startTimes.map({ $0.lowerBound <= record.maxStart }) ?? true {
            for i in record.indices(passing: filter) {
                let span = record.spans[i]
                if predicate == nil {
                    collector.add(span.traceID, start: span.start)
                } else {
                    candidates[record.position, default: []].insert(i)
                }
            }
        }
        guard let predicate, !candidates.isEmpty else { return }
        try forEachTailSpan(at: candidates, compacted: compacted) { span, scope, resource in
            if predicate(span, scope, resource) { collector.add(span.traceID, start: span.startTimeUnixNano) }
        }
    }

    /// Decodes the WAL records named in `wanted` (outside segments with a
    /// block) and calls `body` with the spans at the given indices, counted
    /// in the order the record's batch lists them (as ``TraceTailIndex``
    /// summarises them). Other records are skipped undecoded.
    func forEachTailSpan(at wanted: [WALPosition: Set<Int>], compacted: Set<UInt64>,
                         _ body: (Span, InstrumentationScope, Resource) throws -> Void) throws {
        guard !wanted.isEmpty else { return }
        var iterator = try log.records().makeIterator()
        while let record = try iterator.nextRecord() {
            if compacted.contains(record.position.segment) { continue }
            guard let indices = wanted[record.position] else { continue }
            var i = 0
            for group in try SpanBatch(walPayload: record.payload).resources {
                for scoped in group.scopes {
                    for span in scoped.items {
                        if indices.contains(i) { try body(span, scoped.scope, group.resource) }
                        i += 1
                    }
                }
            }
        }
    }
}
