import KansokuModel
import Synchronization

/// What the traces WAL tail (records not compacted into blocks yet) holds,
/// span by span, in the few fields a search filters on. Kept in memory,
/// filled as batches are appended (and from the WAL at start), so a search
/// scans ~48 bytes per tail span instead of decoding the records; only
/// records with candidate spans are decoded, and only when the search
/// checks more than the summary holds.
///
/// Beside the records, each segment has an attribute catalogue
/// (``TraceTailCatalogs``), built from the WAL when a tag listing asks for
/// it rather than as batches arrive.
final class TraceTailIndex: Sendable {
    /// One span, as far as a search filter looks: 48 bytes, names and
    /// services held once per record (a backlog of closed segments waiting
    /// for compaction can hold a million spans).
    struct SpanSummary: Sendable {
        let traceID: TraceID
        let start: UInt64
        let duration: UInt64
        /// Index into the record's `names`.
        let name: UInt32
        /// Index into the record's `services`.
        let resource: UInt32
        let kind: SpanKind
        let code: SpanStatus.Code
    }

    /// One WAL record's spans, in the order the record's batch lists them.
    struct Record: Sendable {
        let position: WALPosition
        /// `service.name` of each of the record's resources (`""` when absent).
        let services: [String]
        /// The record's distinct span names.
        let names: [String]
        let spans: [SpanSummary]
        let maxStart: UInt64

        func service(of span: SpanSummary) -> String { services[Int(span.resource)] }
        func name(of span: SpanSummary) -> String { names[Int(span.name)] }
    }

    private let records = Mutex<[UInt64: [Record]]>([:])  // segment → records in append order
    private let catalogs = TraceTailCatalogs()

    /// Notes the batch appended at `position`.
    func add(_ batch: SpanBatch, at position: WALPosition) {
        let record = Self.summarise(batch, at: position)
        records.withLock { $0[position.segment, default: []].append(record) }
    }

    /// The attribute catalogue of every segment of `records` not in
    /// `compacted`; see ``TraceTailCatalogs/catalogs(of:excluding:)``.
    func catalogs(of records: WALRecordSequence, excluding compacted: Set<UInt64>) throws -> [TraceAttributeCatalog] {
        try catalogs.catalogs(of: records, excluding: compacted)
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
        catalogs.forget(segments: segments)
    }

    static func summarise(_ batch: SpanBatch, at position: WALPosition) -> Record {
        var spans: [SpanSummary] = []
        var services: [String] = []
        var names: [String] = []
        var nameIndex: [String: UInt32] = [:]
        var maxStart: UInt64 = 0
        for (r, group) in batch.resources.enumerated() {
            services.append(group.resource.serviceName ?? "")
            for scoped in group.scopes {
                for span in scoped.items {
                    let name: UInt32
                    if let known = nameIndex[span.name] {
                        name = known
                    } else {
                        name = UInt32(names.count)
                        nameIndex[span.name] = name
                        names.append(span.name)
                    }
                    spans.append(SpanSummary(traceID: span.traceID, start: span.startTimeUnixNano, duration: span.durationNanos,
                                             name: name, resource: UInt32(r), kind: span.kind, code: span.status.code))
                    maxStart = max(maxStart, span.startTimeUnixNano)
                }
            }
        }
        return Record(position: position, services: services, names: names, spans: spans, maxStart: maxStart)
    }
}

extension TraceTailIndex.Record {
    /// The record's spans that pass `filter`, by index into `spans`.
    func indices(passing filter: SpanSearchFilter) -> [Int] {
        // Services and names are checked once per record, not per span.
        let services = filter.services.map { wanted in self.services.map(wanted.contains) }
        let names = filter.spanNames.map { wanted in self.names.map(wanted.contains) }
        return spans.indices.filter { i in
            let span = spans[i]
            if let services, !services[Int(span.resource)] { return false }
            if let names, !names[Int(span.name)] { return false }
            if let startTimes = filter.startTimes, !startTimes.contains(span.start) { return false }
            if !filter.admits(durationNanos: span.duration) { return false }
            if let kinds = filter.kinds, !kinds.contains(span.kind) { return false }
            if let codes = filter.statusCodes, !codes.contains(span.code) { return false }
            return true
        }
    }
}
