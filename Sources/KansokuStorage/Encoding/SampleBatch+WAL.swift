import KansokuModel

/// Samples in the metrics write-ahead log. Each record stands alone (labels
/// written out, no series references) so any segment replays without the
/// ones before it:
///
/// ```text
/// payload  := version:u8 tag:u8('P') count series count metadata
/// series   := labels count sample count exemplar
/// labels   := count (name:str value:str)*
/// sample   := Δtimestamp:var value:f64          (Δ from the previous sample, first from 0)
/// exemplar := labels value:f64 timestamp:var
/// metadata := family:str kind:u8 help:str unit:str
/// ```
extension SampleBatch {
    /// The record tag that tells sample records from model batches.
    static let walItemTag: UInt8 = UInt8(ascii: "P")

    /// The batch encoded for the write-ahead log.
    public func walPayload() -> [UInt8] {
        var writer = WALWriter(reservingCapacity: 16 + seriesCount * 96 + sampleCount * 10)
        writer.writeByte(WALFormat.version)
        writer.writeByte(SampleBatch.walItemTag)
        writer.writeCount(seriesCount)
        for index in 0..<seriesCount {
            SampleBatch.write(labels(ofSeries: index), to: &writer)
            var previous: Int64 = 0
            writer.writeArray(samples[sampleRange(ofSeries: index)]) { sample, w in
                w.writeVarInt(sample.timestamp &- previous)
                w.writeDouble(sample.value)
                previous = sample.timestamp
            }
            writer.writeArray(exemplars[exemplarRange(ofSeries: index)]) { exemplar, w in
                SampleBatch.write(exemplar.labels, to: &w)
                w.writeDouble(exemplar.value)
                w.writeVarInt(exemplar.timestamp)
            }
        }
        writer.writeArray(metadata) { family, w in
            w.writeString(family.family)
            w.writeByte(UInt8(MetricFamilyMetadata.Kind.allCases.firstIndex(of: family.kind)!))
            w.writeString(family.help)
            w.writeString(family.unit)
        }
        return writer.bytes
    }

    /// Decodes a payload written by `walPayload()`; throws naming the byte
    /// offset of anything malformed.
    public init(walPayload: [UInt8]) throws(WALDecodingError) {
        var reader = WALReader(walPayload)
        guard !reader.isAtEnd else { throw reader.failure(.emptyPayload) }
        let version = try reader.readByte()
        guard version == WALFormat.version else {
            throw reader.failure(.unsupportedVersion(found: version, supported: WALFormat.version), at: 0)
        }
        let tag = try reader.readByte()
        guard tag == SampleBatch.walItemTag else {
            throw reader.failure(.wrongItemKind(expected: SampleBatch.walItemTag, found: tag), at: 1)
        }
        let series = try reader.readArray(minimumElementSize: 3) { r throws(WALDecodingError) in
            let labels = try SampleBatch.readLabels(&r)
            var previous: Int64 = 0
            let samples = try r.readArray(minimumElementSize: 9) { r throws(WALDecodingError) in
                let timestamp = previous &+ (try r.readVarInt())
                previous = timestamp
                return Sample(timestamp: timestamp, value: try r.readDouble())
            }
            let exemplars = try r.readArray(minimumElementSize: 10) { r throws(WALDecodingError) in
                SeriesExemplar(labels: try SampleBatch.readLabels(&r), value: try r.readDouble(), timestamp: try r.readVarInt())
            }
            return SeriesSamples(labels: labels, samples: samples, exemplars: exemplars)
        }
        let metadata = try reader.readArray(minimumElementSize: 4) { r throws(WALDecodingError) in
            let family = try r.readString()
            let kindIndex = try r.readByte()
            let kinds = MetricFamilyMetadata.Kind.allCases
            guard Int(kindIndex) < kinds.count else {
                throw r.failure(.invalidTag(field: "metadata kind", value: UInt64(kindIndex)))
            }
            return MetricFamilyMetadata(family: family, kind: kinds[Int(kindIndex)], help: try r.readString(), unit: try r.readString())
        }
        guard reader.isAtEnd else { throw reader.failure(.trailingBytes(count: reader.remaining)) }
        self.init(series: series, metadata: metadata)
    }

    private static func write(_ labels: SeriesLabels, to writer: inout WALWriter) {
        writer.writeArray(labels.labels) { label, w in
            w.writeString(label.name)
            w.writeString(label.value)
        }
    }

    private static func readLabels(_ reader: inout WALReader) throws(WALDecodingError) -> SeriesLabels {
        // Written from a SeriesLabels, so already sorted and unique; re-sorting
        // would only cost time on replay.
        SeriesLabels(sorted: try reader.readArray(minimumElementSize: 2) { r throws(WALDecodingError) in
            SeriesLabel(name: try r.readString(), value: try r.readString())
        })
    }
}
