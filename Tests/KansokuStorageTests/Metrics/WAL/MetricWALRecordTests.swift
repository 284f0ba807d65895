import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("Metrics WAL record and series checkpoint encoding")
struct MetricWALRecordTests {
    private static let stale = Double(bitPattern: Sample.staleMarkerBits)

    /// A record touching every field: repeated and descending ids, extreme
    /// timestamps and ids, NaNs, exemplars and metadata of every kind.
    static let record: MetricWALRecord = {
        let samples: [Sample] = [
            Sample(timestamp: 1_435_781_451_781, value: 1e300), Sample(timestamp: 1_435_781_451_782, value: stale),
            Sample(timestamp: -86_400_000, value: -0.0),  // out of order within the run
            Sample(timestamp: Int64.min, value: 1), Sample(timestamp: Int64.max, value: 2), Sample(timestamp: Int64.min, value: 3),
            Sample(timestamp: 0, value: Double(bitPattern: 0x7ff8_0000_0000_0001)),
            Sample(timestamp: 1_435_781_451_790, value: -.infinity),
        ]
        return MetricWALRecord(
            definitions: [
                .init(walID: 7, labels: SeriesLabels([("__name__", "http_requests_total"), ("job", "api"), ("path", "/ünïcode ✓")])),
                .init(walID: 3, labels: SeriesLabels([("__name__", "extremes")])),
                .init(walID: UInt64.max, labels: SeriesLabels([("__name__", "max_id")])),
            ],
            runs: [.init(walID: 7, count: 3), .init(walID: 3, count: 3), .init(walID: UInt64.max, count: 1), .init(walID: 7, count: 1)],
            samples: samples,
            exemplars: [
                .init(walID: 7, exemplar: SeriesExemplar(labels: SeriesLabels([("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")]),
                                                         value: 0.042, timestamp: 1_435_781_451_781)),
                .init(walID: 3, exemplar: SeriesExemplar(labels: SeriesLabels([]), value: .nan, timestamp: -42)),
            ],
            metadata: MetricFamilyMetadata.Kind.allCases.enumerated().map { index, kind in
                MetricFamilyMetadata(family: "family_\(index)", kind: kind, help: index % 2 == 0 ? "help for \(kind)" : "",
                                     unit: index % 3 == 0 ? "seconds" : "")
            })
    }()

    private func expectIdentical(_ a: MetricWALRecord, _ b: MetricWALRecord) {
        #expect(a.definitions == b.definitions)
        #expect(a.runs == b.runs)
        #expect(a.samples == b.samples)
        #expect(a.exemplars.map(\.walID) == b.exemplars.map(\.walID))
        #expect(a.exemplars.map(\.exemplar.labels) == b.exemplars.map(\.exemplar.labels))
        #expect(a.exemplars.map(\.exemplar.value.bitPattern) == b.exemplars.map(\.exemplar.value.bitPattern))
        #expect(a.exemplars.map(\.exemplar.timestamp) == b.exemplars.map(\.exemplar.timestamp))
        #expect(a.metadata == b.metadata)
    }

    @Test("a record round-trips bit for bit, and re-encodes to the same bytes")
    func roundTrip() throws {
        let payload = Self.record.encoded()
        let decoded = try MetricWALRecord(walPayload: payload)
        expectIdentical(decoded, Self.record)
        #expect(decoded.encoded() == payload)
        #expect(decoded.samplesByRun.map(\.walID) == [7, 3, UInt64.max, 7])
        #expect(decoded.samplesByRun.map(\.samples.count) == [3, 3, 1, 1])
    }

    @Test("empty, metadata-only and exemplar-only records round-trip")
    func sparseRecords() throws {
        for record in [
            MetricWALRecord(),
            MetricWALRecord(metadata: [MetricFamilyMetadata(family: "f", kind: .counter)]),
            MetricWALRecord(exemplars: [.init(walID: 1, exemplar: SeriesExemplar(labels: SeriesLabels([("a", "b")]), value: 1, timestamp: 1))]),
            MetricWALRecord(runs: [.init(walID: 1, count: 1)], samples: [Sample(timestamp: 5, value: 5)]),
        ] {
            let decoded = try MetricWALRecord(walPayload: record.encoded())
            expectIdentical(decoded, record)
        }
        #expect(MetricWALRecord().isEmpty)
        #expect(MetricWALRecord(definitions: [.init(walID: 1, labels: SeriesLabels([("__name__", "a")]))]).isEmpty)
    }

    @Test("every proper prefix of a payload fails to decode with an error, never a crash or a partial record")
    func everyPrefixIsRejected() {
        let payload = Self.record.encoded()
        for length in 0..<payload.count {
            #expect(throws: WALDecodingError.self, "prefix of \(length) bytes") {
                _ = try MetricWALRecord(walPayload: Array(payload[0..<length]))
            }
        }
    }

    @Test("trailing bytes, another version and the older 'P' tag are rejected clearly")
    func rejections() throws {
        let payload = Self.record.encoded()
        #expect(throws: WALDecodingError(.trailingBytes(count: 1), at: payload.count)) {
            _ = try MetricWALRecord(walPayload: payload + [0])
        }
        var other = payload
        other[0] = WALFormat.version &+ 1
        #expect(throws: WALDecodingError(.unsupportedVersion(found: WALFormat.version &+ 1, supported: WALFormat.version), at: 0)) {
            _ = try MetricWALRecord(walPayload: other)
        }
        let old = SampleBatch(series: [SeriesSamples(labels: SeriesLabels([("__name__", "m")]), samples: [Sample(timestamp: 1, value: 1)])])
            .walPayload()
        #expect(throws: WALDecodingError(.wrongItemKind(expected: MetricWALRecord.itemTag, found: UInt8(ascii: "P")), at: 1)) {
            _ = try MetricWALRecord(walPayload: old)
        }
        #expect(throws: WALDecodingError.self) { _ = try SampleBatch(walPayload: payload) }
    }

    /// A remote_write-sized request: 2000 series of 8 labels, one sample each,
    /// timestamps spread over a 15 s scrape interval.
    static func remoteWriteRequest(series: Int = 2000, at base: Int64, spreadMillis: Int64 = 15_000) -> SampleBatch {
        SampleBatch(series: (0..<series).map { i in
            let labels = SeriesLabels([
                ("__name__", "http_requests_total"), ("cluster", "eu-west-1"), ("namespace", "shop"),
                ("job", "kubernetes-pods"), ("instance", "10.0.\(i / 250).\(i % 250):8080"), ("pod", "checkout-\(i / 10)-7f9c"),
                ("method", ["GET", "POST", "PUT", "DELETE"][i % 4]), ("status", ["200", "404", "500"][i % 3]),
            ])
            let offset = spreadMillis == 0 ? 0 : Int64(i &* 7919) % spreadMillis
            return SeriesSamples(labels: labels, samples: [Sample(timestamp: base + offset, value: Double(i) * 1.37 + Double(base % 1000))])
        })
    }

    @Test("bytes per sample: 2000 series × 1 sample × 8 labels, old self-contained layout vs series references")
    func bytesPerSample() throws {
        let frame = 8  // WAL frame header per record
        var results: [String] = []
        for spread in [Int64(15_000), 0] {
            let head = MetricHead(limits: MetricLimits())
            let first = Self.remoteWriteRequest(at: 1_700_000_000_000, spreadMillis: spread)
            let second = Self.remoteWriteRequest(at: 1_700_000_015_000, spreadMillis: spread)
            let (_, defining) = head.append(first)
            head.markLogged(defining.definitions.map(\.walID))
            let (report, steady) = head.append(second)
            #expect(report.acceptedSamples == 2000)
            #expect(steady.definitions.isEmpty)
            let old = Double(second.walPayload().count + frame) / 2000
            let definingBytes = Double(defining.encoded().count + frame) / 2000
            let new = Double(steady.encoded().count + frame) / 2000
            results.append("timestamp spread \(spread) ms: old \(old) B/sample, new (series defined) \(new) B/sample, first request (with definitions) \(definingBytes) B/sample")
            #expect(new <= 14)
            #expect(defining.definitions.count == 2000)
        }
        print("metrics WAL bytes/sample —", results.joined(separator: "; "))
    }

    // MARK: Checkpoint

    static let checkpoint = MetricSeriesCheckpoint.Contents(
        nextWALID: 1_000,
        series: [.init(walID: 1, labels: SeriesLabels([("__name__", "a"), ("job", "x")])), .init(walID: 999, labels: SeriesLabels([("__name__", "b")]))],
        metadata: [MetricFamilyMetadata(family: "a", kind: .counter, help: "h", unit: "u")])

    @Test("a checkpoint round-trips; every prefix and every flipped byte is detected")
    func checkpointEncoding() throws {
        let bytes = MetricSeriesCheckpoint.encode(Self.checkpoint)
        let decoded = try MetricSeriesCheckpoint.decode(bytes)
        #expect(decoded.nextWALID == 1_000)
        #expect(decoded.series == Self.checkpoint.series)
        #expect(decoded.metadata == Self.checkpoint.metadata)
        for length in 0..<bytes.count {
            #expect(throws: WALDecodingError.self) { _ = try MetricSeriesCheckpoint.decode(Array(bytes[0..<length])) }
        }
        for index in bytes.indices {
            var damaged = bytes
            damaged[index] ^= 0x40
            #expect(throws: WALDecodingError.self) { _ = try MetricSeriesCheckpoint.decode(damaged) }
        }
        let empty = MetricSeriesCheckpoint.Contents(nextWALID: 1, series: [], metadata: [])
        #expect(try MetricSeriesCheckpoint.decode(MetricSeriesCheckpoint.encode(empty)).series.isEmpty)
    }

    @Test("a checkpoint file is written atomically, read back, missing means none, damaged is an error naming the file")
    func checkpointFile() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let path = "\(dir)/wal-checkpoint"
            #expect(try MetricSeriesCheckpoint.read(from: path) == nil)
            try MetricSeriesCheckpoint.write(Self.checkpoint, to: path)
            #expect(!WALTestKit.fileExists(path + ".tmp"))
            #expect(try MetricSeriesCheckpoint.read(from: path)?.series == Self.checkpoint.series)
            var bytes = try WALTestKit.readFile(path)
            bytes[bytes.count / 2] ^= 1
            try WALTestKit.writeFile(path, bytes)
            do {
                _ = try MetricSeriesCheckpoint.read(from: path)
                Issue.record("damaged checkpoint was read")
            } catch let error as MetricCheckpointError {
                #expect(error.path == path)
                #expect(error.description.contains(path))
            }
        }
    }
}
