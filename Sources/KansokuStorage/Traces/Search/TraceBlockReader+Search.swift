import KansokuModel

extension TraceBlockReader {
    /// Adds to `collector` every span of the block that passes `filter` and,
    /// when given, `predicate`.
    ///
    /// The filter is checked on the narrow columns only (start times, then
    /// resource ids, name ids, durations, kinds and status codes as the filter
    /// needs them, skipping the rest of a row group as soon as no row is
    /// left); spans are materialised only for `predicate`, and only those
    /// that passed. Row groups whose spans all start before what the collector
    /// can still use, and (from the duration stats) groups without a span of
    /// a wanted resource in the duration bounds, are skipped.
    func collectRecentTraces(_ filter: SpanSearchFilter, where predicate: SpanSearchPredicate?,
                             into collector: inout RecentTraceCollector) throws(TraceBlockError) {
        if let startTimes = filter.startTimes, !metadata.mayHaveStarts(in: startTimes) { return }
        if metadata.spanCount == 0 { return }
        guard mayHold(filter) else { return }
        let resources = try resources(), names = try names()
        let allowedResources = filter.services.map { services in resources.map { services.contains($0.serviceName) } }
        let allowedNames = filter.spanNames.map { wanted in names.map { wanted.contains($0) } }
        let index = try traceIndex()
        let hasDurationBound = filter.minDurationNanos != nil || filter.maxDurationNanos != nil
        let durationStats = hasDurationBound ? try durationStats() : nil
        typealias C = TraceBlockColumns

        for (g, group) in footer.groups.enumerated() {
            if let startTimes = filter.startTimes, startTimes.lowerBound > group.maxStartTimeUnixNano
                || startTimes.upperBound < group.minStartTimeUnixNano { continue }
            guard collector.mayChange(byStartsUpTo: group.maxStartTimeUnixNano) else { continue }
            if let durationStats, !durationStats.mayHold(group: g, allowedResources: allowedResources,
                                                        minimum: filter.minDurationNanos ?? 0,
                                                        maximum: filter.maxDurationNanos ?? .max) { continue }
            let n = group.rowCount
            var keep = [Bool](repeating: true, count: n)
            var left = n
            func narrow(_ passes: (Int) -> Bool) {
                for i in 0..<n where keep[i] && !passes(i) {
                    keep[i] = false
                    left -= 1
                }
            }
            if let allowedResources {
                let ids = try column(.resourceIDs, group: g, count: n, C.reference(below: resources.count))
                narrow { allowedResources[ids[$0]] }
                if left == 0 { continue }
            }
            if let allowedNames {
                let ids = try column(.nameIDs, group: g, count: n, C.reference(below: names.count))
                narrow { allowedNames[ids[$0]] }
                if left == 0 { continue }
            }
            if filter.minDurationNanos != nil || filter.maxDurationNanos != nil {
                let durations = try column(.durations, group: g, count: n, C.varUInt)
                narrow { filter.admits(durationNanos: durations[$0]) }
                if left == 0 { continue }
            }
            if let kinds = filter.kinds {
                let values = try column(.kinds, group: g, count: n, C.kind)
                narrow { kinds.contains(values[$0]) }
                if left == 0 { continue }
            }
            if let codes = filter.statusCodes {
                let values = try column(.statusCodes, group: g, count: n, C.statusCode)
                narrow { codes.contains(values[$0]) }
                if left == 0 { continue }
            }
            let starts = try column(.startTimes, group: g, count: n, C.startTimes(minStart: group.minStartTimeUnixNano))
            if let startTimes = filter.startTimes {
                narrow { startTimes.contains(starts[$0]) }
                if left == 0 { continue }
            }

            if let predicate {
                let last = keep.lastIndex(of: true)!
                for item in try decodeRows(group: g, local: 0..<(last + 1), keep: keep)
                where predicate(item.span, item.scope, item.resource) {
                    collector.add(item.span.traceID, start: item.span.startTimeUnixNano)
                }
            } else {
                // Rows are in trace order: walk the trace index alongside to name each row's trace.
                var trace = group.firstTrace
                for row in 0..<n where keep[row] {
                    while index.rows(trace).upperBound <= group.firstRow + row { trace += 1 }
                    collector.add(index.id(trace), start: starts[row])
                }
            }
        }
    }

    /// False when the block metadata rules out every span: no wanted service,
    /// or no wanted (service, name) pair.
    private func mayHold(_ filter: SpanSearchFilter) -> Bool {
        if let services = filter.services, !metadata.services.contains(where: services.contains) { return false }
        if let names = filter.spanNames {
            return metadata.operations.contains { names.contains($0.name) && (filter.services?.contains($0.service) ?? true) }
        }
        return true
    }
}
