import KansokuModel
import Synchronization

/// The attribute catalogue (``TraceAttributeCatalog``) of each traces WAL
/// segment not compacted yet, built when a tag listing asks for it rather
/// than as batches are appended: listings are rare and ingest is hot, and
/// adding every span's attributes to a catalogue cost the append path about
/// as much as everything else it does.
///
/// Each segment's catalogue is cached with how far it got, so a listing
/// decodes only the records appended since the previous one. It is kept per
/// segment rather than per record because compaction forgets whole segments
/// and a per-record catalogue of a one-span batch would cost as much as the
/// span's attributes: this way the memory is bounded by keys ×
/// ``TraceAttributeCatalog/valuesPerKey`` per segment.
final class TraceTailCatalogs: Sendable {
    /// One segment's catalogue so far: exactly the segment's records at
    /// offsets up to `covered`, so of two states the one that got further
    /// holds all the other does and no record is counted twice.
    struct Segment: Sendable {
        var builder = TraceAttributeCatalogBuilder()
        /// Frame offset of the last record added; nil before the first.
        var covered: UInt64?

        /// Whether the record at `offset` is in the catalogue already (offsets only grow within a segment).
        func covers(offset: UInt64) -> Bool {
            covered.map { offset <= $0 } ?? false
        }

        /// Adds the batch of the record at `offset`, the segment's next one.
        mutating func add(_ batch: SpanBatch, at offset: UInt64) {
            builder.add(batch)
            covered = offset
        }

        /// Whether this state holds records `other` lacks.
        func isAhead(of other: Segment?) -> Bool {
            guard let covered else { return false }
            guard let theirs = other?.covered else { return true }
            return covered > theirs
        }
    }

    private let segments = Mutex<[UInt64: Segment]>([:])  // segment → its catalogue so far

    /// The catalogue of every segment `records` holds that is not in
    /// `compacted`, after adding the records appended since the last call.
    ///
    /// The lock is not held while decoding, so concurrent calls may decode
    /// the same new records; each keeps whichever state got further. Call it
    /// under the store's read lock: compaction then cannot list a segment's
    /// block (and forget its catalogue) while the call may still cache it.
    ///
    /// - Throws: the WAL's read errors, and the ``WALDecodingError`` of a
    ///   record that does not decode (as the scanning reads of the WAL do).
    func catalogs(of records: WALRecordSequence, excluding compacted: Set<UInt64>) throws -> [TraceAttributeCatalog] {
        var working = segments.withLock { $0.filter { !compacted.contains($0.key) } }
        var iterator = records.makeIterator()
        while let record = try iterator.nextRecord() {
            let position = record.position
            if compacted.contains(position.segment) || working[position.segment]?.covers(offset: position.offset) == true { continue }
            working[position.segment, default: Segment()].add(try SpanBatch(walPayload: record.payload), at: position.offset)
        }
        let current = segments.withLock { cached in
            // Compacted segments are normally forgotten by `forget(segments:)`; this only keeps the cache bounded regardless.
            for segment in cached.keys where compacted.contains(segment) { cached[segment] = nil }
            for (segment, state) in working where state.isAhead(of: cached[segment]) { cached[segment] = state }
            return cached
        }
        // Building sorts every key's values: done outside the lock, on copies.
        return current.values.map { $0.builder.build() }
    }

    /// Forgets the catalogues of `segments` (now in blocks).
    func forget(segments forgotten: some Sequence<UInt64>) {
        segments.withLock { segments in
            for segment in forgotten { segments[segment] = nil }
        }
    }
}
