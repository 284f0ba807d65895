import KansokuModel

/// One record of the metrics write-ahead log: what one append stored, with
/// series named by their WAL id instead of their labels. A series' labels are
/// written once, in a definition, by the first record that logs samples or
/// exemplars of it (or again, harmlessly, by records written before that one
/// was durable); the series checkpoint keeps the definitions of live series
/// once the segments holding them are deleted. Like Prometheus's WAL series
/// and samples records, in one record so a sample can never be replayed
/// before its series is known.
///
/// ```text
/// payload     := version:u8 tag:u8('S') definitions samples exemplars metadata
/// definitions := count (Δid:var labels)*                  Δ from the previous definition's id, first from 0
/// samples     := count [base:var (Δid:var n:uvar Δt:var{n} value:f64{n})*]
///                  Δid from the previous run's id (first from 0); the base (written
///                  only when count > 0) is the record's first sample's timestamp; a run's
///                  first Δt is from the base, the next ones from the previous sample
/// exemplars   := count (id:uvar labels value:f64 timestamp:var)*
/// metadata    := count (family:str kind:u8 help:str unit:str)*
/// histograms  := [count (id:uvar timestamp:var histogram)*]   only when there are some,
///                  so float-only records are as before; histogram as in `NativeHistogram+WAL`
/// labels      := count (name:str value:str)*
/// ```
///
/// Samples are kept flat: `runs[i]` owns the next `runs[i].count` entries of
/// `samples`, so a 2000-series request costs two arrays, not 2000.
struct MetricWALRecord: Sendable {
    /// The record tag: `'P'` is the older self-contained layout (`SampleBatch.walPayload()`).
    static let itemTag: UInt8 = UInt8(ascii: "S")

    struct Definition: Sendable, Hashable {
        var walID: UInt64
        var labels: SeriesLabels
    }

    /// `count` consecutive samples of `samples` belong to series `walID`.
    struct Run: Sendable, Hashable {
        var walID: UInt64
        var count: Int
    }

    struct Exemplar: Sendable {
        var walID: UInt64
        var exemplar: SeriesExemplar
    }

    struct Histogram: Sendable {
        var walID: UInt64
        var sample: HistogramSample
    }

    var definitions: [Definition] = []
    var runs: [Run] = []
    var samples: [Sample] = []
    var exemplars: [Exemplar] = []
    var metadata: [MetricFamilyMetadata] = []
    var histograms: [Histogram] = []

    init(definitions: [Definition] = [], runs: [Run] = [], samples: [Sample] = [], exemplars: [Exemplar] = [],
         metadata: [MetricFamilyMetadata] = []) {
        self.definitions = definitions
        self.runs = runs
        self.samples = samples
        self.exemplars = exemplars
        self.metadata = metadata
    }

    /// Nothing to log: no samples, exemplars or metadata (definitions alone are never logged).
    var isEmpty: Bool { runs.isEmpty && exemplars.isEmpty && metadata.isEmpty && histograms.isEmpty }

    /// Newest sample time in the record, nil without samples.
    var newestTimestamp: Int64? {
        let newestFloat = samples.lazy.map(\.timestamp).max()
        guard let newestHistogram = histograms.lazy.map(\.sample.timestamp).max() else { return newestFloat }
        return max(newestFloat ?? .min, newestHistogram)
    }

    /// The samples of every run, in record order (for tests and diagnostics).
    var samplesByRun: [(walID: UInt64, samples: ArraySlice<Sample>)] {
        var start = 0
        return runs.map { run in
            defer { start += run.count }
            return (run.walID, samples[start..<start + run.count])
        }
    }

    // MARK: Encoding

    func encoded() -> [UInt8] {
        var writer = WALWriter(reservingCapacity: 16 + definitions.count * 128 + runs.count * 4 + samples.count * 11
                                   + exemplars.count * 64 + metadata.count * 64)
        writer.writeByte(WALFormat.version)
        writer.writeByte(MetricWALRecord.itemTag)

        writer.writeCount(definitions.count)
        var previousID: UInt64 = 0
        for definition in definitions {
            writer.writeVarInt(Int64(bitPattern: definition.walID &- previousID))
            previousID = definition.walID
            MetricWALRecord.write(definition.labels, to: &writer)
        }

        writer.writeCount(runs.count)
        if !runs.isEmpty {
            let base = samples.first?.timestamp ?? 0
            writer.writeVarInt(base)
            previousID = 0
            var start = 0
            for run in runs {
                writer.writeVarInt(Int64(bitPattern: run.walID &- previousID))
                previousID = run.walID
                writer.writeCount(run.count)
                // Indices, not slices: a run is often one sample, and each slice retains the array.
                var previous = base
                for i in start..<start + run.count {
                    writer.writeVarInt(samples[i].timestamp &- previous)
                    previous = samples[i].timestamp
                }
                for i in start..<start + run.count { writer.writeDouble(samples[i].value) }
                start += run.count
            }
        }

        writer.writeCount(exemplars.count)
        for item in exemplars {
            writer.writeVarUInt(item.walID)
            MetricWALRecord.write(item.exemplar.labels, to: &writer)
            writer.writeDouble(item.exemplar.value)
            writer.writeVarInt(item.exemplar.timestamp)
        }

        MetricWALRecord.write(metadata, to: &writer)
        if !histograms.isEmpty {
            writer.writeCount(histograms.count)
            for item in histograms {
                writer.writeVarUInt(item.walID)
                writer.writeVarInt(item.sample.timestamp)
                item.sample.histogram.write(to: &writer)
            }
        }
        return writer.bytes
    }

    /// Decodes a payload written by `encoded()`; throws naming the byte offset of anything malformed.
    init(walPayload: [UInt8]) throws(WALDecodingError) {
        var reader = WALReader(walPayload)
        guard !reader.isAtEnd else { throw reader.failure(.emptyPayload) }
        let version = try reader.readByte()
        guard version == WALFormat.version else {
            throw reader.failure(.unsupportedVersion(found: version, supported: WALFormat.version), at: 0)
        }
        let tag = try reader.readByte()
        guard tag == MetricWALRecord.itemTag else {
            throw reader.failure(.wrongItemKind(expected: MetricWALRecord.itemTag, found: tag), at: 1)
        }

        var previousID: UInt64 = 0
        definitions = try reader.readArray(minimumElementSize: 2) { r throws(WALDecodingError) in
            let id = previousID &+ UInt64(bitPattern: try r.readVarInt())
            previousID = id
            return Definition(walID: id, labels: try MetricWALRecord.readLabels(&r))
        }

        let runCount = try reader.readCount(minimumElementSize: 2)
        if runCount > 0 {
            let base = try reader.readVarInt()
            previousID = 0
            runs.reserveCapacity(runCount)
            samples.reserveCapacity(runCount)
            var timestamps: [Int64] = []
            for _ in 0..<runCount {
                let id = previousID &+ UInt64(bitPattern: try reader.readVarInt())
                previousID = id
                let count = try reader.readCount(minimumElementSize: 9)
                timestamps.removeAll(keepingCapacity: true)
                var previous = base
                for _ in 0..<count {
                    previous = previous &+ (try reader.readVarInt())
                    timestamps.append(previous)
                }
                for timestamp in timestamps { samples.append(Sample(timestamp: timestamp, value: try reader.readDouble())) }
                runs.append(Run(walID: id, count: count))
            }
        }

        exemplars = try reader.readArray(minimumElementSize: 11) { r throws(WALDecodingError) in
            let id = try r.readVarUInt()
            let exemplar = SeriesExemplar(labels: try MetricWALRecord.readLabels(&r), value: try r.readDouble(), timestamp: try r.readVarInt())
            return Exemplar(walID: id, exemplar: exemplar)
        }

        metadata = try MetricWALRecord.readMetadata(&reader)
        if !reader.isAtEnd {
            // The section is written only when it has entries: an empty one is stray bytes.
            let start = reader.offset
            guard try reader.readCount() > 0 else { throw reader.failure(.trailingBytes(count: reader.remaining + 1), at: start) }
            reader.rewind(to: start)
            histograms = try reader.readArray(minimumElementSize: 40) { r throws(WALDecodingError) in
                Histogram(walID: try r.readVarUInt(),
                          sample: HistogramSample(timestamp: try r.readVarInt(), histogram: try NativeHistogram(from: &r)))
            }
        }
        guard reader.isAtEnd else { throw reader.failure(.trailingBytes(count: reader.remaining)) }
    }

    static func write(_ labels: SeriesLabels, to writer: inout WALWriter) {
        writer.writeCount(labels.labels.count)
        for label in labels.labels {
            writer.writeString(label.name)
            writer.writeString(label.value)
        }
    }

    static func write(_ metadata: [MetricFamilyMetadata], to writer: inout WALWriter) {
        writer.writeCount(metadata.count)
        for family in metadata {
            writer.writeString(family.family)
            writer.writeByte(UInt8(MetricFamilyMetadata.Kind.allCases.firstIndex(of: family.kind)!))
            writer.writeString(family.help)
            writer.writeString(family.unit)
        }
    }

    static func readMetadata(_ reader: inout WALReader) throws(WALDecodingError) -> [MetricFamilyMetadata] {
        try reader.readArray(minimumElementSize: 4) { r throws(WALDecodingError) in
            let family = try r.readString()
            let kindIndex = try r.readByte()
            let kinds = MetricFamilyMetadata.Kind.allCases
            guard Int(kindIndex) < kinds.count else {
                throw r.failure(.invalidTag(field: "metadata kind", value: UInt64(kindIndex)))
            }
            return MetricFamilyMetadata(family: family, kind: kinds[Int(kindIndex)], help: try r.readString(), unit: try r.readString())
        }
    }

    static func readLabels(_ reader: inout WALReader) throws(WALDecodingError) -> SeriesLabels {
        // Written from a SeriesLabels, so already sorted and unique.
        SeriesLabels(sorted: try reader.readArray(minimumElementSize: 2) { r throws(WALDecodingError) in
            SeriesLabel(name: try r.readString(), value: try r.readString())
        })
    }
}
