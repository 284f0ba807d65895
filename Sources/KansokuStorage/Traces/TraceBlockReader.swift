#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KansokuModel
import Synchronization

/// Reads one trace block file (layout in `docs/trace-block-format.md`).
///
/// Opening reads the trailer, footer, metadata and Bloom filter only; the
/// trace index and the name/resource/scope tables are read on first use and
/// kept; columns are read with `pread` per row group on every query. Every
/// section is checked against its CRC-32C before it is decoded, and damage
/// of any kind surfaces as a ``TraceBlockError`` naming the file and section.
public final class TraceBlockReader: Sendable {
    /// The file this reader was opened on.
    public let path: String
    /// The summary stored in the block.
    public let metadata: TraceBlockMetadata
    /// The block's row groups, in row order.
    public var rowGroups: [TraceBlockRowGroup] { footer.groups }

    private let fd: Int32
    let footer: TraceBlockFooter
    private let bloom: TraceBloomFilter
    private let tables = Mutex(Tables())

    /// Block-wide sections loaded on demand.
    private struct Tables: Sendable {
        var index: TraceBlockTraceIndex?
        var names: [String]?
        var resources: [TraceBlockResourceEntry]?
        var scopes: [TraceBlockScopeEntry]?
        /// Outer nil: not read yet; inner nil: the block has no catalogue.
        var attributeCatalog: TraceAttributeCatalog??
        /// Outer nil: not read yet; inner nil: the block has no such section.
        var durationStats: TraceBlockDurationStats??
    }

    /// Opens the block at `path` and validates its header, trailer, footer,
    /// metadata and Bloom filter.
    public init(path: String) throws(TraceBlockError) {
        let fd: Int32
        do {
            fd = try POSIXFile.open(path, flags: O_RDONLY)
        } catch {
            throw TraceBlockError.from(error, path: path)
        }
        do throws(TraceBlockError) {
            let footer = try Self.readFooter(fd: fd, path: path)
            let metadata = try TraceBlockMetadata(decoding: Self.read(.metadata, footer: footer, fd: fd, path: path), path: path)
            let bloom = try TraceBloomFilter(decoding: Self.read(.bloom, footer: footer, fd: fd, path: path), path: path)
            guard metadata.spanCount == footer.rowCount, metadata.traceCount == footer.traceCount else {
                throw .malformed(path: path, section: TraceBlockSectionKind.metadata.name,
                                                detail: "counts disagree with the footer")
            }
            self.path = path
            self.fd = fd
            self.footer = footer
            self.metadata = metadata
            self.bloom = bloom
        } catch {
            POSIXFile.close(fd)
            throw error
        }
    }

    deinit {
        POSIXFile.close(fd)
    }

    /// False when the block certainly lacks `traceID`; true when it holds it
    /// or, for about 1% of absent ids, may hold it. Reads nothing.
    public func mayContain(_ traceID: TraceID) -> Bool {
        footer.traceCount > 0 && bloom.mayContain(traceID)
    }

    /// Every span of `traceID` in this block, ordered by start time; empty
    /// when the block does not hold the trace. Decompresses one row group.
    public func spans(of traceID: TraceID) throws(TraceBlockError) -> [TraceBlockSpan] {
        guard mayContain(traceID) else { return [] }
        let index = try traceIndex()
        guard let entry = index.find(traceID) else { return [] }
        let group = footer.groups.lastIndex { $0.firstTrace <= entry }!
        let base = footer.groups[group].firstRow
        let rows = index.rows(entry)
        return try decodeRows(group: group, local: (rows.lowerBound - base)..<(rows.upperBound - base), keep: nil)
    }

    /// The block's distinct trace ids, ascending.
    public func traceIDs() throws(TraceBlockError) -> [TraceID] {
        let index = try traceIndex()
        return (0..<index.count).map(index.id)
    }

    /// Calls `body` for every span that starts within `startTimes` (if given)
    /// and whose resource's service is in `services` (if given), in row order
    /// (by trace id, then start). Row groups whose time range misses, and
    /// groups where no row passes the filter on the start-time and resource
    /// columns, are skipped without decoding any other column.
    public func forEachSpan(
        startingIn startTimes: ClosedRange<UInt64>? = nil, services: Set<String>? = nil,
        _ body: (TraceBlockSpan) throws -> Void
    ) throws {
        if let startTimes, !metadata.mayHaveStarts(in: startTimes) { return }
        var allowedResources: [Bool]?
        if let services {
            guard metadata.services.contains(where: services.contains) else { return }
            allowedResources = try resources().map { services.contains($0.serviceName) }
        }
        for (g, group) in footer.groups.enumerated() {
            if let startTimes, startTimes.lowerBound > group.maxStartTimeUnixNano
                || startTimes.upperBound < group.minStartTimeUnixNano { continue }
            var keep = [Bool](repeating: true, count: group.rowCount)
            if let startTimes {
                let starts = try column(.startTimes, group: g, count: group.rowCount,
                                        TraceBlockColumns.startTimes(minStart: group.minStartTimeUnixNano))
                for i in keep.indices where !startTimes.contains(starts[i]) { keep[i] = false }
            }
            if let allowedResources {
                let ids = try column(.resourceIDs, group: g, count: group.rowCount,
                                     TraceBlockColumns.reference(below: allowedResources.count))
                for i in keep.indices where !allowedResources[ids[i]] { keep[i] = false }
            }
            // Columns are decoded only as far as the trace of the last row that passed.
            guard let last = keep.lastIndex(of: true) else { continue }
            for span in try decodeRows(group: g, local: 0..<(last + 1), keep: keep) {
                try body(span)
            }
        }
    }

    /// Bytes on disk and decompressed per kind of section, summed over row
    /// groups, in file-format order: what a block spends where.
    public func sectionSizes() -> [(section: String, storedBytes: Int, rawBytes: Int)] {
        TraceBlockSectionKind.allCases.compactMap { kind in
            let entries = footer.sections.values.filter { $0.kind == kind }
            guard !entries.isEmpty else { return nil }
            return (kind.name, entries.reduce(0) { $0 + $1.storedLength }, entries.reduce(0) { $0 + $1.rawLength })
        }
    }

    // MARK: - Rows

    /// Materialises rows `local` of row group `group` (indices relative to the
    /// group), skipping those `keep` marks false. Columns are decoded up to
    /// the end of the last wanted row's trace, no further.
    func decodeRows(group g: Int, local: Range<Int>, keep: [Bool]?) throws(TraceBlockError) -> [TraceBlockSpan] {
        let group = footer.groups[g]
        let index = try traceIndex()
        // Decode through the end of the last wanted row's trace: a parent
        // reference may point at any row of the same trace.
        var lastTrace = group.firstTrace
        while local.upperBound > 0 && index.rows(lastTrace).upperBound < group.firstRow + local.upperBound { lastTrace += 1 }
        let n = local.isEmpty ? 0 : index.rows(lastTrace).upperBound - group.firstRow
        let names = try self.names(), resources = try self.resources(), scopes = try self.scopes()
        typealias C = TraceBlockColumns
        let spanIDs = try column(.spanIDs, group: g, count: n, C.fixed64)
        let parents = try column(.parentSpanIDs, group: g, count: n, C.parent)
        let starts = try column(.startTimes, group: g, count: n, C.startTimes(minStart: group.minStartTimeUnixNano))
        let durations = try column(.durations, group: g, count: n, C.varUInt)
        let nameIDs = try column(.nameIDs, group: g, count: n, C.reference(below: names.count))
        let kinds = try column(.kinds, group: g, count: n, C.kind)
        let codes = try column(.statusCodes, group: g, count: n, C.statusCode)
        let messages = try column(.statusMessages, group: g, count: n, C.string)
        let resourceIDs = try column(.resourceIDs, group: g, count: n, C.reference(below: resources.count))
        let scopeIDs = try column(.scopeIDs, group: g, count: n, C.reference(below: scopes.count))
        let states = try column(.traceStates, group: g, count: n, C.string)
        let flags = try column(.flags, group: g, count: n, C.varUInt32)
        let dropped = try column(.droppedCounts, group: g, count: n, C.droppedCounts)
        let attributes = try column(.attributes, group: g, count: n, C.attributes)
        let events = try column(.events, group: g, count: n, C.events)
        let links = try column(.links, group: g, count: n, C.links)

        var result: [TraceBlockSpan] = []
        result.reserveCapacity(local.count)
        // Walk the trace index alongside the rows to recover each row's trace id.
        var trace = group.firstTrace
        for row in local where keep?[row] ?? true {
            while index.rows(trace).upperBound <= group.firstRow + row { trace += 1 }
            let resource = resources[resourceIDs[row]], scope = scopes[scopeIDs[row]]
            let parent = try parentSpanID(parents[row], row: row, trace: trace, group: g, index: index, spanIDs: spanIDs)
            let span = Span(
                traceID: index.id(trace), spanID: SpanID(spanIDs[row]), parentSpanID: SpanID(parent),
                traceState: states[row], flags: flags[row], name: names[nameIDs[row]], kind: kinds[row],
                startTimeUnixNano: starts[row], endTimeUnixNano: starts[row] &+ durations[row],
                attributes: attributes[row], droppedAttributesCount: dropped[row].0,
                events: events[row], droppedEventsCount: dropped[row].1,
                links: links[row], droppedLinksCount: dropped[row].2,
                status: SpanStatus(code: codes[row], message: messages[row]))
            result.append(TraceBlockSpan(resource: resource.resource, resourceSchemaURL: resource.schemaURL,
                                         scope: scope.scope, scopeSchemaURL: scope.schemaURL, span: span))
        }
        return result
    }

    /// The parent span id of row `row` (relative to group `group`) of trace
    /// `trace`, resolving a reference to another row of the same trace
    /// through the group's `spanIDs`.
    func parentSpanID(_ reference: TraceBlockColumns.ParentReference, row: Int, trace: Int, group g: Int,
                      index: TraceBlockTraceIndex, spanIDs: [UInt64]) throws(TraceBlockError) -> UInt64 {
        switch reference {
        case .zero: return 0
        case .explicit(let id): return id
        case .row(let offset):
            let traceRows = index.rows(trace)
            guard offset < traceRows.count else {
                throw .malformed(path: path, section: TraceBlockSectionKind.parentSpanIDs.label(group: g),
                                 detail: "row \(row) refers to row \(offset) of a trace of \(traceRows.count)")
            }
            return spanIDs[traceRows.lowerBound + offset - footer.groups[g].firstRow]
        }
    }

    /// Reads, checks and decodes the first `count` values of one column.
    func column<T>(
        _ kind: TraceBlockSectionKind, group: Int, count: Int,
        _ element: (inout WALReader) throws(WALDecodingError) -> T
    ) throws(TraceBlockError) -> [T] {
        let bytes = try Self.read(kind, group: group, footer: footer, fd: fd, path: path)
        return try TraceBlockColumns.decode(bytes, count: count, isWholeColumn: count == footer.groups[group].rowCount,
                                            path: path, section: kind.label(group: group), element)
    }

    // MARK: - Block-wide tables (loaded once; a race only loads twice)

    func traceIndex() throws(TraceBlockError) -> TraceBlockTraceIndex {
        if let index = tables.withLock({ $0.index }) { return index }
        let index = try TraceBlockTraceIndex(bytes: Self.read(.traceIndex, footer: footer, fd: fd, path: path),
                                             traceCount: footer.traceCount, rowCount: footer.rowCount, path: path)
        for group in footer.groups where index.firstRow(group.firstTrace) != group.firstRow {
            throw .malformed(path: path, section: TraceBlockSectionKind.traceIndex.name, detail: "disagrees with the row groups")
        }
        tables.withLock { $0.index = index }
        return index
    }

    func names() throws(TraceBlockError) -> [String] {
        if let names = tables.withLock({ $0.names }) { return names }
        let names = try TraceBlockTables.decodeNames(Self.read(.names, footer: footer, fd: fd, path: path), path: path)
        tables.withLock { $0.names = names }
        return names
    }

    func resources() throws(TraceBlockError) -> [TraceBlockResourceEntry] {
        if let resources = tables.withLock({ $0.resources }) { return resources }
        let resources = try TraceBlockTables.decodeResources(Self.read(.resources, footer: footer, fd: fd, path: path), path: path)
        tables.withLock { $0.resources = resources }
        return resources
    }

    /// The per-group duration ranges; nil for blocks written without them.
    func durationStats() throws(TraceBlockError) -> TraceBlockDurationStats? {
        if let known = tables.withLock({ $0.durationStats }) { return known }
        var stats: TraceBlockDurationStats?
        if footer.sections[.init(kind: .durationStats, group: 0)] != nil {
            stats = try TraceBlockDurationStats(decoding: Self.read(.durationStats, footer: footer, fd: fd, path: path),
                                                groupCount: footer.groups.count, resourceCount: try resources().count, path: path)
        }
        tables.withLock { $0.durationStats = .some(stats) }
        return stats
    }

    /// The block's attribute catalogue, its resource side derived from the
    /// resources table; nil for blocks written without the section (unknown,
    /// not empty: their spans must be scanned).
    public func attributeCatalog() throws(TraceBlockError) -> TraceAttributeCatalog? {
        if let known = tables.withLock({ $0.attributeCatalog }) { return known }
        var catalog: TraceAttributeCatalog?
        if footer.sections[.init(kind: .attributeCatalog, group: 0)] != nil {
            var decoded = try TraceBlockAttributeCatalog.decode(Self.read(.attributeCatalog, footer: footer, fd: fd, path: path),
                                                                operations: metadata.operations, path: path)
            decoded.resourceAttributes = TraceBlockAttributeCatalog.resourceAttributes(of: try resources())
            catalog = decoded
        }
        tables.withLock { $0.attributeCatalog = .some(catalog) }
        return catalog
    }

    func scopes() throws(TraceBlockError) -> [TraceBlockScopeEntry] {
        if let scopes = tables.withLock({ $0.scopes }) { return scopes }
        let scopes = try TraceBlockTables.decodeScopes(Self.read(.scopes, footer: footer, fd: fd, path: path), path: path)
        tables.withLock { $0.scopes = scopes }
        return scopes
    }
}
