#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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
        /// log₂ of zstd's match-table entries (``LogChunkCompressor``); nil keeps the level's own.
        public var compressionHashLog: Int32?
        /// Target false-positive rate of the token Bloom filter.
        public var bloomFalsePositiveRate: Double

        public init(chunkTargetBytes: Int = 256 << 10, compressionLevel: Int32 = 1, compressionHashLog: Int32? = 12,
                    bloomFalsePositiveRate: Double = 0.01) {
            self.chunkTargetBytes = max(1, chunkTargetBytes)
            self.compressionLevel = compressionLevel
            self.compressionHashLog = compressionHashLog
            self.bloomFalsePositiveRate = bloomFalsePositiveRate
        }
    }

    public let options: Options
    public let mapping: LogLabelMapping
    private var origins: [LogBlockOrigin] = []
    private var originIDs: [LogBlockOrigin: Int] = [:]
    private var streamLabels: [LogStreamLabels] = []
    private var streamIDs: [LogStreamLabels: Int] = [:]
    /// Whether each origin is a Loki stream (``LogLabelMapping/isLokiStream(_:)``).
    private var originIsLoki: [Bool] = []
    private var streamEntries: [LogBlockStreamEntries] = []
    private var entries = 0
    /// What the resource and scope headers of WAL payloads stand for, by
    /// their bytes: pushes repeat the same few hundred resources, which are
    /// decoded, mapped to labels and hashed as values once per block.
    private var resourceHeaders: [LogBlockHeaderKey: ResourceHeader] = [:]
    private var scopeHeaders: [LogBlockHeaderKey: Int] = [:]

    private struct ResourceHeader {
        var id: Int
        var stream: Int
        var resource: Resource
        var schemaURL: String
    }

    public init(options: Options = Options(), mapping: LogLabelMapping = LogLabelMapping()) {
        self.options = options
        self.mapping = mapping
    }

    /// Records appended so far.
    public var entryCount: Int { entries }

    /// Appends the records of `batch`.
    public mutating func append(_ batch: LogBatch) {
        // The one way in is the WAL's layout; a batch's own payload always decodes (see `WALFormat`).
        do { try append(walPayload: batch.walPayload()) } catch {
            preconditionFailure("a log batch's WAL payload did not decode: \(error)")
        }
    }

    /// Appends the records of a log batch's WAL payload (`TelemetryBatch.walPayload()`),
    /// reading them where they lie (``LogBlockEntryCodec/readWALRecord(_:writingMetaTailTo:)``).
    ///
    /// - Throws: `WALDecodingError` if the payload is malformed; the records
    ///   read before the error stay appended.
    public mutating func append(walPayload: [UInt8]) throws(WALDecodingError) {
        var current: ResourceHeader?
        try LogBatch.walk(walPayload: walPayload) { encoded throws(WALDecodingError) in
            let key = LogBlockHeaderKey(resource: nil, bytes: walPayload[encoded])
            if let known = resourceHeaders[key] {
                current = known
                return
            }
            let (decoded, schemaURL) = try WALReader.resourceHeader(in: walPayload, at: encoded)
            let header = ResourceHeader(id: resourceHeaders.count, stream: stream(for: decoded), resource: decoded, schemaURL: schemaURL)
            resourceHeaders[key] = header
            current = header
        } scope: { encoded, itemCount, reader throws(WALDecodingError) in
            guard itemCount > 0 else { return }
            guard let resource = current else { preconditionFailure("walk(walPayload:) names a resource before its scopes") }
            let key = LogBlockHeaderKey(resource: resource.id, bytes: walPayload[encoded])
            let originID: Int
            if let known = scopeHeaders[key] {
                originID = known
            } else {
                let (scope, schemaURL) = try WALReader.scopeHeader(in: walPayload, at: encoded)
                originID = origin(LogBlockOrigin(resource: resource.resource, resourceSchemaURL: resource.schemaURL,
                                                 scope: scope, scopeSchemaURL: schemaURL))
                scopeHeaders[key] = originID
            }
            let lokiStream = originIsLoki[originID]
            for _ in 0..<itemCount {
                try streamEntries[resource.stream].append(from: &reader, origin: originID, lokiStream: lokiStream)
                entries += 1
            }
        }
    }

    /// The index of the stream `resource`'s records belong to, added when new.
    private mutating func stream(for resource: Resource) -> Int {
        let labels = mapping.labels(for: resource)
        if let id = streamIDs[labels] { return id }
        streamIDs[labels] = streamLabels.count
        streamLabels.append(labels)
        streamEntries.append(LogBlockStreamEntries())
        return streamLabels.count - 1
    }

    /// The index of `origin`, added when new.
    private mutating func origin(_ origin: LogBlockOrigin) -> Int {
        if let id = originIDs[origin] { return id }
        originIDs[origin] = origins.count
        origins.append(origin)
        originIsLoki.append(mapping.isLokiStream(origin.resource))
        return origins.count - 1
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
        let compressor = try LogChunkCompressor(level: options.compressionLevel, hashLog: options.compressionHashLog)
        func compress(_ raw: [UInt8]) throws(LogBlockError) -> [UInt8] { try compressor.compress(raw) }
        var file: [UInt8] = []
        Self.appendUInt32(LogBlockFormat.magic, to: &file)
        Self.appendUInt32(LogBlockFormat.version, to: &file)

        let order = streamLabels.indices.sorted { streamLabels[$0] < streamLabels[$1] }
        var chunks: [LogBlockChunkInfo] = []
        var filters = LogChunkFilterBuilder(falsePositiveRate: options.bloomFalsePositiveRate)
        let originTraceIDs = origins.map { LogTraceIndexCoverage.resourceMetadataTraceIDs($0.resource, mapping: mapping) }
        var blockMin = UInt64.max, blockMax: UInt64 = 0

        for (newStream, oldStream) in order.enumerated() {
            let traceIDs = streamEntries[oldStream].traceIDs
            try streamEntries[oldStream].withEntries { entries, bytes throws(LogBlockError) in
                // Streams usually arrive in time order; sort (by time, then arrival, which is index order) only when not.
                let times = entries.map(\.time)
                let inOrder = zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }
                let order = inOrder ? Array(entries.indices) : entries.indices.sorted { (times[$0], $0) < (times[$1], $1) }
                // A chunk is `order[chunkStart..<position]`: its meta is built as entries come, its
                // bodies are copied once, from the stream's bytes into the chunk, when it is cut.
                var meta = WALWriter(reservingCapacity: options.chunkTargetBytes / 4)
                // The tokens left out of the text (``LogChunkIDColumn``) of the entry at each position:
                // `moved[movedEnds[p - 1]..<movedEnds[p]]`.
                var moved: [LogChunkIDColumn.MovedToken] = [], movedEnds: [Int] = []
                movedEnds.reserveCapacity(order.count)
                var bodyBytes = 0, chunkStart = 0
                var count = 0, first: UInt64 = 0, previous: UInt64 = 0
                func flush(through end: Int) throws(LogBlockError) {
                    guard count > 0 else { return }
                    var raw = WALWriter(reservingCapacity: meta.bytes.count + bodyBytes + 5)
                    raw.writeCount(meta.bytes.count)
                    meta.bytes.withUnsafeBytes { raw.appendRaw($0) }
                    var idColumn: [UInt8] = []
                    for position in chunkStart..<end {
                        let entry = entries[order[position]]
                        let tokens = moved[(position == 0 ? 0 : movedEnds[position - 1])..<movedEnds[position]]
                        if tokens.isEmpty {
                            raw.appendRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[entry.bodyStart..<entry.bodyEnd])))
                        } else {
                            LogChunkIDColumn.appendPackedBody(bytes, line: entry.line, moved: tokens, to: &raw, column: &idColumn)
                        }
                    }
                    var stored = try compress(raw.bytes)
                    stored += idColumn
                    chunks.append(LogBlockChunkInfo(stream: newStream, entryCount: count, minTimeUnixNano: first, maxTimeUnixNano: previous,
                                                    offset: UInt64(file.count), storedLength: stored.count, rawLength: raw.bytes.count,
                                                    crc: CRC32C.checksum(stored), idColumnLength: idColumn.count))
                    file += stored
                    filters.finishChunk()
                    blockMin = min(blockMin, first)
                    blockMax = max(blockMax, previous)
                    meta = WALWriter(reservingCapacity: options.chunkTargetBytes / 4)
                    bodyBytes = 0
                    chunkStart = end
                    count = 0
                }
                for position in order.indices {
                    let entry = entries[order[position]]
                    if count == 0 { first = entry.time; previous = entry.time }
                    meta.writeVarUInt(entry.time - previous)
                    meta.writeCount(entry.origin)
                    meta.appendRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[entry.metaStart..<entry.bodyStart])))
                    bodyBytes += entry.bodyEnd - entry.bodyStart
                    previous = entry.time
                    count += 1
                    let line = entry.line
                    filters.add(line: UnsafeBufferPointer(rebasing: bytes[line])) { token, decimal in
                        // Only a string body's own line is packed; a rendered one is not stored.
                        guard line.lowerBound < entry.bodyEnd else { return true }
                        let range = (line.lowerBound + token.lowerBound)..<(line.lowerBound + token.upperBound)
                        if decimal, let kind = LogEntryTimeToken.marker(bytes, range, time: entry.time) {
                            // Queries find a time token by the chunk's time range (``LogQueryToken``).
                            moved.append(LogChunkIDColumn.MovedToken(range: range, kind: kind))
                            return false
                        }
                        if LogChunkIDColumn.movesToken(length: range.count) { moved.append(.id(range)) }
                        return true
                    }
                    movedEnds.append(moved.count)
                    for id in traceIDs[entry.traceIDs] { filters.add(traceID: id) }
                    for id in originTraceIDs[entry.origin] { filters.add(traceID: id) }
                    if meta.bytes.count + bodyBytes >= options.chunkTargetBytes { try flush(through: position + 1) }
                }
                try flush(through: order.count)
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
