import KansokuModel
import KansokuStorage
import Testing

@Suite("WAL encoding round trip")
struct WALEncodingRoundTripTests {
    /// Decodes, compares with `==`, and re-encodes to the very same bytes
    /// (which also catches what `==` cannot: NaN payloads and the sign of zero).
    private func roundTrip<Item: WALEncodable>(_ batch: TelemetryBatch<Item>) throws -> TelemetryBatch<Item> {
        let payload = batch.walPayload()
        #expect(payload.first == WALFormat.version)
        let decoded = try TelemetryBatch<Item>(walPayload: payload)
        #expect(decoded.walPayload() == payload)
        return decoded
    }

    @Test func spanBatch() throws {
        let decoded = try roundTrip(WALEncodingFixtures.spanBatch)
        #expect(decoded == WALEncodingFixtures.spanBatch)
        #expect(decoded.itemCount == 7)
    }

    @Test func logBatch() throws {
        let decoded = try roundTrip(WALEncodingFixtures.logBatch)
        #expect(decoded == WALEncodingFixtures.logBatch)
    }

    @Test func emptyBatches() throws {
        #expect(try roundTrip(SpanBatch()) == SpanBatch())
        #expect(try roundTrip(LogBatch()) == LogBatch())
    }

    @Test func specialDoublesAreBitExact() throws {
        let signalingNaN = Double(bitPattern: 0x7FF4_0000_0000_0001)
        let negativeQuietNaN = Double(bitPattern: 0xFFF8_0000_0000_BEEF)
        let specials: [Double] = [.nan, signalingNaN, negativeQuietNaN, .infinity, -.infinity, -0.0, 0,
                                  .leastNonzeroMagnitude, -.greatestFiniteMagnitude, .ulpOfOne]
        let log = LogRecord(body: .array(specials.map { .double($0) }))
        let logBatch = LogBatch(resources: [ResourceItems(resource: Resource(), scopes: [
            ScopedItems(scope: InstrumentationScope(), items: [log]),
        ])])

        guard case .array(let values)? = try roundTrip(logBatch).resources.first?.scopes.first?.items.first?.body else {
            Issue.record("not an array body")
            return
        }
        let bodyBits = values.map { value -> UInt64? in
            if case .double(let d) = value { return d.bitPattern }
            return nil
        }
        #expect(bodyBits == specials.map(\.bitPattern))
    }

    @Test func nestingUpToTheLimitRoundTrips() throws {
        let value = WALEncodingFixtures.nested(levels: WALFormat.maxNestingDepth)
        let batch = LogBatch(resources: [ResourceItems(resource: Resource(), scopes: [
            ScopedItems(scope: InstrumentationScope(), items: [LogRecord(body: value, attributes: [Attribute(key: "v", value: value)])]),
        ])])
        #expect(try roundTrip(batch) == batch)
    }

    @Test func nestingPastTheLimitStillDecodes() throws {
        // Deeper containers are cut to `.empty` at the limit rather than
        // producing a record the log could never read back.
        let limit = WALFormat.maxNestingDepth
        let batch = LogBatch(resources: [ResourceItems(resource: Resource(), scopes: [
            ScopedItems(scope: InstrumentationScope(), items: [LogRecord(body: WALEncodingFixtures.nested(levels: limit + 3))]),
        ])])
        let decoded = try roundTrip(batch)
        var value = decoded.resources[0].scopes[0].items[0].body
        var depth = 0
        while true {
            switch value {
            case .array(let inner): value = inner[0]
            case .keyValueList(let inner): value = inner[0].value
            default:
                #expect(depth == limit)
                #expect(value == .empty)
                return
            }
            depth += 1
        }
    }

    @Test func largeRandomSpanBatch() throws {
        var rng = WALEncodingRandomGenerator(seed: 7)
        let spans = (0..<300).map { i -> Span in
            var span = WALEncodingFixtures.span(UInt64(i))
            span.traceID = TraceID(high: rng.next(), low: rng.next())
            span.startTimeUnixNano = rng.next()
            span.attributes = (0..<Int(rng.next() % 20)).map { j in
                Attribute(key: "attr.\(j)", value: rng.next() % 2 == 0 ? .int(Int64(bitPattern: rng.next())) : .string(String(repeating: "x", count: Int(rng.next() % 300))))
            }
            return span
        }
        let batch = SpanBatch(resources: [ResourceItems(resource: WALEncodingFixtures.resource, scopes: [
            ScopedItems(scope: WALEncodingFixtures.scope, items: spans),
        ])])
        #expect(try roundTrip(batch) == batch)
    }
}
