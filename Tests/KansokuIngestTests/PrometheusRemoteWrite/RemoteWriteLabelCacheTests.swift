import Foundation
import KansokuModel
import Testing
@testable import KansokuIngest

/// A `TimeSeries` field: `labels` (before or after the samples) and samples,
/// optionally one native histogram with an invalid schema.
private func series(_ p: inout ProtobufTestEncoder, _ labels: [(String, String)], samples: [(Int64, Double)],
                    labelsLast: Bool = false, trailingLabels: [(String, String)] = [], invalidHistogram: Bool = false) {
    p.messageField(1) { ts in
        func writeLabels() {
            for (name, value) in labels { ts.messageField(1) { $0.stringField(1, name); $0.stringField(2, value) } }
        }
        if !labelsLast { writeLabels() }
        for (timestamp, value) in samples { ts.messageField(2) { $0.doubleField(1, value); $0.int64Field(2, timestamp) } }
        if invalidHistogram {
            ts.messageField(4) { h in
                h.varintField(1, 0)      // count_int
                h.sint32Field(4, 9)      // schema 9: above the largest exponential schema
                h.int64Field(15, 5_000)
            }
        }
        if labelsLast { writeLabels() }
        for (name, value) in trailingLabels { ts.messageField(1) { $0.stringField(1, name); $0.stringField(2, value) } }
    }
}

private func decode(_ bytes: [UInt8], _ cache: RemoteWriteLabelCache?) throws -> RemoteWriteRequest {
    try bytes.withUnsafeBytes { buffer in try RemoteWriteDecoder.decode(buffer, labelCache: cache) }
}

private func storage(_ labels: SeriesLabels) -> UnsafeRawPointer? {
    labels.labels.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
}

@Suite("Remote write label cache: series seen before reuse their decoded labels, with the same results")
struct RemoteWriteLabelCacheTests {
    @Test func aSeriesSeenBeforeReusesItsLabelSet() throws {
        var request = ProtobufTestEncoder()
        series(&request, [("__name__", "up"), ("instance", "a:9100"), ("job", "node")], samples: [(1_000, 1)])
        series(&request, [("__name__", "up"), ("instance", "b:9100"), ("job", "node"), ("zone", "")], samples: [(1_000, 0)])
        let cache = RemoteWriteLabelCache()
        let first = try decode(request.bytes, cache)
        let second = try decode(request.bytes, cache)
        #expect(cache.count == 2)
        #expect(first.batch == second.batch)
        #expect(second.batch == (try decode(request.bytes, nil)).batch)
        // The empty `zone` is dropped from the cached set as from a fresh decode.
        #expect(second.batch.series[1].labels["zone"] == nil)
        for (a, b) in zip(first.batch.series, second.batch.series) { #expect(storage(a.labels) == storage(b.labels)) }
    }

    @Test func labelsAfterTheSamplesOrUnsortedDecodeAsWithoutACache() throws {
        var request = ProtobufTestEncoder()
        series(&request, [("job", "node"), ("__name__", "up")], samples: [(1_000, 1)])
        series(&request, [("__name__", "late"), ("job", "x")], samples: [(2_000, 3)], labelsLast: true)
        let cache = RemoteWriteLabelCache()
        let plain = try decode(request.bytes, nil)
        #expect(try decode(request.bytes, cache).batch == plain.batch)
        #expect(try decode(request.bytes, cache).batch == plain.batch)
        #expect(plain.batch.series.map(\.labels.description) == ["up{job=\"node\"}", "late{job=\"x\"}"])
        #expect(cache.count == 1)  // only the series whose labels lead
    }

    @Test func knownLeadingLabelsFollowedByAnotherLabelAreDecodedInFull() throws {
        var known = ProtobufTestEncoder()
        series(&known, [("__name__", "up"), ("job", "a")], samples: [(1_000, 1)])
        var extended = ProtobufTestEncoder()
        series(&extended, [("__name__", "up"), ("job", "a")], samples: [(2_000, 2)], trailingLabels: [("zone", "z")])
        let cache = RemoteWriteLabelCache()
        _ = try decode(known.bytes, cache)
        let decoded = try decode(extended.bytes, cache)
        #expect(decoded.batch == (try decode(extended.bytes, nil)).batch)
        #expect(decoded.batch.series.map(\.labels.description) == ["up{job=\"a\", zone=\"z\"}"])
    }

    @Test func aKnownSeriesWithAnInvalidHistogramIsRefusedAsWithoutACache() throws {
        let labels = [("__name__", "h"), ("job", "a"), ("zone", "")]
        var valid = ProtobufTestEncoder()
        series(&valid, labels, samples: [(1_000, 1)])
        var invalid = ProtobufTestEncoder()
        series(&invalid, labels, samples: [(2_000, 2)], invalidHistogram: true)
        let cache = RemoteWriteLabelCache()
        _ = try decode(valid.bytes, cache)
        let cached = try decode(invalid.bytes, cache)
        let fresh = try decode(invalid.bytes, nil)
        #expect(cached.rejected == fresh.rejected && cached.rejected.count == 1)
        #expect(cached.batch.seriesCount == 0 && cached.batch == fresh.batch)
    }

    @Test func anotherThreadGetsTheLabelSetFromTheSharedTable() throws {
        var request = ProtobufTestEncoder()
        series(&request, [("__name__", "up"), ("job", "a")], samples: [(1_000, 1)])
        let cache = RemoteWriteLabelCache()
        let bytes = request.bytes
        let first = try decode(bytes, cache)
        // A new thread starts with an empty thread table: its hit comes from the shared table.
        let result = ThreadResult()
        let thread = Thread {
            result.request = try? decode(bytes, cache)
            result.done.signal()
        }
        thread.start()
        result.done.wait()
        let second = try #require(result.request)
        #expect(second.batch == first.batch)
        #expect(storage(second.batch.series[0].labels) == storage(first.batch.series[0].labels))
        #expect(cache.count == 1)
    }

    @Test func refusedLabelSetsAreNeverCached() throws {
        var request = ProtobufTestEncoder()
        series(&request, [("job", "no-name")], samples: [(1_000, 1)])
        let cache = RemoteWriteLabelCache()
        for _ in 0..<2 { #expect(try decode(request.bytes, cache).rejected.count == 1) }
        #expect(cache.count == 0)
    }

    @Test func theCacheStaysWithinItsCapacity() throws {
        let cache = RemoteWriteLabelCache(capacity: 32)
        for i in 0..<1_000 {
            var request = ProtobufTestEncoder()
            series(&request, [("__name__", "m"), ("i", String(i))], samples: [(1_000, 1)])
            let decoded = try decode(request.bytes, cache)
            #expect(decoded.batch.series.first?.labels["i"] == String(i))
        }
        #expect(cache.count <= 32)
    }
}

/// What a test's own thread hands back; written by that thread before it signals.
private final class ThreadResult: @unchecked Sendable {
    var request: RemoteWriteRequest?
    let done = DispatchSemaphore(value: 0)
}
