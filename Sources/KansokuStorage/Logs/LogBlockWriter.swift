#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CZstd
import KansokuModel

/// The resource and scope a record arrived with, stored once per block so
/// that blocks give back the batches they were made from.
struct LogBlockOrigin: Sendable, Hashable {
    var resource: Resource
    var resourceSchemaURL: String
    var scope: InstrumentationScope
    var scopeSchemaURL: String
}

/// One decoded entry of a chunk.
struct LogBlockRow: Sendable {
    var origin: Int
    /// The entry's timestamp: time, or observed time when time is unset.
    var time: UInt64
    var record: LogRecord
}

/// Collects log records and writes them as one immutable log block
/// (`docs/log-block-format.md`): records are grouped into streams by their
/// labels (``LogLabelMapping``), sorted by time within a stream and cut into
/// zstd-compressed chunks of about `chunkTargetBytes` raw bytes.
public struct LogBlockWriter: Sendable {
    public struct Options: Sendable, Hashable {
        /// Raw bytes per chunk before compression.
        public var chunkTargetBytes: Int
        /// zstd level. 1 by default: on log chunks it compresses as well as 3
        /// (slightly better on access and JSON logs) at about 1.4× the speed.
        public var compressionLevel: Int32
        /// Target false-positive rate of the token Bloom filter.
        public var bloomFalsePositiveRate: Double

        public init(chunkTargetBytes: Int = 256 << 10, compressionLevel: Int32 = 1, bloomFalsePositiveRate: Double = 0.01) {
            self.chunkTargetBytes = max(1, chunkTargetBytes)
            self.compressionLevel = compressionLevel
            self.bloomFalsePositiveRate = bloomFalsePositiveRate
        }
    }

    private struct Input: Sendable {
        var origin: Int
        var time: UInt64
        var record: LogRecord
    }

    public let options: Options
    public let mapping: LogLabelMapping
    private var origins: [LogBlockOrigin] = []
    private var originIDs: [LogBlockOrigin: Int] = [:]
    private var streamLabels: [LogStreamLabels] = []
    private var streamIDs: [LogStreamLabels: Int] = [:]
    private var rows: [[Input]] = []
    private var entries = 0

    public init(options: Options = Options(), mapping: LogLabelMapping = LogLabelMapping()) {
        self.options = options
        self.mapping = mapping
    }

    /// Records appended so far.
    public var entryCount: Int { entries }

    public mutating func append(_ batch: LogBatch) {
        for resourceItems in batch.resources {
            let labels = mapping.labels(for: resourceItems.resource)
            let stream: Int
            if let id = streamIDs[labels] {
                stream = id
            } else {
                stream = streamLabels.count
                streamIDs[labels] = stream
                streamLabels.append(labels)
                rows.append([])
            }
            for scoped in resourceItems.scopes where !scoped.items.isEmpty {
                let origin = LogBlockOrigin(resource: resourceItems.resource, resourceSchemaURL: resourceItems.schemaURL,
                                            scope: scoped.scope, scopeSchemaURL: scoped.schemaURL)
                let originID: Int
                if let id = originIDs[origin] {
                    originID = id
                } else {
                    originID = origins.count
                    originIDs[origin] = originID
                    origins.append(origin)
                }
                for record in scoped.items {
                    rows[stream].append(Input(origin: originID, time: LogBlockEntryCodec.timestamp(of: record),
                                              record: record))
                    entries += 1
                }
            }
        }
    }

    /// Writes the block atomically (temporary file, fsync, rename, directory fsync).
    @discardableResult
    public func write(to path: String) throws(LogBlockError) -> LogBlockMetadata {
        let (bytes, metadata) = try encode()
        let temporary = path + ".tmp"
        do {
            let fd = try POSIXFile.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
            do {
                try bytes.withUnsafeBytes { try POSIXFile.pwriteAll(fd, $0, at: 0, path: temporary) }
                try POSIXFile.sync(fd, path: temporary)
                POSIXFile.close(fd)
            } catch {
                POSIXFile.close(fd)
                throw error
            }
            if rename(temporary, path) != 0 { throw WALError.io(operation: "rename", path: temporary, errno: errno) }
            let slash = path.lastIndex(of: "/")
            let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
            try POSIXFile.syncDirectory(directory)
        } catch {
            try? POSIXFile.unlinkIfPresent(temporary)
            throw LogBlockError.from(error, path: path)
        }
        return metadata
    }

    /// The complete file contents.
    public func encode() throws(LogBlockError) -> (bytes: [UInt8], metadata: LogBlockMetadata) {
        guard let context = ZSTD_createCCtx() else { throw .compressionFailed(detail: "cannot create a zstd context") }
        defer { ZSTD_freeCCtx(context) }
        func compress(_ raw: [UInt8]) throws(LogBlockError) -> [UInt8] {
            do { return try TraceBlockZstd.compress(raw, level: options.compressionLevel, context: context) } catch {
                throw LogBlockError.from(error, path: "")
            }
        }
        var file: [UInt8] = []
        Self.appendUInt32(LogBlockFormat.magic, to: &file)
        Self.appendUInt32(LogBlockFormat.version, to: &file)

        let order = streamLabels.indices.sorted { streamLabels[$0] < streamLabels[$1] }
        var chunks: [LogBlockChunkInfo] = []
        var filters = LogChunkFilterBuilder(falsePositiveRate: options.bloomFalsePositiveRate)
        let originIsLoki = origins.map { mapping.isLokiStream($0.resource) }
        let originTraceIDs = origins.map { LogTraceIndexCoverage.resourceMetadataTraceIDs($0.resource, mapping: mapping) }
        var blockMin = UInt64.max, blockMax: UInt64 = 0

        for (newStream, oldStream) in order.enumerated() {
            // Through the buffer, so that reading an entry's fields does not copy the entry (its record's references).
            try rows[oldStream].withUnsafeBufferPointer { entries throws(LogBlockError) in
                // Streams usually arrive in time order; sort (by time, then arrival, which is index order) only when not.
                let times = entries.map(\.time)
                let inOrder = zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }
                let order = inOrder ? Array(entries.indices) : entries.indices.sorted { (times[$0], $0) < (times[$1], $1) }
                var meta = WALWriter(reservingCapacity: options.chunkTargetBytes / 4)
                var bodies = WALWriter(reservingCapacity: options.chunkTargetBytes)
                var count = 0, first: UInt64 = 0, previous: UInt64 = 0
                func flush() throws(LogBlockError) {
                    guard count > 0 else { return }
                    var raw = WALWriter(reservingCapacity: meta.bytes.count + bodies.bytes.count + 5)
                    raw.writeCount(meta.bytes.count)
                    var bytes = raw.bytes
                    bytes += meta.bytes
                    bytes += bodies.bytes
                    let stored = try compress(bytes)
                    chunks.append(LogBlockChunkInfo(stream: newStream, entryCount: count, minTimeUnixNano: first, maxTimeUnixNano: previous,
                                                    offset: UInt64(file.count), storedLength: stored.count, rawLength: bytes.count,
                                                    crc: CRC32C.checksum(stored)))
                    file += stored
                    filters.finishChunk()
                    blockMin = min(blockMin, first)
                    blockMax = max(blockMax, previous)
                    meta = WALWriter(reservingCapacity: options.chunkTargetBytes / 4)
                    bodies = WALWriter(reservingCapacity: options.chunkTargetBytes)
                    count = 0
                }
                for index in order {
                    let time = entries[index].time, origin = entries[index].origin
                    if count == 0 { first = time; previous = time }
                    LogBlockEntryCodec.encode(entries[index].record, time: time, previous: previous, origin: origin,
                                              meta: &meta, bodies: &bodies)
                    previous = time
                    count += 1
                    filters.add(line: LogLine.render(entries[index].record.body))
                    filters.add(traceID: entries[index].record.traceID)
                    for id in LogBlockEntryCodec.attributeTraceIDs(of: entries[index].record) { filters.add(traceID: id) }
                    for id in LogTraceIndexCoverage.recordMetadataTraceIDs(entries[index].record, lokiStream: originIsLoki[origin]) {
                        filters.add(traceID: id)
                    }
                    for id in originTraceIDs[origin] { filters.add(traceID: id) }
                    if meta.bytes.count + bodies.bytes.count >= options.chunkTargetBytes { try flush() }
                }
                try flush()
            }
        }

        var sections: [LogBlockSectionEntry] = []
        func appendSection(_ raw: [UInt8], compressible: Bool) throws(LogBlockError) {
            var stored = raw
            var compressed = false
            if compressible && !raw.isEmpty {
                let candidate = try compress(raw)
                if candidate.count < raw.count { stored = candidate; compressed = true }
            }
            sections.append(LogBlockSectionEntry(offset: UInt64(file.count), storedLength: stored.count, rawLength: raw.count,
                                                 compressed: compressed, crc: CRC32C.checksum(stored)))
            file += stored
        }
        var w = WALWriter()
        w.writeArray(order.map { streamLabels[$0] }) { labels, w in
            w.writeCount(labels.count)
            for (name, value) in zip(labels.names, labels.values) {
                w.writeString(name)
                w.writeString(value)
            }
        }
        try appendSection(w.bytes, compressible: true)
        w = WALWriter()
        w.writeArray(origins) { origin, w in
            origin.resource.encode(to: &w)
            w.writeString(origin.resourceSchemaURL)
            origin.scope.encode(to: &w)
            w.writeString(origin.scopeSchemaURL)
        }
        try appendSection(w.bytes, compressible: true)
        try appendSection(filters.section(), compressible: false)

        let metadata = LogBlockMetadata(entryCount: entries, streamCount: streamLabels.count, chunkCount: chunks.count,
                                        minTimeUnixNano: entries == 0 ? 0 : blockMin, maxTimeUnixNano: entries == 0 ? 0 : blockMax)
        let footer = LogBlockFooter(metadata: metadata, sections: sections, chunks: chunks).encoded()
        file += footer
        Self.appendUInt32(UInt32(footer.count), to: &file)
        Self.appendUInt32(CRC32C.checksum(footer), to: &file)
        Self.appendUInt32(LogBlockFormat.version, to: &file)
        Self.appendUInt32(LogBlockFormat.magic, to: &file)
        return (file, metadata)
    }

    private static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Encoding of entries inside a chunk:
///
/// ```text
/// chunk := metaLength:uvar meta body*
/// meta  := (timeDelta:uvar origin:uvar flags:u8 [observedDelta:svar] severityNumber:svar
///           severityText:str attrs dropped:uvar recordFlags:uvar [traceID:16] [spanID:8] eventName:str)*
/// body  := value (the record body, WAL value encoding)
/// flags := 1 time unset (timestamp is the observed time) | 2 observed unset | 4 observed = time
///          | 8 trace id present | 16 span id present
/// ```
enum LogBlockEntryCodec {
    /// The timestamp an entry is sorted and queried by.
    static func timestamp(of record: LogRecord) -> UInt64 {
        record.timeUnixNano != 0 ? record.timeUnixNano : record.observedTimeUnixNano
    }

    /// Trace ids an entry refers to: its trace id, a 32-hex structured
    /// metadata value named like a trace id, and 32-hex tokens of its line.
    static func traceIDs(of record: LogRecord, line: String) -> Set<TraceID> {
        var ids = Set(attributeTraceIDs(of: record))
        if !record.traceID.isZero { ids.insert(record.traceID) }
        LogTokenizer.forEachHexTraceID(line) { ids.insert($0) }
        return ids
    }

    /// The 32-hex values of a record's attributes named like a trace id.
    static func attributeTraceIDs(of record: LogRecord) -> [TraceID] {
        record.attributes.compactMap { attribute in
            switch attribute.key {
            case "trace_id", "traceid", "traceId", "traceID", "trace.id", "trace_id_hex":
                if let text = attribute.value.stringValue, let id = TraceID(hex: text), !id.isZero { return id }
                return nil
            default: return nil
            }
        }
    }

    static func encode(_ record: LogRecord, time: UInt64, previous: UInt64, origin: Int,
                       meta: inout WALWriter, bodies: inout WALWriter) {
        meta.writeVarUInt(time - previous)
        meta.writeCount(origin)
        var flags: UInt8 = 0
        if record.timeUnixNano == 0 { flags |= 1 }
        else if record.observedTimeUnixNano == 0 { flags |= 2 }
        else if record.observedTimeUnixNano == record.timeUnixNano { flags |= 4 }
        if !record.traceID.isZero { flags |= 8 }
        if !record.spanID.isZero { flags |= 16 }
        meta.writeByte(flags)
        if flags & 7 == 0 { meta.writeVarInt(Int64(bitPattern: record.observedTimeUnixNano &- record.timeUnixNano)) }
        meta.writeVarInt(record.severityNumber)
        meta.writeString(record.severityText)
        meta.writeAttributes(record.attributes)
        meta.writeVarUInt(record.droppedAttributesCount)
        meta.writeVarUInt(record.flags)
        if flags & 8 != 0 { record.traceID.encode(to: &meta) }
        if flags & 16 != 0 { record.spanID.encode(to: &meta) }
        meta.writeString(record.eventName)
        record.body.encode(to: &bodies, depth: 0)
    }

    static func decode(_ raw: [UInt8], info: LogBlockChunkInfo, originCount: Int, path: String, section: String) throws(LogBlockError) -> [LogBlockRow] {
        var header = WALReader(raw)
        var rows: [LogBlockRow] = []
        rows.reserveCapacity(info.entryCount)
        do throws(WALDecodingError) {
            let metaLength = try header.readInt()
            guard metaLength <= header.remaining else { throw header.failure(.truncated(needed: metaLength, available: header.remaining)) }
            let start = header.offset
            var meta = WALReader(Array(raw[start..<(start + metaLength)]))
            var bodies = WALReader(Array(raw[(start + metaLength)...]))
            var time = info.minTimeUnixNano
            for i in 0..<info.entryCount {
                let delta = try meta.readVarUInt()
                guard delta <= info.maxTimeUnixNano - time, i > 0 || delta == 0 else {
                    throw meta.failure(.valueOutOfRange(value: delta, maximum: info.maxTimeUnixNano - time))
                }
                time += delta
                let origin = try meta.readInt()
                guard origin < originCount else { throw meta.failure(.valueOutOfRange(value: UInt64(origin), maximum: UInt64(originCount))) }
                let flags = try meta.readByte()
                guard flags < 32, (flags & 7).nonzeroBitCount <= 1 else { throw meta.failure(.invalidTag(field: "entry flags", value: UInt64(flags))) }
                var record = LogRecord()
                if flags & 1 != 0 {
                    record.timeUnixNano = 0
                    record.observedTimeUnixNano = time
                } else {
                    record.timeUnixNano = time
                    if flags & 2 != 0 { record.observedTimeUnixNano = 0 }
                    else if flags & 4 != 0 { record.observedTimeUnixNano = time }
                    else { record.observedTimeUnixNano = time &+ UInt64(bitPattern: try meta.readVarInt()) }
                }
                record.severityNumber = try meta.readVarInt32()
                record.severityText = try meta.readString()
                record.attributes = try meta.readAttributes()
                record.droppedAttributesCount = try meta.readVarUInt32()
                record.flags = try meta.readVarUInt32()
                if flags & 8 != 0 { record.traceID = try TraceID(from: &meta) }
                if flags & 16 != 0 { record.spanID = try SpanID(from: &meta) }
                record.eventName = try meta.readString()
                record.body = try AttributeValue(from: &bodies, depth: 0)
                rows.append(LogBlockRow(origin: origin, time: time, record: record))
            }
            guard time == info.maxTimeUnixNano else { throw meta.failure(.valueOutOfRange(value: time, maximum: info.maxTimeUnixNano)) }
            guard meta.isAtEnd else { throw meta.failure(.trailingBytes(count: meta.remaining)) }
            guard bodies.isAtEnd else { throw bodies.failure(.trailingBytes(count: bodies.remaining)) }
        } catch {
            throw .malformed(path: path, section: section, detail: error.description)
        }
        return rows
    }
}
