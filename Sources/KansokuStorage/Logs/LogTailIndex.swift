import KansokuModel
import Synchronization

/// What the logs' WAL tail (segments not compacted yet) holds, record by
/// record: where each resource's section lies in the record's payload, with
/// its stream labels, time range, entry count and line bytes. Learned on the
/// first full decode of a record (a record never changes once written), so
/// later queries decode only the sections their selector and time range need,
/// and index statistics need no decoding at all.
final class LogTailIndex: Sendable {
    struct Section: Sendable {
        let labels: LogStreamLabels
        let minTime: UInt64
        let maxTime: UInt64
        let entryCount: Int
        let lineBytes: Int
        /// Bytes of the payload holding the resource, its schema URL and scopes.
        let range: Range<Int>
    }

    private let records = Mutex<[UInt64: [UInt64: [Section]]]>([:])  // segment → frame offset → sections

    /// The sections of the record at `position`, decoding `payload` when not
    /// known yet; `decoded` receives the resources so decoded (so that a first
    /// read does not decode twice).
    func sections(at position: WALPosition, payload: [UInt8], mapping: LogLabelMapping,
                  decoded: (Section, ResourceItems<LogRecord>) throws -> Void) throws -> [Section]? {
        if let known = records.withLock({ $0[position.segment]?[position.offset] }) { return known }
        var sections: [Section] = []
        var r = WALReader(payload)
        guard !r.isAtEnd else { throw r.failure(.emptyPayload) }
        let version = try r.readByte()
        guard version == WALFormat.version else {
            throw r.failure(.unsupportedVersion(found: version, supported: WALFormat.version), at: 0)
        }
        let tag = try r.readByte()
        guard tag == LogRecord.walItemTag else { throw r.failure(.wrongItemKind(expected: LogRecord.walItemTag, found: tag), at: 1) }
        let count = try r.readCount(minimumElementSize: 4)
        for _ in 0..<count {
            let start = r.offset
            let items = try Self.decodeResource(&r)
            var minTime = UInt64.max, maxTime: UInt64 = 0, entries = 0, bytes = 0
            for scoped in items.scopes {
                for record in scoped.items {
                    let time = LogBlockEntryCodec.timestamp(of: record)
                    minTime = min(minTime, time)
                    maxTime = max(maxTime, time)
                    entries += 1
                    bytes += LogLine.render(record.body).utf8.count
                }
            }
            let section = Section(labels: mapping.labels(for: items.resource), minTime: minTime, maxTime: maxTime,
                                  entryCount: entries, lineBytes: bytes, range: start..<r.offset)
            sections.append(section)
            try decoded(section, items)
        }
        guard r.isAtEnd else { throw r.failure(.trailingBytes(count: r.remaining)) }
        records.withLock { $0[position.segment, default: [:]][position.offset] = sections }
        return nil
    }

    /// Decodes one section of a payload.
    static func decode(_ section: Section, of payload: [UInt8]) throws(WALDecodingError) -> ResourceItems<LogRecord> {
        var r = WALReader(Array(payload[section.range]))
        let items = try decodeResource(&r)
        guard r.isAtEnd else { throw r.failure(.trailingBytes(count: r.remaining)) }
        return items
    }

    /// Forgets records of segments not in `live` (compacted or deleted).
    func retain(segments live: Set<UInt64>) {
        records.withLock { records in
            for segment in records.keys where !live.contains(segment) { records[segment] = nil }
        }
    }

    /// One resource as `TelemetryBatch.init(walPayload:)` reads it.
    private static func decodeResource(_ r: inout WALReader) throws(WALDecodingError) -> ResourceItems<LogRecord> {
        let resource = try Resource(from: &r)
        let schemaURL = try r.readString()
        let scopes = try r.readArray(minimumElementSize: 6) { r throws(WALDecodingError) in
            let scope = try InstrumentationScope(from: &r)
            let schemaURL = try r.readString()
            let items = try r.readArray(minimumElementSize: LogRecord.walMinimumEncodedSize) { r throws(WALDecodingError) in
                try LogRecord(from: &r)
            }
            return ScopedItems(scope: scope, schemaURL: schemaURL, items: items)
        }
        return ResourceItems(resource: resource, schemaURL: schemaURL, scopes: scopes)
    }
}

extension LogStore {
    /// Visits the WAL tail's resources (segments not in `compacted`) whose
    /// section `wanted` accepts, decoding only those once a record is known
    /// to ``LogTailIndex``. Call under the segments read lock.
    func forEachTailResource(skipping compacted: Set<UInt64>, wanted: (LogTailIndex.Section) -> Bool,
                             _ visit: (LogTailIndex.Section, ResourceItems<LogRecord>) throws -> Void) throws {
        var live = Set<UInt64>()
        var iterator = try log.records().makeIterator()
        while let record = try iterator.nextRecord() {
            if compacted.contains(record.position.segment) { continue }
            live.insert(record.position.segment)
            let known = try tailIndex.sections(at: record.position, payload: record.payload, mapping: mapping) { section, items in
                if wanted(section) { try visit(section, items) }
            }
            for section in known ?? [] where wanted(section) {
                try visit(section, try LogTailIndex.decode(section, of: record.payload))
            }
        }
        tailIndex.retain(segments: live)
    }
}
