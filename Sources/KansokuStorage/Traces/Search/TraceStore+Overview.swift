import KansokuModel

extension TraceStore {
    /// Every stored span passing `filter`, as a ``SpanOverview``: blocks from
    /// their narrow columns (and the asked-for attributes, stepping over the rest) (row groups skipped as a search skips them), the
    /// WAL tail by decoding only the records whose summaries have a passing
    /// span. Order: blocks, then the tail; within them, no particular order.
    public func forEachSpanOverview(matching filter: SpanSearchFilter, attributeKeys: [String],
                                    _ visit: (SpanOverview) throws -> Void) throws {
        try segmentsLock.withReadLock { () throws in
            let snapshot = withBlocks { $0 }
            for segment in snapshot.keys.sorted() {
                try snapshot[segment]?.forEachSpanOverview(filter, attributeKeys: attributeKeys, visit)
            }
            let compacted = Set(snapshot.keys)
            var wanted: [WALPosition: Set<Int>] = [:]
            for record in tailIndex.records(excluding: compacted) {
                let passing = record.indices(passing: filter)
                if !passing.isEmpty { wanted[record.position] = Set(passing) }
            }
            guard !wanted.isEmpty else { return }
            var iterator = try log.records().makeIterator()
            while let record = try iterator.nextRecord() {
                if compacted.contains(record.position.segment) { continue }
                guard let indices = wanted[record.position] else { continue }
                var i = 0
                for group in try SpanBatch(walPayload: record.payload).resources {
                    let service = group.resource.serviceName ?? ""
                    for scoped in group.scopes {
                        for span in scoped.items {
                            if indices.contains(i) { try visit(SpanOverview(span, service: service, attributeKeys: attributeKeys)) }
                            i += 1
                        }
                    }
                }
            }
        }
    }
}
