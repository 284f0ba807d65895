import KansokuModel

/// A ``SpanSearchFilter`` prepared for one block: which resources and names
/// pass, and the block's duration stats when the filter bounds durations.
/// Finds the rows of a row group that pass, reading the narrow columns only.
struct TraceBlockRowFilter {
    let filter: SpanSearchFilter
    /// Per resource id; nil when any service passes.
    let allowedResources: [Bool]?
    /// Per name id; nil when any name passes.
    let allowedNames: [Bool]?
    let durationStats: TraceBlockDurationStats?
    let resourceCount: Int
    let nameCount: Int

    /// Nil when the block's metadata already rules out every span.
    init?(_ filter: SpanSearchFilter, block: TraceBlockReader) throws(TraceBlockError) {
        let metadata = block.metadata
        if metadata.spanCount == 0 { return nil }
        if let startTimes = filter.startTimes, !metadata.mayHaveStarts(in: startTimes) { return nil }
        if let services = filter.services, !metadata.services.contains(where: services.contains) { return nil }
        if let names = filter.spanNames,
           !metadata.operations.contains(where: { names.contains($0.name) && (filter.services?.contains($0.service) ?? true) }) {
            return nil
        }
        let resources = try block.resources(), names = try block.names()
        self.filter = filter
        allowedResources = filter.services.map { services in resources.map { services.contains($0.serviceName) } }
        allowedNames = filter.spanNames.map { wanted in names.map { wanted.contains($0) } }
        durationStats = filter.minDurationNanos != nil || filter.maxDurationNanos != nil ? try block.durationStats() : nil
        resourceCount = resources.count
        nameCount = names.count
    }

    /// Whether row group `g` may hold a passing row, from its time range and the duration stats.
    func mayPass(group g: Int, _ group: TraceBlockRowGroup) -> Bool {
        if let startTimes = filter.startTimes, startTimes.lowerBound > group.maxStartTimeUnixNano
            || startTimes.upperBound < group.minStartTimeUnixNano { return false }
        if let durationStats, !durationStats.mayHold(group: g, allowedResources: allowedResources,
                                                    minimum: filter.minDurationNanos ?? 0,
                                                    maximum: filter.maxDurationNanos ?? .max) { return false }
        return true
    }

    /// The rows of group `g` that pass, and the group's start times; nil when
    /// none passes. Columns are read cheapest first and the rest skipped as
    /// soon as no row is left.
    func passingRows(group g: Int, of block: TraceBlockReader) throws(TraceBlockError) -> (keep: [Bool], starts: [UInt64])? {
        typealias C = TraceBlockColumns
        let n = block.footer.groups[g].rowCount
        var keep = [Bool](repeating: true, count: n)
        var left = n
        func narrow(_ passes: (Int) -> Bool) {
            for i in 0..<n where keep[i] && !passes(i) {
                keep[i] = false
                left -= 1
            }
        }
        if let allowedResources {
            let ids = try block.column(.resourceIDs, group: g, count: n, C.reference(below: resourceCount))
            narrow { allowedResources[ids[$0]] }
            if left == 0 { return nil }
        }
        if let allowedNames {
            let ids = try block.column(.nameIDs, group: g, count: n, C.reference(below: nameCount))
            narrow { allowedNames[ids[$0]] }
            if left == 0 { return nil }
        }
        if filter.minDurationNanos != nil || filter.maxDurationNanos != nil {
            let durations = try block.column(.durations, group: g, count: n, C.varUInt)
            narrow { filter.admits(durationNanos: durations[$0]) }
            if left == 0 { return nil }
        }
        if let kinds = filter.kinds {
            let values = try block.column(.kinds, group: g, count: n, C.kind)
            narrow { kinds.contains(values[$0]) }
            if left == 0 { return nil }
        }
        if let codes = filter.statusCodes {
            let values = try block.column(.statusCodes, group: g, count: n, C.statusCode)
            narrow { codes.contains(values[$0]) }
            if left == 0 { return nil }
        }
        let starts = try block.column(.startTimes, group: g, count: n, C.startTimes(minStart: block.footer.groups[g].minStartTimeUnixNano))
        if let startTimes = filter.startTimes {
            narrow { startTimes.contains(starts[$0]) }
            if left == 0 { return nil }
        }
        return (keep, starts)
    }
}
