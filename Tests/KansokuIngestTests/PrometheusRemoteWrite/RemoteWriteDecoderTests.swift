import KansokuModel
import Testing
@testable import KansokuIngest

private typealias Proto = ProtobufTestEncoder

// MARK: Request builders (field numbers from prompb/remote.proto and types.proto)

private func label(_ p: inout Proto, _ name: String, _ value: String) {
    p.messageField(1) { $0.stringField(1, name); $0.stringField(2, value) }
}

private func sample(_ p: inout Proto, _ timestamp: Int64, _ value: Double) {
    p.messageField(2) { $0.doubleField(1, value); $0.int64Field(2, timestamp) }
}

private func series(_ p: inout Proto, _ labels: [(String, String)], samples: [(Int64, Double)] = [],
                    exemplars: [(labels: [(String, String)], value: Double, timestamp: Int64)] = [],
                    histograms: Int = 0) {
    p.messageField(1) { ts in
        for (name, value) in labels { label(&ts, name, value) }
        for (timestamp, value) in samples { sample(&ts, timestamp, value) }
        for exemplar in exemplars {
            ts.messageField(3) { e in
                for (name, value) in exemplar.labels { label(&e, name, value) }
                e.doubleField(2, exemplar.value)
                e.int64Field(3, exemplar.timestamp)
            }
        }
        for index in 0..<histograms {
            ts.messageField(4) { h in
                h.varintField(1, 4)                  // count_int
                h.doubleField(3, 1.5)                // sum
                h.varintField(4, 3)                  // schema -2 (sint32 zigzag)
                h.messageField(11) { $0.varintField(1, 0); $0.varintField(2, 2) } // positive_spans
                h.bytesField(12, [2, 4])             // positive_deltas 1, 2 (sint64 zigzag, packed): counts 1, 3
                h.int64Field(15, 1_000 + Int64(index))
            }
        }
    }
}

private func metadata(_ p: inout Proto, type: UInt64, family: String, help: String = "", unit: String = "") {
    p.messageField(3) { m in
        m.varintField(1, type)
        m.stringField(2, family)
        if !help.isEmpty { m.stringField(4, help) }
        if !unit.isEmpty { m.stringField(5, unit) }
    }
}

private func decode(_ bytes: [UInt8]) throws -> RemoteWriteRequest {
    // An untyped closure: see OTLPWireEnvelope (typed throws through withUnsafeBytes trips the compiler).
    try bytes.withUnsafeBytes { buffer in try RemoteWriteDecoder.decode(buffer) }
}

private func decodingError(_ bytes: [UInt8]) -> RemoteWriteDecodingError? {
    do {
        _ = try decode(bytes)
        return nil
    } catch let error as RemoteWriteDecodingError {
        return error
    } catch {
        Issue.record("unexpected error type \(error)")
        return nil
    }
}

private func labels(_ pairs: [(String, String)]) -> SeriesLabels { SeriesLabels(pairs) }

@Suite struct RemoteWriteDecoderTests {
    @Test func decodesSeriesSamplesExemplarsAndMetadata() throws {
        var p = Proto()
        series(&p, [("__name__", "http_requests_total"), ("job", "api"), ("method", "GET")],
               samples: [(1_000, 1), (2_000, 2.5), (3_000, 4)],
               exemplars: [(labels: [("trace_id", "abc"), ("span_id", "def")], value: 1, timestamp: 1_500)])
        series(&p, [("__name__", "http_requests_total"), ("job", "api"), ("method", "POST")],
               samples: [(1_000, 7)])
        series(&p, [("__name__", "up"), ("instance", "host:9090"), ("job", "node")], samples: [(5, 1)])
        metadata(&p, type: 1, family: "http_requests_total", help: "Requests served.", unit: "requests")
        metadata(&p, type: 2, family: "up")

        let request = try decode(p.bytes)
        #expect(request.rejected.isEmpty)
        #expect(request.batch.series == [
            SeriesSamples(
                labels: labels([("__name__", "http_requests_total"), ("job", "api"), ("method", "GET")]),
                samples: [Sample(timestamp: 1_000, value: 1), Sample(timestamp: 2_000, value: 2.5), Sample(timestamp: 3_000, value: 4)],
                exemplars: [SeriesExemplar(labels: labels([("span_id", "def"), ("trace_id", "abc")]), value: 1, timestamp: 1_500)]),
            SeriesSamples(labels: labels([("__name__", "http_requests_total"), ("job", "api"), ("method", "POST")]),
                          samples: [Sample(timestamp: 1_000, value: 7)]),
            SeriesSamples(labels: labels([("__name__", "up"), ("instance", "host:9090"), ("job", "node")]),
                          samples: [Sample(timestamp: 5, value: 1)]),
        ])
        #expect(request.batch.metadata == [
            MetricFamilyMetadata(family: "http_requests_total", kind: .counter, help: "Requests served.", unit: "requests"),
            MetricFamilyMetadata(family: "up", kind: .gauge),
        ])
        #expect(request.batch.sampleCount == 5)
    }

    @Test func emptyRequestDecodesToNothing() throws {
        let request = try decode([])
        #expect(request.batch.series.isEmpty && request.batch.metadata.isEmpty && request.rejected.isEmpty)
    }

    @Test func everyMetadataType() throws {
        let expected: [MetricFamilyMetadata.Kind] = [.unknown, .counter, .gauge, .histogram, .gaugehistogram, .summary, .info, .stateset, .unknown]
        var p = Proto()
        for type in 0..<UInt64(expected.count) { metadata(&p, type: type, family: "m\(type)") }
        let request = try decode(p.bytes)
        #expect(request.batch.metadata.map(\.kind) == expected)
        #expect(request.batch.metadata.map(\.family) == (0..<expected.count).map { "m\($0)" })
    }

    @Test func unsortedLabelsAreSorted() throws {
        var p = Proto()
        series(&p, [("zone", "a"), ("__name__", "m"), ("b", "1"), ("A", "upper")], samples: [(1, 1)])
        let request = try decode(p.bytes)
        let decoded = try #require(request.batch.series.first)
        #expect(decoded.labels.labels.map(\.name) == ["A", "__name__", "b", "zone"])
        #expect(decoded.labels == labels([("A", "upper"), ("__name__", "m"), ("b", "1"), ("zone", "a")]))
    }

    @Test func duplicateLabelNamesRejectTheSeriesOnly() throws {
        var p = Proto()
        series(&p, [("__name__", "m"), ("job", "a"), ("job", "b")], samples: [(1, 1), (2, 2)])
        series(&p, [("job", "x"), ("__name__", "m"), ("job", "x")], samples: [(1, 1)])  // unsorted and duplicated
        series(&p, [("__name__", "m"), ("job", "ok")], samples: [(1, 1)])
        let request = try decode(p.bytes)
        #expect(request.batch.series.map(\.labels) == [labels([("__name__", "m"), ("job", "ok")])])
        // The refused series' samples are not left to the next one.
        #expect(request.batch.samples == [Sample(timestamp: 1, value: 1)])
        #expect(request.rejected.count == 2)
        #expect(request.rejected.map(\.reason) == [.duplicateLabelName("job"), .duplicateLabelName("job")])
        #expect(request.rejected[0].sampleCount == 2)
        #expect(request.rejected[0].series == #"m{job="a", job="b"}"#)
        #expect(request.rejected[0].message.contains("duplicate label name \"job\""))
    }

    @Test func invalidIdentitiesAreRejected() throws {
        var p = Proto()
        series(&p, [], samples: [(1, 1)])
        series(&p, [("job", "a")], samples: [(1, 1)])
        series(&p, [("__name__", ""), ("job", "b")], samples: [(1, 1)])
        series(&p, [("__name__", "m"), ("", "v")], samples: [(1, 1)])
        series(&p, [("__name__", "fine")], samples: [(1, 1)])
        let request = try decode(p.bytes)
        #expect(request.rejected.map(\.reason) == [.noLabels, .missingMetricName, .missingMetricName, .emptyLabelName])
        #expect(request.rejected.map(\.series) == ["{}", #"{job="a"}"#, #"{job="b"}"#, #"m{="v"}"#])
        #expect(request.rejected.allSatisfy { $0.message.hasPrefix("Invalid metric names or labels") })
        #expect(request.batch.series.map(\.labels) == [labels([("__name__", "fine")])])
    }

    @Test func utf8NamesAreAccepted() throws {
        var p = Proto()
        series(&p, [("__name__", "café.requests total"), ("région", "Île-de-France ✓"), ("0digit", "x")], samples: [(1, 1)])
        let request = try decode(p.bytes)
        #expect(request.rejected.isEmpty)
        #expect(request.batch.series.first?.labels.name == "café.requests total")
        #expect(request.batch.series.first?.labels["région"] == "Île-de-France ✓")
    }

    @Test func emptyValuesAreDropped() throws {
        var p = Proto()
        series(&p, [("__name__", "m"), ("a", ""), ("b", "1"), ("c", "")], samples: [(1, 1)])
        let request = try decode(p.bytes)
        #expect(request.batch.series.first?.labels.labels == [SeriesLabel(name: "__name__", value: "m"), SeriesLabel(name: "b", value: "1")])
    }

    @Test func sampleValueBitsArePreserved() throws {
        let payloadNaN = Double(bitPattern: 0x7ff8_0000_0000_1234)
        let stale = Double(bitPattern: Sample.staleMarkerBits)
        var p = Proto()
        series(&p, [("__name__", "m")], samples: [(1, stale), (2, .nan), (3, payloadNaN), (4, -0.0), (5, .infinity), (6, -.greatestFiniteMagnitude)])
        let samples = try #require(try decode(p.bytes).batch.series.first?.samples)
        #expect(samples.map(\.value.bitPattern) == [stale, .nan, payloadNaN, -0.0, .infinity, -.greatestFiniteMagnitude].map(\.bitPattern))
        #expect(samples[0].isStaleMarker)
        #expect(!samples[1].isStaleMarker)
    }

    @Test func timestampsKeepSignAndWireOrder() throws {
        var p = Proto()
        series(&p, [("__name__", "m")], samples: [(5, 1), (-1, 2), (.min, 3), (.max, 4), (0, 5), (-86_400_000, 6)])
        let samples = try #require(try decode(p.bytes).batch.series.first?.samples)
        #expect(samples.map(\.timestamp) == [5, -1, .min, .max, 0, -86_400_000])
        #expect(samples.map(\.value) == [1, 2, 3, 4, 5, 6])
    }

    @Test func missingSampleFieldsDefaultToZero() throws {
        var p = Proto()
        p.messageField(1) { ts in
            label(&ts, "__name__", "m")
            ts.messageField(2) { _ in }
            ts.messageField(2) { $0.int64Field(2, 9) }
        }
        let samples = try #require(try decode(p.bytes).batch.series.first?.samples)
        #expect(samples == [Sample(timestamp: 0, value: 0), Sample(timestamp: 9, value: 0)])
    }

    @Test func exemplarLabelsAreNormalised() throws {
        var p = Proto()
        series(&p, [("__name__", "m")], samples: [(1, 1)], exemplars: [
            (labels: [("trace_id", "t1"), ("span_id", "s"), ("trace_id", "t2"), ("empty", "")], value: 0.5, timestamp: -7),
            (labels: [], value: 2, timestamp: 8),
        ])
        let exemplars = try #require(try decode(p.bytes).batch.series.first?.exemplars)
        #expect(exemplars == [
            SeriesExemplar(labels: labels([("span_id", "s"), ("trace_id", "t2")]), value: 0.5, timestamp: -7),
            SeriesExemplar(labels: SeriesLabels([]), value: 2, timestamp: 8),
        ])
    }

    @Test func cachedStringsFollowEachSeries() throws {
        // Names and values shift position, change and repeat between series; caches must never leak one into another.
        let sets: [[(String, String)]] = [
            [("__name__", "a"), ("instance", "h1"), ("job", "j")],
            [("__name__", "a"), ("instance", "h2"), ("job", "j")],
            [("__name__", "a"), ("env", "prod"), ("instance", "h2"), ("job", "j")],
            [("__name__", "b"), ("job", "j")],
            [("__name__", "b"), ("instance", "j"), ("job", "h2")],
            [("__name__", "a_longer_metric_name_than_fifteen_bytes"), ("a_label_name_longer_than_fifteen", "a value longer than fifteen bytes")],
            [("__name__", "a_longer_metric_name_than_fifteen_bytes"), ("a_label_name_longer_than_fifteen", "a value longer than fifteen bytez")],
            [("__name__", "a"), ("instance", "h1"), ("job", "j")],
        ]
        var p = Proto()
        for set in sets { series(&p, set, samples: [(1, 1)]) }
        let request = try decode(p.bytes)
        #expect(request.batch.series.map(\.labels) == sets.map(labels))
    }

    @Test func unknownFieldsAreSkipped() throws {
        var p = Proto()
        p.varintField(2, 12345)                        // reserved in WriteRequest
        p.fixed32Field(99, 0xdead_beef)
        p.fixed64Field(100, 42)
        p.group(101) { g in
            g.varintField(1, 1)
            g.group(2) { $0.stringField(3, "nested") }
            g.fixed32Field(4, 1)
        }
        p.messageField(1) { ts in
            ts.stringField(9, "unknown in TimeSeries")
            ts.messageField(1) { l in
                l.fixed64Field(7, 1)
                l.stringField(1, "__name__")
                l.group(8) { $0.varintField(1, 2) }
                l.stringField(2, "m")
            }
            ts.messageField(2) { s in
                s.fixed32Field(3, 5)
                s.doubleField(1, 3.25)
                s.varintField(20, 1)
                s.int64Field(2, 77)
            }
            ts.group(12) { _ in }
        }
        p.messageField(3) { m in
            m.varintField(1, 5)
            m.stringField(3, "field 3 is not in MetricMetadata")
            m.stringField(2, "s")
            m.fixed64Field(6, 0)
        }
        let request = try decode(p.bytes)
        #expect(request.batch.series == [SeriesSamples(labels: labels([("__name__", "m")]), samples: [Sample(timestamp: 77, value: 3.25)])])
        #expect(request.batch.metadata == [MetricFamilyMetadata(family: "s", kind: .summary)])
    }

    @Test func lastScalarValueWins() throws {
        var p = Proto()
        p.messageField(1) { ts in
            ts.messageField(1) { $0.stringField(1, "__name__"); $0.stringField(2, "first"); $0.stringField(2, "second") }
            ts.messageField(2) { $0.doubleField(1, 1); $0.doubleField(1, 2); $0.int64Field(2, 3) }
        }
        let request = try decode(p.bytes)
        #expect(request.batch.series.first?.labels.name == "second")
        #expect(request.batch.series.first?.samples == [Sample(timestamp: 3, value: 2)])
    }

    /// Histogram details are in RemoteWriteHistogramTests; this is how they sit among floats.
    @Test func histogramsAreKeptNextToFloatSamples() throws {
        var p = Proto()
        series(&p, [("__name__", "native")], histograms: 3)
        series(&p, [("__name__", "mixed")], samples: [(1, 1)], histograms: 1)
        series(&p, [("job", "no name")], histograms: 2)
        series(&p, [("__name__", "plain")], samples: [(1, 1)])
        let request = try decode(p.bytes)
        let expected = NativeHistogram(schema: -2, count: 4, sum: 1.5, positiveSpans: [.init(offset: 0, length: 2)],
                                       positiveBuckets: [1, 3])
        #expect(request.batch.series.map(\.labels.name) == ["native", "mixed", "plain"])
        #expect(request.batch.series[0].histograms == (0..<3).map { HistogramSample(timestamp: 1_000 + Int64($0), histogram: expected) })
        #expect(request.batch.series[0].samples.isEmpty)
        #expect(request.batch.series[1].samples == [Sample(timestamp: 1, value: 1)])
        #expect(request.batch.series[1].histograms.count == 1)
        #expect(request.batch.series[2].histograms.isEmpty)
        #expect(request.batch.sampleCount == 6)
        #expect(request.rejected.map(\.reason) == [.missingMetricName])
        #expect(request.rejected.first?.sampleCount == 2)
    }

    @Test func malformedHistogramFailsTheRequest() {
        var p = Proto()
        p.messageField(1) { ts in
            label(&ts, "__name__", "m")
            ts.bytesField(4, [0x08])  // count_int with its varint cut off
        }
        #expect(decodingError(p.bytes) != nil)
    }

    @Test func invalidUTF8FailsTheRequest() throws {
        func request(name: [UInt8] = Array("__name__".utf8), value: [UInt8] = Array("m".utf8), help: [UInt8] = []) -> [UInt8] {
            var p = Proto()
            series(&p, [("__name__", "ok")], samples: [(1, 1)])
            p.messageField(1) { ts in
                ts.messageField(1) { $0.bytesField(1, name); $0.bytesField(2, value) }
                sample(&ts, 1, 1)
            }
            p.messageField(3) { $0.stringField(2, "m"); $0.bytesField(4, help) }
            return p.bytes
        }
        #expect(try decode(request()).batch.series.count == 2)

        let badName = try #require(decodingError(request(name: [0x5f, 0xff, 0x5f])))
        #expect(badName.reason.contains("Label.name"))
        #expect(badName.context == "timeseries[1]")
        let bytes = request(name: [0x5f, 0xff, 0x5f])
        #expect(Array(bytes[badName.offset..<badName.offset + 3]) == [0x5f, 0xff, 0x5f])

        let badValue = try #require(decodingError(request(value: [0xc3, 0x28])))   // bad continuation byte
        #expect(badValue.reason.contains("Label.value"))
        #expect(badValue.description.contains("timeseries[1]"))

        let overlong = try #require(decodingError(request(value: [0xc0, 0xaf])))
        #expect(overlong.reason.contains("Label.value"))
        let surrogate = try #require(decodingError(request(value: [0xed, 0xa0, 0x80])))
        #expect(surrogate.reason.contains("Label.value"))
        let truncatedSequence = try #require(decodingError(request(value: [0x61, 0xe2, 0x82])))
        #expect(truncatedSequence.reason.contains("Label.value"))

        let badHelp = try #require(decodingError(request(help: [0x80])))
        #expect(badHelp.reason.contains("MetricMetadata.help"))
        #expect(badHelp.context == "metadata[0]")

        var exemplar = Proto()
        series(&exemplar, [("__name__", "m")], samples: [(1, 1)], exemplars: [(labels: [("trace_id", "x")], value: 1, timestamp: 1)])
        var bad = exemplar.bytes
        let index = try #require(bad.lastIndex(of: UInt8(ascii: "x")))
        bad[index] = 0xfe
        #expect(try #require(decodingError(bad)).reason.contains("Label.value"))
    }

    @Test func wrongWireTypesFailTheRequest() {
        var timeseriesAsVarint = Proto()
        timeseriesAsVarint.varintField(1, 3)
        #expect(decodingError(timeseriesAsVarint.bytes)?.reason.contains("WriteRequest.timeseries") == true)

        var valueAsVarint = Proto()
        valueAsVarint.messageField(1) { ts in
            label(&ts, "__name__", "m")
            ts.messageField(2) { $0.varintField(1, 1) }
        }
        let error = decodingError(valueAsVarint.bytes)
        #expect(error?.reason.contains("Sample.value") == true)
        #expect(error?.context == "timeseries[0]")

        var typeAsString = Proto()
        typeAsString.messageField(3) { $0.stringField(1, "counter") }
        #expect(decodingError(typeAsString.bytes)?.reason.contains("MetricMetadata.type") == true)
    }

    @Test func malformedFramingFailsTheRequest() {
        // Field number 0, wire types 6 and 7, a length past the end, a stray end-group, a mismatched group.
        #expect(decodingError([0x00, 0x01]) != nil)
        #expect(decodingError([0x0e]) != nil)
        #expect(decodingError([0x0f]) != nil)
        #expect(decodingError([0x0a, 0x05, 0x00]) != nil)
        #expect(decodingError([0x0c]) != nil)
        var mismatched = Proto()
        mismatched.tag(5, 3)
        mismatched.tag(6, 4)
        #expect(decodingError(mismatched.bytes) != nil)
        var unclosed = Proto()
        unclosed.tag(5, 3)
        unclosed.varintField(1, 1)
        #expect(decodingError(unclosed.bytes) != nil)
        // An 11-byte varint overflows.
        #expect(decodingError([0x10] + [UInt8](repeating: 0xff, count: 10) + [0x01]) != nil)
    }

    @Test func deeplyNestedGroupsAreRefused() {
        var p = Proto()
        for _ in 0..<100 { p.tag(5, 3) }
        for _ in 0..<100 { p.tag(5, 4) }
        #expect(decodingError(p.bytes)?.reason.contains("nested") == true)
    }

    @Test func everyTruncationIsHandled() throws {
        var p = Proto()
        series(&p, [("__name__", "http_requests_total"), ("job", "api"), ("instance", "a long instance name:9090")],
               samples: [(1_700_000_000_000, 1), (-5, .nan)],
               exemplars: [(labels: [("trace_id", "0123456789abcdef")], value: 2, timestamp: 3)],
               histograms: 1)
        series(&p, [("__name__", "up"), ("é", "ü")], samples: [(1, 1)])
        p.group(9) { $0.fixed32Field(1, 1); $0.fixed64Field(2, 2) }
        metadata(&p, type: 1, family: "http_requests_total", help: "Requests ✓", unit: "1")
        let full = try decode(p.bytes)
        #expect(full.batch.series.count == 2)

        var failures = 0
        for length in 0..<p.bytes.count {
            let prefix = Array(p.bytes[..<length])
            do {
                _ = try decode(prefix)
            } catch {
                failures += 1
                #expect(error is RemoteWriteDecodingError)
                if let error = error as? RemoteWriteDecodingError { #expect(error.offset <= length) }
            }
        }
        #expect(failures > 0)
    }

    @Test func errorDescriptionNamesOffsetAndContext() throws {
        var p = Proto()
        series(&p, [("__name__", "m")], samples: [(1, 1)])
        p.bytes += [0x0a, 0x7f]   // a second timeseries claiming 127 bytes that are not there
        let error = try #require(decodingError(p.bytes))
        #expect(error.context == "timeseries[1]")
        #expect(error.description.contains("at byte"))
        #expect(error.description.contains("timeseries[1]"))
    }
}
