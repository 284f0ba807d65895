import KansokuModel
import Synchronization

/// What the traces WAL tail (records not compacted into blocks yet) holds,
/// span by span, in the few fields a search filters on. Kept in memory,
/// filled as batches are appended (and from the WAL at start), so a search
/// scans ~50 bytes per tail span instead of decoding the records; only
/// records with candidate spans are decoded, and only when the search
/// checks more than the summary holds.
///
/// Beside the records, each segment has an attribute catalogue
/// (``TraceAttributeCatalog``, values capped per key like a block's), built
/// as batches arrive, so tag names and values need no decoding either. It is
/// kept per segment rather than per record because compaction forgets whole
/// segments and a per-record catalogue of a one-span batch would cost as
/// much as the span's attributes: this way the memory is bounded by keys ×
/// ``TraceAttributeCatalog/valuesPerKey`` per segment.
final class TraceTailIndex: Sendable {
    /// One span, as far as a search filter looks.
    struct SpanSummary: Sendable {
        let traceID: TraceID
        let start: UInt64
        let duration: UInt64
        let name: String
        /// Index into the record's `services`.
        let resource: Int
        let kind: SpanKind
        let code: SpanStatus.Code
    }

    /// One WAL record's spans, in the order the record's batch lists them.
    struct Record: Sendable {
        let position: WALPosition
        /// `service.name` of each of the record's resources (`""` when absent).
        let services: [String]
        let spans: [SpanSummary]
        let maxStart: UInt64
    }

    private let records = Mutex<[UInt64: [Record]]>([:])  // segment → records in append order
    private let catalogs = Mutex<[UInt64: TraceAttributeCatalogBuilder]>([:])  // segment → its attributes so far

    /// Notes the batch appended at `position`.
    func add(_ batch: SpanBatch, at position: WALPosition) {
        let record = Self.summarise(batch, at: position)
        records.withLock { $0[position.segment, default: []].append(record) }
        catalogs.withLock { $0[position.segment, default: TraceAttributeCatalogBuilder()].add(batch) }
    }

    /// The attribute catalogue of every segment not in `compacted`.
    func catalogs(excluding compacted: Set<UInt64>) -> [TraceAttributeCatalog] {
        catalogs.withLock { catalogs in
            catalogs.filter { !compacted.contains($0.key) }.values.map { $0.build() }
        }
    }

    /// The records of every segment not in `compacted`, in no particular order.
    func records(excluding compacted: Set<UInt64>) -> [Record] {
        records.withLock { records in
            records.filter { !compacted.contains($0.key) }.values.flatMap { $0 }
        }
    }

    /// Positions of the records outside `compacted` that hold a span of one of `traceIDs`.
    func positions(holdingAnyOf traceIDs: Set<TraceID>, excluding compacted: Set<UInt64>) -> Set<WALPosition> {
        var positions = Set<WALPosition>()
        for record in records(excluding: compacted) where record.spans.contains(where: { traceIDs.contains($0.traceID) }) {
            positions.insert(record.position)
        }
        return positions
    }

    /// Forgets the records of `segments` (now in blocks).
    func forget(segments: some Sequence<UInt64>) {
        let segments = Array(segments)
        records.withLock { records in
            for segment in segments { records[segment] = nil }
        }
        catalogs.withLock { catalogs in
            for segment in segments { catalogs[segment] = nil }
        }
    }

    static func summarise(_ batch: SpanBatch, at position: WALPosition) -> Record {
        var spans: [SpanSummary] = []
        var services: [String] = []
        var maxStart: UInt64 = 0
        for (r, group) in batch.resources.enumerated() {
            services.append(group.resource.serviceName ?? "")
            for scoped in group.scopes {
                for span in scoped.items {
                    spans.append(SpanSummary(traceID: span.traceID, start: span.startTimeUnixNano, duration: span.durationNanos,
                                             name: span.name, resource: r, kind: span.kind, code: span.status.code))
                    maxStart = max(maxStart, span.startTimeUnixNano)
                }
            }
        }
        return Record(position: position, services: services, spans: spans, maxStart: maxStart)
    }
}

extension TraceTailIndex.SpanSummary {
    /// Whether the span passes `filter`, given its record's services.
    func passes(_ filter: SpanSearchFilter, services: [String]) -> Bool {
        if let wanted = filter.services, !wanted.contains(services[resource]) { return false }
        if let startTimes = filter.startTimes, !startTimes.contains(start) { return false }
        if !filter.admits(durationNanos: duration) { return false }
        if let kinds = filter.kinds, !kinds.contains(kind) { return false }
        if let codes = filter.statusCodes, !codes.contains(code) { return false }
        if let names = filter.spanNames, !names.contains(name) { return false }
        return true
    }
}
