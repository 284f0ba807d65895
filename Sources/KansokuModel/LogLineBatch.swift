/// Log lines as a receiver decoded them from one request, before they become
/// ``LogRecord``s: per stream its labels, per entry its time and byte ranges
/// of its line and structured metadata in the request's bytes.
///
/// The same data as the ``LogBatch`` that ``logBatch()`` returns (one
/// resource per stream, labelled with the stream's labels, one scope without
/// name, each entry a record with a string body and its metadata as string
/// attributes), in a form that costs no allocation per line: a store can
/// write the lines from where they lie instead of making a string of each
/// and copying it again. Lines and metadata are UTF-8 as sent, not
/// validated; where they are not valid UTF-8, the batch means what
/// `String(decoding:as:)` makes of them (invalid sequences become U+FFFD).
public struct LogLineBatch: Sendable {
    /// One stream with at least one entry.
    public struct Stream: Sendable {
        /// The stream's labels, the resource attributes of its records.
        public var labels: [Attribute]
        /// The stream's entries: indices into ``LogLineBatch/entries``, in order.
        public var entries: Range<Int>

        public init(labels: [Attribute], entries: Range<Int>) {
            self.labels = labels
            self.entries = entries
        }
    }

    /// One log line.
    public struct Entry: Sendable {
        /// Nanoseconds since the epoch.
        public var timeUnixNano: UInt64
        /// The line's bytes in ``LogLineBatch/bytes``.
        public var line: Range<Int>
        /// The entry's metadata pairs: indices into ``LogLineBatch/metadata``, in the order sent.
        public var metadata: Range<Int>

        public init(timeUnixNano: UInt64, line: Range<Int>, metadata: Range<Int>) {
            self.timeUnixNano = timeUnixNano
            self.line = line
            self.metadata = metadata
        }
    }

    /// One structured metadata pair: name and value as byte ranges in ``LogLineBatch/bytes``.
    public struct Metadata: Sendable {
        public var name: Range<Int>
        public var value: Range<Int>

        public init(name: Range<Int>, value: Range<Int>) {
            self.name = name
            self.value = value
        }
    }

    /// The bytes lines and metadata point into (for a Loki push, the
    /// uncompressed request).
    public let bytes: [UInt8]
    /// The streams in order; their entry ranges follow one another.
    public var streams: [Stream] = []
    public var entries: [Entry] = []
    /// Metadata pairs, for entries to point into; may hold pairs no entry uses.
    public var metadata: [Metadata] = []

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// How many lines the streams hold.
    public var itemCount: Int {
        var total = 0
        for stream in streams { total += stream.entries.count }
        return total
    }

    /// The bytes at `range` as a string, invalid UTF-8 repaired (U+FFFD).
    public func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// The record `entry` stands for.
    public func record(_ entry: Entry) -> LogRecord {
        let attributes = entry.metadata.isEmpty ? [] : metadata[entry.metadata].map {
            Attribute(key: string($0.name), value: .string(string($0.value)))
        }
        return LogRecord(timeUnixNano: entry.timeUnixNano, observedTimeUnixNano: 0, body: .string(string(entry.line)),
                         attributes: attributes)
    }

    /// The same lines in the model every store takes.
    public func logBatch() -> LogBatch {
        LogBatch(resources: streams.map { stream in
            ResourceItems(resource: Resource(attributes: stream.labels),
                          scopes: [ScopedItems(scope: InstrumentationScope(), items: entries[stream.entries].map(record))])
        })
    }
}
