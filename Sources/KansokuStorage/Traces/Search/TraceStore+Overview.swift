import KansokuModel

extension TraceStore {
    /// Every stored span passing `filter`, as a ``SpanOverview``: blocks from
    /// their narrow columns and the asked-for attributes (row groups skipped
    /// as a search skips them), the WAL tail by decoding only the records
    /// whose summaries have a passing span. Order: blocks, then the tail.
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
            try forEachTailSpan(at: wanted, compacted: compacted) { span, _, resource in
                try visit(SpanOverview(span, service: resource.serviceName ?? "", attributeKeys: attributeKeys))
            }
        }
    }
}
