import KansokuModel
import Testing

@Suite struct IdentifierTests {
    @Test func traceIDHexAndBytesAgree() throws {
        let id = try #require(TraceID(hex: "5B8EFFF798038103D269B633813FC60C"))
        #expect(id.hex == "5b8efff798038103d269b633813fc60c")
        #expect(TraceID(bytes: id.bytes) == id)
        #expect(id.bytes.first == 0x5b && id.bytes.last == 0x0c)
    }

    @Test func leadingZerosSurvive() throws {
        let id = try #require(TraceID(hex: "00000000000000000000000000000001"))
        #expect(id == TraceID(high: 0, low: 1))
        #expect(id.hex == "00000000000000000000000000000001")
        #expect(SpanID(2).hex == "0000000000000002")
    }

    @Test func wrongLengthsAndDigitsAreRefused() {
        #expect(TraceID(hex: "abc") == nil)
        #expect(TraceID(hex: "zz8efff798038103d269b633813fc60c") == nil)
        #expect(TraceID(bytes: [UInt8](repeating: 1, count: 15)) == nil)
        #expect(SpanID(bytes: [UInt8](repeating: 1, count: 9)) == nil)
        #expect(SpanID(hex: "+123456789abcdef") == nil)
    }

    @Test func batchCountsItemsAndDataPoints() {
        let point = NumberDataPoint(header: DataPointHeader(timeUnixNano: 1), value: .int(1))
        let metric = Metric(name: "m", data: .gauge([point, point]))
        let batch = MetricBatch(resources: [ResourceItems(resource: Resource(), scopes: [
            ScopedItems(scope: InstrumentationScope(), items: [metric, metric]),
        ])])
        #expect(batch.itemCount == 2)
        #expect(batch.dataPointCount == 4)
    }
}
