import KansokuModel

extension TraceBlockReader {
    /// Adds to `collector` every span of the block that passes `filter` and,
    /// when given, `predicate`.
    ///
    /// The filter is checked on the narrow columns only
    /// (``TraceBlockRowFilter``); spans are materialised only for
    /// `predicate`, and only those that passed. Row groups whose spans all
    /// start before what the collector can still use, and (from the duration
    /// stats) groups without a span of a wanted resource in the duration
    /// bounds, are skipped.
    func collectRecentTraces(_ filter: SpanSearchFilter, where predicate: SpanSearchPredicate?,
                             into collector: inout RecentTraceCollector) throws(TraceBlockError) {
        guard let rowFilter = try TraceBlockRowFilter(filter, block: self) else { return }
        let index = try traceIndex()
        for (g, group) in footer.groups.enumerated() where rowFilter.mayPass(group: g, group) {
            guard collector.mayChange(byStartsUpTo: group.maxStartTimeUnixNano),
                  let (keep, starts) = try rowFilter.passingRows(group: g, of: self) else { continue }
            if let predicate {
                let last = keep.lastIndex(of: true)!
                for item in try decodeRows(group: g, local: 0..<(last + 1), keep: keep)
                where predicate(item.span, item.scope, item.resource) {
                    collector.add(item.span.traceID, start: item.span.startTimeUnixNano)
                }
            } else {
                // Rows are in trace order: walk the trace index alongside to name each row's trace.
                var trace = group.firstTrace
                for row in keep.indices where keep[row] {
                    while index.rows(trace).upperBound <= group.firstRow + row { trace += 1 }
                    collector.add(index.id(trace), start: starts[row])
                }
            }
        }
    }

    /// Calls `visit` with every span of the block that passes `filter`, as a
    /// ``SpanOverview``: the narrow columns, parents, and of the attributes
    /// column only the keys in `attributeKeys` (the column is not read when
    /// there are none); events and links never.
    func forEachSpanOverview(_ filter: SpanSearchFilter, attributeKeys: [String],
                             _ visit: (SpanOverview) throws -> Void) throws {
        guard let rowFilter = try TraceBlockRowFilter(filter, block: self) else { return }
        let index = try traceIndex(), resources = try resources(), names = try names()
        let keys = attributeKeys.map { Array($0.utf8) }
        typealias C = TraceBlockColumns
        for (g, group) in footer.groups.enumerated() where rowFilter.mayPass(group: g, group) {
            guard let (keep, starts) = try rowFilter.passingRows(group: g, of: self) else { continue }
            let n = group.rowCount
            let spanIDs = try column(.spanIDs, group: g, count: n, C.fixed64)
            let parents = try column(.parentSpanIDs, group: g, count: n, C.parent)
            let resourceIDs = try column(.resourceIDs, group: g, count: n, C.reference(below: resources.count))
            let nameIDs = try column(.nameIDs, group: g, count: n, C.reference(below: names.count))
            let kinds = try column(.kinds, group: g, count: n, C.kind)
            let codes = try column(.statusCodes, group: g, count: n, C.statusCode)
            let durations = try column(.durations, group: g, count: n, C.varUInt)
            let attributes = keys.isEmpty ? nil : try column(.attributes, group: g, count: n) { r throws(WALDecodingError) in
                try r.readAttributes(selecting: keys)
            }
            var trace = group.firstTrace
            for row in keep.indices where keep[row] {
                while index.rows(trace).upperBound <= group.firstRow + row { trace += 1 }
                let parent = try parentSpanID(parents[row], row: row, trace: trace, group: g, index: index, spanIDs: spanIDs)
                try visit(SpanOverview(traceID: index.id(trace), spanID: SpanID(spanIDs[row]), parentSpanID: SpanID(parent),
                                       service: resources[resourceIDs[row]].serviceName, name: names[nameIDs[row]],
                                       kind: kinds[row], statusCode: codes[row],
                                       startTimeUnixNano: starts[row], durationNanos: durations[row],
                                       attributes: attributes?[row] ?? []))
            }
        }
    }
}
