import KansokuModel
import KansokuStorage
import Testing

@Suite("SampleBatch WAL encoding")
struct SampleBatchWALTests {
    private static let stale = Double(bitPattern: Sample.staleMarkerBits)

    /// A batch touching every field: several series, negative and extreme
    /// timestamps, NaNs, exemplars and metadata of every kind.
    private static let batch = SampleBatch(
        series: [
            SeriesSamples(
                labels: SeriesLabels([("__name__", "http_requests_total"), ("job", "api"), ("path", "/ünïcode ✓")]),
                samples: [
                    Sample(timestamp: -86_400_000, value: 1), Sample(timestamp: -1, value: -2.5),
                    Sample(timestamp: 0, value: 0), Sample(timestamp: 1_435_781_451_781, value: 1e300),
                    Sample(timestamp: 1_435_781_451_782, value: stale),
                    Sample(timestamp: 1_435_781_451_783, value: Double(bitPattern: 0x7ff8_0000_0000_0001)),
                    Sample(timestamp: 1_435_781_451_784, value: -.infinity),
                    Sample(timestamp: 1_435_781_451_785, value: -0.0),
                ],
                exemplars: [
                    SeriesExemplar(labels: SeriesLabels([("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"), ("span_id", "00f067aa0ba902b7")]),
                                   value: 0.042, timestamp: 1_435_781_451_781),
                    SeriesExemplar(labels: SeriesLabels([]), value: .nan, timestamp: -42),
                ]),
            SeriesSamples(labels: SeriesLabels([("__name__", "extremes")]),
                          samples: [Sample(timestamp: Int64.min, value: 1), Sample(timestamp: Int64.max, value: 2),
                                    Sample(timestamp: Int64.min, value: 3)]),
            SeriesSamples(labels: SeriesLabels([("__name__", "exemplar_only")]), samples: [],
                          exemplars: [SeriesExemplar(labels: SeriesLabels([("trace_id", "t")]), value: 1, timestamp: Int64.max)]),
        ],
        metadata: MetricFamilyMetadata.Kind.allCases.enumerated().map { index, kind in
            MetricFamilyMetadata(family: "family_\(index)", kind: kind, help: index % 2 == 0 ? "help for \(kind)" : "",
                                 unit: index % 3 == 0 ? "seconds" : "")
        })

    private func decodeError(_ payload: [UInt8]) -> WALDecodingError? {
        do {
            _ = try SampleBatch(walPayload: payload)
            return nil
        } catch {
            return error
        }
    }

    /// Compares bit for bit (Sample's == already does; exemplar values need it too).
    private func expectIdentical(_ a: SampleBatch, _ b: SampleBatch) {
        #expect(a.metadata == b.metadata)
        #expect(a.series.map(\.labels) == b.series.map(\.labels))
        #expect(a.series.map(\.samples) == b.series.map(\.samples))
        #expect(a.series.map { $0.exemplars.map(\.value.bitPattern) } == b.series.map { $0.exemplars.map(\.value.bitPattern) })
        #expect(a.series.map { $0.exemplars.map(\.timestamp) } == b.series.map { $0.exemplars.map(\.timestamp) })
        #expect(a.series.map { $0.exemplars.map(\.labels) } == b.series.map { $0.exemplars.map(\.labels) })
    }

    @Test("a batch round-trips bit for bit")
    func roundTrip() throws {
        let decoded = try SampleBatch(walPayload: SampleBatchWALTests.batch.walPayload())
        expectIdentical(decoded, SampleBatchWALTests.batch)
        let samples = decoded.series[0].samples
        #expect(samples[4].isStaleMarker)
        #expect(samples[5].value.bitPattern == 0x7ff8_0000_0000_0001)
        #expect(!samples[5].isStaleMarker)
        #expect(samples[7].value.sign == .minus)
        #expect(decoded.series[1].samples.map(\.timestamp) == [Int64.min, Int64.max, Int64.min])
        #expect(decoded.metadata.map(\.kind) == MetricFamilyMetadata.Kind.allCases)
    }

    @Test("encoding is deterministic and re-encoding the decoded batch gives the same bytes")
    func stableBytes() throws {
        let payload = SampleBatchWALTests.batch.walPayload()
        #expect(SampleBatchWALTests.batch.walPayload() == payload)
        #expect(try SampleBatch(walPayload: payload).walPayload() == payload)
    }

    @Test("the empty batch is version, tag and two zero counts")
    func emptyBatch() throws {
        let payload = SampleBatch().walPayload()
        #expect(payload == [WALFormat.version, UInt8(ascii: "P"), 0, 0])
        #expect(try SampleBatch(walPayload: payload) == SampleBatch())
    }

    @Test("metadata of every kind round-trips, with and without help and unit")
    func metadataKinds() throws {
        for kind in MetricFamilyMetadata.Kind.allCases {
            let batch = SampleBatch(metadata: [MetricFamilyMetadata(family: "f", kind: kind),
                                               MetricFamilyMetadata(family: "g", kind: kind, help: "h\n\"q\"", unit: "bytes")])
            #expect(try SampleBatch(walPayload: batch.walPayload()) == batch)
        }
    }

    @Test("timestamps are delta-encoded: a regular series costs a few bytes per sample beyond the value")
    func deltaEncoding() {
        let samples = (0..<100).map { Sample(timestamp: 1_700_000_000_000 + Int64($0) * 15_000, value: 1) }
        let payload = SampleBatch(series: [SeriesSamples(labels: SeriesLabels([("__name__", "m")]), samples: samples)]).walPayload()
        // 8 bytes of value plus a 2-byte delta (zig-zag 30000) per sample, the first timestamp longer.
        #expect(payload.count < 100 * 11 + 32)
    }

    @Test("every truncated prefix throws a WALDecodingError within its length")
    func everyTruncationThrows() {
        let payload = SampleBatchWALTests.batch.walPayload()
        for length in 0..<payload.count {
            let error = decodeError(Array(payload[..<length]))
            #expect(error != nil, "prefix of \(length)/\(payload.count) bytes decoded")
            if let error { #expect(error.offset <= length, "offset \(error.offset) past \(length) bytes") }
        }
        #expect(decodeError([]) == WALDecodingError(.emptyPayload, at: 0))
    }

    @Test("an unknown format version is rejected at byte 0")
    func wrongVersion() {
        var payload = SampleBatchWALTests.batch.walPayload()
        for version: UInt8 in [0, WALFormat.version + 1, 0xFF] {
            payload[0] = version
            #expect(decodeError(payload) == WALDecodingError(.unsupportedVersion(found: version, supported: WALFormat.version), at: 0))
        }
    }

    @Test("another item kind's tag is rejected at byte 1")
    func wrongTag() {
        var payload = SampleBatchWALTests.batch.walPayload()
        payload[1] = UInt8(ascii: "S")
        #expect(decodeError(payload) == WALDecodingError(.wrongItemKind(expected: UInt8(ascii: "P"), found: UInt8(ascii: "S")), at: 1))
        // A model batch (spans) is not a sample batch either.
        let spans = TelemetryBatch<Span>(resources: []).walPayload()
        #expect(decodeError(spans)?.reason == .wrongItemKind(expected: UInt8(ascii: "P"), found: spans[1]))
    }

    @Test("bytes after the metadata are rejected")
    func trailingBytes() {
        let payload = SampleBatch().walPayload()
        #expect(decodeError(payload + [0]) == WALDecodingError(.trailingBytes(count: 1), at: payload.count))
    }

    @Test("a metadata kind beyond the defined ones is rejected")
    func invalidMetadataKind() {
        var payload = SampleBatch(metadata: [MetricFamilyMetadata(family: "f", kind: .counter)]).walPayload()
        // version, tag, series count 0, metadata count 1, family "f" (length 1 + 1 byte), then the kind.
        #expect(payload[6] == 0)
        payload[6] = UInt8(MetricFamilyMetadata.Kind.allCases.count)
        #expect(decodeError(payload)?.reason == .invalidTag(field: "metadata kind", value: UInt64(MetricFamilyMetadata.Kind.allCases.count)))
    }

    @Test("a count larger than the payload could hold is rejected before allocating")
    func hugeCount() {
        // version, tag, then a series count of 2^62.
        var payload: [UInt8] = [WALFormat.version, UInt8(ascii: "P")]
        payload += [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]
        guard case .countExceedsPayload = decodeError(payload)?.reason else {
            Issue.record("expected countExceedsPayload, got \(String(describing: decodeError(payload)))")
            return
        }
    }
}
