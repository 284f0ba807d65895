import KansokuModel
import Testing
@testable import KansokuIngest

private typealias Wire = ProtobufTestEncoder

/// A `prometheus.Histogram` to encode (field numbers from prompb/types.proto).
private struct WireHistogram {
    var countInt: UInt64?
    var countFloat: Double?
    var sum: Double = 0
    var schema: Int32 = 0
    var zeroThreshold: Double = 0
    var zeroCountInt: UInt64?
    var zeroCountFloat: Double?
    var negativeSpans: [(Int32, UInt32)] = []
    var negativeDeltas: [Int64] = []
    var negativeCounts: [Double] = []
    var positiveSpans: [(Int32, UInt32)] = []
    var positiveDeltas: [Int64] = []
    var positiveCounts: [Double] = []
    var resetHint: UInt64 = 0
    var timestamp: Int64 = 0
    var customValues: [Double] = []
    /// Repeated scalars packed (what encoders write) or one field each (what parsers must accept too).
    var packed = true

    func encode(into p: inout Wire) {
        p.messageField(4) { h in
            if let countInt { h.varintField(1, countInt) }
            if let countFloat { h.doubleField(2, countFloat) }
            h.doubleField(3, sum)
            h.sint32Field(4, schema)
            h.doubleField(5, zeroThreshold)
            if let zeroCountInt { h.varintField(6, zeroCountInt) }
            if let zeroCountFloat { h.doubleField(7, zeroCountFloat) }
            spans(&h, 8, negativeSpans)
            deltas(&h, 9, negativeDeltas)
            doubles(&h, 10, negativeCounts)
            spans(&h, 11, positiveSpans)
            deltas(&h, 12, positiveDeltas)
            doubles(&h, 13, positiveCounts)
            h.varintField(14, resetHint)
            h.varintField(15, UInt64(bitPattern: timestamp))
            doubles(&h, 16, customValues)
        }
    }

    private func spans(_ h: inout Wire, _ field: Int, _ spans: [(Int32, UInt32)]) {
        for (offset, length) in spans {
            h.messageField(field) { $0.sint32Field(1, offset); $0.varintField(2, UInt64(length)) }
        }
    }

    private func deltas(_ h: inout Wire, _ field: Int, _ values: [Int64]) {
        guard !values.isEmpty else { return }
        if packed {
            var inner = Wire()
            for value in values { inner.varint(Wire.zigZag(value)) }
            h.bytesField(field, inner.bytes)
        } else {
            for value in values { h.varintField(field, Wire.zigZag(value)) }
        }
    }

    private func doubles(_ h: inout Wire, _ field: Int, _ values: [Double]) {
        guard !values.isEmpty else { return }
        if packed {
            var inner = Wire()
            for value in values { inner.fixed64(value.bitPattern) }
            h.bytesField(field, inner.bytes)
        } else {
            for value in values { h.doubleField(field, value) }
        }
    }
}

private func series(_ p: inout Wire, _ name: String, samples: [(Int64, Double)] = [], histograms: [WireHistogram]) {
    p.messageField(1) { ts in
        ts.messageField(1) { $0.bytesField(1, Array("__name__".utf8)); $0.bytesField(2, Array(name.utf8)) }
        for (timestamp, value) in samples {
            ts.messageField(2) { $0.doubleField(1, value); $0.varintField(2, UInt64(bitPattern: timestamp)) }
        }
        for histogram in histograms { histogram.encode(into: &ts) }
    }
}

private func decode(_ bytes: [UInt8]) throws -> RemoteWriteRequest {
    try bytes.withUnsafeBytes { buffer in try RemoteWriteDecoder.decode(buffer) }
}

/// An integer histogram that passes validation: 2 in the zero bucket, 1
/// negative, 6 positive.
private let validInteger = WireHistogram(
    countInt: 9, sum: 12.5, schema: 1, zeroThreshold: 0.001, zeroCountInt: 2,
    negativeSpans: [(-1, 1)], negativeDeltas: [1],
    positiveSpans: [(0, 2), (3, 1)], positiveDeltas: [2, 1, -2],
    resetHint: 2, timestamp: 1_000)

@Suite struct RemoteWriteHistogramTests {
    @Test func integerHistogramDeltasBecomeAbsoluteCounts() throws {
        var unpacked = validInteger
        unpacked.packed = false
        unpacked.timestamp = 2_000
        var p = Wire()
        series(&p, "rpc_duration_seconds", histograms: [validInteger, unpacked])
        let request = try decode(p.bytes)
        #expect(request.rejected.isEmpty)
        let expected = NativeHistogram(
            counterResetHint: .notCounterReset, schema: 1, zeroThreshold: 0.001, zeroCount: 2, count: 9, sum: 12.5,
            positiveSpans: [.init(offset: 0, length: 2), .init(offset: 3, length: 1)],
            negativeSpans: [.init(offset: -1, length: 1)],
            positiveBuckets: [2, 3, 1], negativeBuckets: [1])
        let decoded = try #require(request.batch.series.first)
        #expect(decoded.labels == SeriesLabels([("__name__", "rpc_duration_seconds")]))
        #expect(decoded.samples.isEmpty)
        #expect(decoded.histograms == [HistogramSample(timestamp: 1_000, histogram: expected),
                                       HistogramSample(timestamp: 2_000, histogram: expected)])
        #expect(request.batch.sampleCount == 2)
    }

    @Test func floatHistogramsKeepTheirCounts() throws {
        let custom = WireHistogram(countFloat: 5.5, sum: -1, schema: -53, positiveSpans: [(0, 3)],
                                   positiveCounts: [1.5, 0, 4], resetHint: 3, timestamp: 7, customValues: [0.1, 1])
        var exponential = WireHistogram(countFloat: 3.25, sum: .nan, schema: 8, zeroThreshold: 1e-128, zeroCountFloat: 0.25,
                                        negativeSpans: [(5, 1)], negativeCounts: [1], positiveSpans: [(-3, 2)],
                                        positiveCounts: [0.5, 1.5], resetHint: 1, timestamp: -5)
        exponential.packed = false
        var p = Wire()
        series(&p, "custom", histograms: [custom])
        series(&p, "exponential", samples: [(3, 4)], histograms: [exponential])
        let request = try decode(p.bytes)
        #expect(request.rejected.isEmpty)
        #expect(request.batch.series.map { $0.histograms.map(Self.comparable) } == [
            [HistogramSample(timestamp: 7, histogram: NativeHistogram(
                counterResetHint: .gauge, schema: -53, count: 5.5, sum: -1, positiveSpans: [.init(offset: 0, length: 3)],
                positiveBuckets: [1.5, 0, 4], customValues: [0.1, 1]))],
            [HistogramSample(timestamp: -5, histogram: NativeHistogram(
                counterResetHint: .counterReset, schema: 8, zeroThreshold: 1e-128, zeroCount: 0.25, count: 3.25, sum: .nan,
                positiveSpans: [.init(offset: -3, length: 2)], negativeSpans: [.init(offset: 5, length: 1)],
                positiveBuckets: [0.5, 1.5], negativeBuckets: [1]))],
        ].map { $0.map(Self.comparable) })
        #expect(request.batch.series[1].samples == [Sample(timestamp: 3, value: 4)])
    }

    /// NaN sums never compare equal: compare their bit patterns instead.
    static func comparable(_ sample: HistogramSample) -> HistogramSample {
        var sample = sample
        if sample.histogram.sum.isNaN { sample.histogram.sum = 0x5EED }
        return sample
    }

    @Test func oneofsAndUnknownHintsReadAsPrometheusDoes() throws {
        // The last count field wins; a zero count in the other kind's field reads as 0; unknown hints are unknown.
        var p = Wire()
        p.messageField(1) { ts in
            ts.messageField(1) { $0.bytesField(1, Array("__name__".utf8)); $0.bytesField(2, Array("m".utf8)) }
            ts.messageField(4) { m in
                m.doubleField(2, 99)
                m.varintField(1, 3)
                m.doubleField(7, 5)
                m.messageField(11) { $0.sint32Field(1, 1); $0.varintField(2, 1) }
                m.bytesField(12, [6])
                m.varintField(14, 9)
            }
        }
        let request = try decode(p.bytes)
        #expect(request.rejected.isEmpty)
        #expect(request.batch.series.first?.histograms == [HistogramSample(timestamp: 0, histogram: NativeHistogram(
            count: 3, positiveSpans: [.init(offset: 1, length: 1)], positiveBuckets: [3]))])
    }

    @Test func invalidIntegerHistogramsRefuseTheirSeries() throws {
        let cases: [((inout WireHistogram) -> Void, RemoteWriteHistogramProblem)] = [
            ({ $0.positiveSpans = [(0, 2), (3, 2)] }, .spansBucketsMismatch(side: .positive, spanBuckets: 4, buckets: 3)),
            ({ $0.negativeSpans = [(-1, 1), (-2, 0)] }, .negativeSpanOffset(side: .negative, span: 2, offset: -2)),
            ({ $0.schema = 9 }, .invalidSchema(9)),
            ({ $0.schema = -5 }, .invalidSchema(-5)),
            ({ $0.positiveDeltas = [2, -3, 4] }, .negativeBucketCount(side: .positive, bucket: 2, count: -1)),
            ({ $0.countInt = 10 }, .countMismatch(inBuckets: 9, count: 10)),
            ({ $0.countInt = 8; $0.sum = .nan }, .countNotBigEnough(inBuckets: 9, count: 8)),
            ({ $0.customValues = [1] }, .customBoundsWithExponentialSchema(1)),
        ]
        for (change, problem) in cases { try checkIntegerRejection(change, problem) }
    }

    private func checkIntegerRejection(_ change: (inout WireHistogram) -> Void, _ problem: RemoteWriteHistogramProblem) throws {
        var bad = validInteger
        change(&bad)
        var p = Wire()
        series(&p, "before", histograms: [validInteger])
        series(&p, "bad", samples: [(1, 1)], histograms: [validInteger, bad, bad])
        series(&p, "after", samples: [(1, 1)], histograms: [])
        let request = try decode(p.bytes)
        #expect(request.batch.series.map(\.labels.name) == ["before", "after"])
        #expect(request.rejected == [RemoteWriteRejection(
            series: "bad", reason: .invalidHistogram(timestamp: 1_000, problem: problem), sampleCount: 4)])
        #expect(request.rejected.first?.message.hasPrefix("Invalid histogram at timestamp 1000: ") == true)
    }

    @Test func invalidFloatHistogramsRefuseTheirSeries() throws {
        let cases: [((inout WireHistogram) -> Void, RemoteWriteHistogramProblem)] = [
            ({ $0.customValues = [1, 0.5] }, .customBoundsNotAscending(index: 1, previous: 1, bound: 0.5)),
            ({ $0.customValues = [1, 1] }, .customBoundsNotAscending(index: 1, previous: 1, bound: 1)),
            ({ $0.customValues = [.nan, 1] }, .customBoundNaN(index: 0)),
            ({ $0.customValues = [1, .infinity] }, .customBoundInfinite),
            ({ $0.customValues = [1] }, .tooFewCustomBounds(bounds: 1, spanLength: 3)),
            ({ $0.positiveSpans = [(-1, 3)] }, .negativeSpanOffset(side: .positive, span: 1, offset: -1)),
            ({ $0.zeroThreshold = 0.5 }, .customBucketsWithZeroThreshold(0.5)),
            ({ $0.zeroCountFloat = 1 }, .customBucketsWithZeroCount),
            ({ $0.negativeSpans = [(0, 1)]; $0.negativeCounts = [1] }, .customBucketsWithNegativeBuckets),
            ({ $0.positiveCounts = [1, -0.5, 2] }, .negativeBucketCount(side: .positive, bucket: 2, count: -0.5)),
            ({ $0.countFloat = -1 }, .negativeCount(-1)),
        ]
        for (change, problem) in cases { try checkFloatRejection(change, problem) }
    }

    private func checkFloatRejection(_ change: (inout WireHistogram) -> Void, _ problem: RemoteWriteHistogramProblem) throws {
        var bad = WireHistogram(countFloat: 3.5, schema: -53, positiveSpans: [(0, 3)], positiveCounts: [1, 0.5, 2],
                                timestamp: 42, customValues: [1, 2])
        change(&bad)
        var p = Wire()
        series(&p, "bad", histograms: [bad])
        series(&p, "good", samples: [(1, 1)], histograms: [])
        let request = try decode(p.bytes)
        #expect(request.batch.series.map(\.labels.name) == ["good"])
        #expect(request.rejected.map(\.reason) == [.invalidHistogram(timestamp: 42, problem: problem)])
    }

    @Test func floatHistogramWithNegativeZeroCountIsRefused() throws {
        var p = Wire()
        series(&p, "m", histograms: [WireHistogram(countFloat: 1, zeroCountFloat: -1, timestamp: 3)])
        let request = try decode(p.bytes)
        #expect(request.rejected.map(\.reason) == [.invalidHistogram(timestamp: 3, problem: .negativeZeroCount(-1))])
        #expect(request.rejected.first?.description.contains("zero bucket has observation count of -1") == true)
    }

    @Test func labelProblemsAreReportedBeforeHistogramProblems() throws {
        var bad = validInteger
        bad.schema = 20
        var p = Wire()
        p.messageField(1) { ts in
            ts.messageField(1) { $0.bytesField(1, Array("job".utf8)); $0.bytesField(2, Array("x".utf8)) }
            bad.encode(into: &ts)
        }
        let request = try decode(p.bytes)
        #expect(request.rejected.map(\.reason) == [.missingMetricName])
        #expect(request.rejected.first?.sampleCount == 1)
    }

    @Test func wireProblemsInHistogramsFailTheRequest() {
        func fails(_ build: (inout Wire) -> Void) -> Bool {
            var p = Wire()
            p.messageField(1) { ts in
                ts.messageField(1) { $0.bytesField(1, Array("__name__".utf8)); $0.bytesField(2, Array("m".utf8)) }
                ts.messageField(4, build)
            }
            return (try? decode(p.bytes)) == nil
        }
        #expect(fails { $0.doubleField(4, 1) })                    // schema with the wrong wire type
        #expect(fails { $0.bytesField(13, [0, 0, 0]) })            // packed doubles cut short
        #expect(fails { $0.bytesField(12, [0x80]) })               // packed varint cut short
        #expect(fails { $0.tag(9, 5); $0.bytes += [0, 0, 0, 0] })  // sint64 deltas as fixed32
        #expect(fails { $0.messageField(11) { $0.doubleField(1, 1) } })  // span offset with the wrong wire type
        #expect(!fails { $0.varintField(99, 1) })                  // unknown fields are skipped
    }
}
