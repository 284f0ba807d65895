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

@Suite struct BatchMergingTests {
    @Test func equalResourcesAndScopesAreGroupedInFirstSeenOrder() {
        let a = Resource(attributes: [.init(key: "service.name", value: .string("a"))])
        let b = Resource(attributes: [.init(key: "service.name", value: .string("b"))])
        func span(_ n: UInt64) -> Span { Span(traceID: TraceID(high: 0, low: 1), spanID: SpanID(n), name: "s\(n)", startTimeUnixNano: n, endTimeUnixNano: n) }
        let batch = SpanBatch(resources: [
            ResourceItems(resource: a, scopes: [ScopedItems(scope: InstrumentationScope(name: "x"), items: [span(1)])]),
            ResourceItems(resource: b, scopes: [ScopedItems(scope: InstrumentationScope(name: "x"), items: [span(2)])]),
            ResourceItems(resource: a, scopes: [ScopedItems(scope: InstrumentationScope(name: "x"), items: [span(3)]),
                                                ScopedItems(scope: InstrumentationScope(name: "y"), items: [span(4)])]),
        ]).mergingEqualResources()
        #expect(batch.resources.map(\.resource) == [a, b])
        #expect(batch.resources[0].scopes.map(\.scope.name) == ["x", "y"])
        #expect(batch.resources[0].scopes[0].items.map(\.spanID.value) == [1, 3])
        #expect(batch.itemCount == 4)
    }
}
