import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("HeadSeries")
struct HeadSeriesTests {
    /// `HeadSeries.AppendOutcome` flattened to something `#expect` can compare.
    enum Outcome: Equatable {
        case appended, duplicate, rejected(MetricRejection.Reason)
    }

    private static func outcome(_ outcome: HeadSeries.AppendOutcome) -> Outcome {
        switch outcome {
        case .appended: .appended
        case .duplicate: .duplicate
        case .rejected(let reason): .rejected(reason)
        }
    }

    private func series() -> HeadSeries {
        HeadSeries(labels: SeriesLabels([("__name__", "up"), ("job", "api")]))
    }

    @discardableResult
    private func append(_ s: inout HeadSeries, _ t: Int64, _ v: Double, window: Int64 = 0) -> Outcome {
        HeadSeriesTests.outcome(s.append(Sample(timestamp: t, value: v), outOfOrderWindow: window))
    }

    private func all(_ s: HeadSeries) throws -> [Sample] {
        try s.snapshot().samples(start: Int64.min, end: Int64.max)
    }

    @Test("samples appended in order read back in order")
    func inOrder() throws {
        var s = series()
        #expect(!s.overlaps(start: Int64.min, end: Int64.max))
        #expect(s.maxTime == Int64.min)
        let samples = (0..<10).map { Sample(timestamp: Int64($0) * 15_000, value: Double($0) * 1.5) }
        for sample in samples { #expect(append(&s, sample.timestamp, sample.value) == .appended) }
        #expect(try all(s) == samples)
        #expect(s.minTime == 0)
        #expect(s.maxTime == 135_000)
        #expect(s.last == samples.last)
        #expect(s.closedChunks.isEmpty)
        #expect(s.snapshot().labels == SeriesLabels([("__name__", "up"), ("job", "api")]))
    }

    @Test("a chunk is cut every 120 samples and reads cross chunk boundaries")
    func chunkCut() throws {
        var s = series()
        let samples = (0..<250).map { Sample(timestamp: 1_000 + Int64($0) * 1_000, value: Double($0 % 7) - 3) }
        for sample in samples { append(&s, sample.timestamp, sample.value) }
        #expect(s.closedChunks.count == 2)
        #expect(s.openChunk.count == 10)
        #expect(s.closedChunks.map(\.minTime) == [1_000, 121_000])
        #expect(s.closedChunks.map(\.maxTime) == [120_000, 240_000])
        let snapshot = s.snapshot()
        #expect(snapshot.chunks.count == 3)
        #expect(snapshot.chunks.last?.minTime == 241_000)
        #expect(snapshot.chunks.last?.maxTime == 250_000)
        #expect(try snapshot.samples(start: Int64.min, end: Int64.max) == samples)
        // 100…130 s spans the first boundary; 235…245 s the second.
        #expect(try snapshot.samples(start: 100_000, end: 130_000) == Array(samples[99...129]))
        #expect(try snapshot.samples(start: 235_000, end: 245_000) == Array(samples[234...244]))
        #expect(try snapshot.samples(start: 121_000, end: 240_000) == Array(samples[120...239]))
    }

    @Test("exactly 120 samples fill one chunk; the 121st opens the next")
    func chunkBoundaryExact() throws {
        var s = series()
        for t in 0..<120 { append(&s, Int64(t), 1) }
        #expect(s.closedChunks.isEmpty)
        #expect(s.openChunk.count == 120)
        append(&s, 120, 1)
        #expect(s.closedChunks.count == 1)
        #expect(s.openChunk.count == 1)
        #expect(try all(s).count == 121)
    }

    @Test("re-sending the newest sample unchanged is a duplicate, not a second sample")
    func duplicateIdentical() throws {
        var s = series()
        append(&s, 1_000, 1)
        append(&s, 2_000, 2)
        #expect(append(&s, 2_000, 2) == .duplicate)
        #expect(try all(s) == [Sample(timestamp: 1_000, value: 1), Sample(timestamp: 2_000, value: 2)])
    }

    @Test("same timestamp with a different value is rejected as a duplicate timestamp")
    func duplicateTimestamp() throws {
        var s = series()
        append(&s, 2_000, 2)
        #expect(append(&s, 2_000, 3) == .rejected(.duplicateTimestamp))
        // -0 and +0 differ in bits: Prometheus compares bit patterns.
        append(&s, 3_000, 0)
        #expect(append(&s, 3_000, -0.0) == .rejected(.duplicateTimestamp))
        #expect(try all(s).map(\.value) == [2, 0])
    }

    @Test("NaNs compare by bit pattern: the same NaN is a duplicate, a stale marker is not that NaN")
    func nanDuplicates() throws {
        var s = series()
        let stale = Double(bitPattern: Sample.staleMarkerBits)
        append(&s, 1_000, .nan)
        #expect(append(&s, 1_000, .nan) == .duplicate)
        #expect(append(&s, 1_000, stale) == .rejected(.duplicateTimestamp))
        append(&s, 2_000, stale)
        #expect(append(&s, 2_000, stale) == .duplicate)
    }

    @Test("an older sample is out of order when the window is 0")
    func outOfOrderRejected() throws {
        var s = series()
        append(&s, 10_000, 1)
        #expect(append(&s, 9_999, 1) == .rejected(.outOfOrder))
        #expect(append(&s, 0, 1) == .rejected(.outOfOrder))
        // Even an identical re-send of an older sample (Prometheus does the same).
        append(&s, 20_000, 2)
        #expect(append(&s, 10_000, 1) == .rejected(.outOfOrder))
        #expect(try all(s).map(\.timestamp) == [10_000, 20_000])
        #expect(s.outOfOrder.isEmpty)
    }

    @Test("within the window older samples are kept apart and merged into reads in time order")
    func outOfOrderAccepted() throws {
        var s = series()
        for t in [100_000, 110_000, 120_000] as [Int64] { append(&s, t, Double(t)) }
        #expect(append(&s, 115_000, 1, window: 30_000) == .appended)
        #expect(append(&s, 95_000, 2, window: 30_000) == .appended)
        #expect(append(&s, 105_000, 3, window: 30_000) == .appended)
        #expect(s.outOfOrder.map(\.timestamp) == [95_000, 105_000, 115_000])
        #expect(s.minTime == 95_000)
        #expect(s.maxTime == 120_000)
        #expect(s.overlaps(start: 90_000, end: 96_000))
        let expected: [Sample] = [
            Sample(timestamp: 95_000, value: 2), Sample(timestamp: 100_000, value: 100_000),
            Sample(timestamp: 105_000, value: 3), Sample(timestamp: 110_000, value: 110_000),
            Sample(timestamp: 115_000, value: 1), Sample(timestamp: 120_000, value: 120_000),
        ]
        #expect(try all(s) == expected)
        #expect(try s.snapshot().samples(start: 104_000, end: 116_000) == Array(expected[2...4]))
        #expect(try s.snapshot().samples(start: 95_000, end: 95_000) == [expected[0]])
        // New in-order samples still go to the chunks.
        #expect(append(&s, 130_000, 4, window: 30_000) == .appended)
        #expect(try all(s).last == Sample(timestamp: 130_000, value: 4))
    }

    @Test("out-of-order duplicates follow the same rules as in-order ones")
    func outOfOrderDuplicates() throws {
        var s = series()
        append(&s, 100_000, 1)
        #expect(append(&s, 90_000, 5, window: 60_000) == .appended)
        #expect(append(&s, 90_000, 5, window: 60_000) == .duplicate)
        #expect(append(&s, 90_000, 6, window: 60_000) == .rejected(.duplicateTimestamp))
        #expect(s.outOfOrder == [Sample(timestamp: 90_000, value: 5)])
    }

    @Test("a sample older than the window allows is too old; the window's edge is inside")
    func tooOld() throws {
        var s = series()
        append(&s, 100_000, 1)
        #expect(append(&s, 89_999, 1, window: 10_000) == .rejected(.tooOld))
        #expect(append(&s, 90_000, 1, window: 10_000) == .appended)
        #expect(try all(s).map(\.timestamp) == [90_000, 100_000])
    }

    @Test("the window is measured from the newest in-order sample, which moves on")
    func windowMoves() throws {
        var s = series()
        append(&s, 100_000, 1)
        #expect(append(&s, 95_000, 1, window: 10_000) == .appended)
        append(&s, 200_000, 1, window: 10_000)
        #expect(append(&s, 189_999, 1, window: 10_000) == .rejected(.tooOld))
        #expect(append(&s, 195_000, 1, window: 10_000) == .appended)
    }

    @Test("extreme timestamps near Int64.min do not overflow the window arithmetic")
    func extremeTimestamps() throws {
        var s = series()
        append(&s, Int64.min + 10, 1, window: 3_600_000)
        #expect(append(&s, Int64.min, 2, window: 3_600_000) == .appended)
        #expect(try all(s).map(\.timestamp) == [Int64.min, Int64.min + 10])
        var t = series()
        append(&t, Int64.max, 1, window: 0)
        #expect(append(&t, Int64.min, 1, window: 0) == .rejected(.outOfOrder))
        #expect(append(&t, Int64.min, 1, window: 1) == .rejected(.tooOld))
    }

    @Test("stale markers and NaN payloads keep their exact bits")
    func staleMarkerBits() throws {
        var s = series()
        let stale = Double(bitPattern: Sample.staleMarkerBits)
        let payloadNaN = Double(bitPattern: 0x7ff8_0000_0000_0001)
        append(&s, 1_000, 1)
        append(&s, 2_000, stale)
        append(&s, 3_000, payloadNaN)
        append(&s, 4_000, 2)
        append(&s, 500, stale, window: 10_000)
        let read = try all(s)
        #expect(read.map(\.timestamp) == [500, 1_000, 2_000, 3_000, 4_000])
        #expect(read[0].isStaleMarker)
        #expect(read[2].isStaleMarker)
        #expect(read[2].value.bitPattern == Sample.staleMarkerBits)
        #expect(read[3].value.bitPattern == 0x7ff8_0000_0000_0001)
        #expect(!read[3].isStaleMarker)
    }

    @Test("reads return only samples inside the inclusive range")
    func rangeFiltering() throws {
        var s = series()
        for t in stride(from: Int64(0), through: 300_000, by: 10_000) { append(&s, t, Double(t / 1_000)) }
        let snapshot = s.snapshot()
        #expect(try snapshot.samples(start: 50_000, end: 80_000).map(\.timestamp) == [50_000, 60_000, 70_000, 80_000])
        #expect(try snapshot.samples(start: 55_000, end: 79_999).map(\.timestamp) == [60_000, 70_000])
        #expect(try snapshot.samples(start: 300_000, end: Int64.max).map(\.timestamp) == [300_000])
        #expect(try snapshot.samples(start: Int64.min, end: 0).map(\.timestamp) == [0])
        #expect(try snapshot.samples(start: 301_000, end: 400_000).isEmpty)
        #expect(try snapshot.samples(start: -100, end: -1).isEmpty)
        #expect(try snapshot.samples(start: 55_000, end: 56_000).isEmpty)
        #expect(try snapshot.samples(start: 80_000, end: 50_000).isEmpty)
        #expect(s.overlaps(start: 300_000, end: 400_000))
        #expect(!s.overlaps(start: 300_001, end: 400_000))
        #expect(!s.overlaps(start: -10, end: -1))
    }

    @Test("a snapshot is not affected by later appends")
    func snapshotIsolation() throws {
        var s = series()
        for t in 0..<5 { append(&s, Int64(t), 1) }
        let snapshot = s.snapshot()
        for t in 5..<200 { append(&s, Int64(t), 2) }
        #expect(try snapshot.samples(start: Int64.min, end: Int64.max).count == 5)
        #expect(try all(s).count == 200)
    }

    @Test("merge interleaves sorted lists; the in-order sample wins on equal timestamps")
    func merge() {
        let a = [Sample(timestamp: 1, value: 1), Sample(timestamp: 3, value: 3), Sample(timestamp: 5, value: 5)]
        let b = [Sample(timestamp: 0, value: 0), Sample(timestamp: 3, value: -3), Sample(timestamp: 6, value: 6)]
        #expect(HeadSeriesSnapshot.merge(a, b).map(\.timestamp) == [0, 1, 3, 5, 6])
        #expect(HeadSeriesSnapshot.merge(a, b)[2].value == 3)
        #expect(HeadSeriesSnapshot.merge([], b) == b)
        #expect(HeadSeriesSnapshot.merge(a, []) == a)
    }
}
