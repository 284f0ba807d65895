import KansokuModel

extension LogLineBatch {
    /// The WAL payload of ``LogLineBatch/logBatch()``, byte for byte (see
    /// `WALFormat`), written from the lines' bytes without making a string
    /// or a record of each.
    ///
    /// Two passes: the first sizes the payload, validating each line's UTF-8
    /// (an entry with structured metadata or a line that needs repair is
    /// encoded aside as its ``LogRecord``); the second writes every byte into
    /// an array of exactly that size. A plain entry is the record layout of
    /// `LogRecord+WAL.swift` with a zero observed time, severity, flags and
    /// ids, empty texts and no attributes: its constant parts are taken from
    /// the encoding of such a record (``PlainEntryLayout``), so they follow
    /// that layout rather than restate it.
    public func walPayload() -> [UInt8] {
        let layout = PlainEntryLayout.shared
        var size = 2 + WALRawWriter.varUIntSize(UInt64(streams.count))
        var prefixes: [[UInt8]] = []
        prefixes.reserveCapacity(streams.count)
        var aside: [Int: [UInt8]] = [:]
        bytes.withUnsafeBufferPointer { buffer in
            for stream in streams {
                let prefix = Self.streamPrefix(labels: stream.labels, entryCount: stream.entries.count)
                size += prefix.count
                prefixes.append(prefix)
                for index in stream.entries {
                    let entry = entries[index]
                    if entry.metadata.isEmpty, UTF8Validation.isValid(UnsafeBufferPointer(rebasing: buffer[entry.line])) {
                        size += layout.size(lineCount: entry.line.count)
                    } else {
                        var writer = WALWriter()
                        record(entry).encode(to: &writer)
                        size += writer.bytes.count
                        aside[index] = writer.bytes
                    }
                }
            }
        }

        return [UInt8](unsafeUninitializedCapacity: size) { output, initialized in
            var out = WALRawWriter(UnsafeMutableRawBufferPointer(output))
            out.writeByte(WALFormat.version)
            out.writeByte(LogRecord.walItemTag)
            out.writeVarUInt(UInt64(streams.count))
            bytes.withUnsafeBytes { source in
                for (s, stream) in streams.enumerated() {
                    prefixes[s].withUnsafeBytes { out.writeBytes($0) }
                    for index in stream.entries {
                        if !aside.isEmpty, let encoded = aside[index] {
                            encoded.withUnsafeBytes { out.writeBytes($0) }
                            continue
                        }
                        let entry = entries[index]
                        out.writeFixed64(entry.timeUnixNano)
                        layout.middle.withUnsafeBytes { out.writeBytes($0) }
                        out.writeVarUInt(UInt64(entry.line.count))
                        out.writeBytes(UnsafeRawBufferPointer(rebasing: source[entry.line]))
                        layout.tail.withUnsafeBytes { out.writeBytes($0) }
                    }
                }
            }
            precondition(out.count == size, "LogLineBatch payload size mismatch")
            initialized = out.count
        }
    }

    /// What `walPayload()` writes for a resource before its items: the
    /// stream's labels as resource attributes, empty schema URLs and one
    /// scope without name, then the item count.
    private static func streamPrefix(labels: [Attribute], entryCount: Int) -> [UInt8] {
        var writer = WALWriter(reservingCapacity: 32 + labels.walSizeHint)
        Resource(attributes: labels).encode(to: &writer)
        writer.writeString("")
        writer.writeCount(1)
        InstrumentationScope().encode(to: &writer)
        writer.writeString("")
        writer.writeCount(entryCount)
        return writer.bytes
    }
}

/// The encoding of a plain log record (only a time and a string body set),
/// cut around the parts that vary: `time:fixed64 middle length:uvar line tail`.
struct PlainEntryLayout: Sendable {
    /// The fields between the time and the body's length.
    let middle: [UInt8]
    /// The fields after the body.
    let tail: [UInt8]

    static let shared = PlainEntryLayout()

    private init() {
        var writer = WALWriter()
        LogRecord(timeUnixNano: 0, observedTimeUnixNano: 0, body: .string("")).encode(to: &writer)
        let template = writer.bytes
        // time (8 bytes) + middle + length 0 (one byte, 0x00) + tail: the one
        // 0x00 after the string tag is the empty body's length.
        let tag = template[8...].firstIndex(of: WALTag.Value.string)!
        middle = Array(template[8...tag])
        precondition(template[tag + 1] == 0, "an empty body's length is one zero byte")
        tail = Array(template[(tag + 2)...])
    }

    /// Encoded size of a plain record whose line is `lineCount` bytes long.
    func size(lineCount: Int) -> Int {
        8 + middle.count + WALRawWriter.varUIntSize(UInt64(lineCount)) + lineCount + tail.count
    }
}
