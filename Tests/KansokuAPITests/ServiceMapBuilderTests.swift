import KansokuModel
import Testing
@testable import KansokuAPI

@Suite struct ServiceMapBuilderTests {
    typealias F = ServiceMapFixtures

    let map: ServiceMap

    init() throws {
        map = try ServiceMap.compute(in: F.store, startNanos: F.windowStart, endNanos: F.windowEnd)
    }

    @Test func nodesCountServerSpansAndMarkTheVirtualOne() {
        #expect(map.startNanos == F.windowStart)
        #expect(map.endNanos == F.windowEnd)
        #expect(map.nodes == [
            ServiceNode(service: "checkout", requests: 2, errors: 0),
            ServiceNode(service: "frontend", requests: 2, errors: 0),
            ServiceNode(service: "payments", requests: 2, errors: 1),
            ServiceNode(service: "postgres", requests: 1, errors: 0, isVirtual: true),
        ])
    }

    @Test func edgesPairClientsWithServersAcrossBatches() {
        #expect(map.edges.map { "\($0.source)->\($0.target)" } == [
            "checkout->payments", "checkout->postgres", "frontend->checkout",
        ])
        let payments = map.edges[0]
        #expect(payments.calls == 2)
        #expect(payments.errors == 1)
        #expect(!payments.targetIsVirtual)
        // Server durations 25 ms (≤ 0.05) and 150 ms (≤ 0.2), not the client's 30/160 ms.
        var expected = [UInt64](repeating: 0, count: 17)
        expected[5] = 1
        expected[7] = 1
        #expect(payments.latency.counts == expected)
        #expect(payments.errorRate == 0.5)

        let postgres = map.edges[1]
        #expect(postgres.targetIsVirtual)
        #expect(postgres.calls == 1)
        #expect(postgres.errors == 0)
        #expect(postgres.latency.counts[1] == 1)  // the client's 3 ms, ≤ 0.004

        let checkout = map.edges[2]
        #expect(checkout.calls == 2)
        #expect(checkout.errors == 0)
        #expect(checkout.latency.counts[6] == 2)  // 70 ms twice, ≤ 0.1
        // Rank 1 of 2 in (0.05, 0.1]: halfway; rank 1.98: 99 % of the way.
        #expect(abs(checkout.latency.p50Seconds! - 0.075) < 1e-12)
        #expect(abs(checkout.latency.p99Seconds! - 0.0995) < 1e-12)
    }

    @Test func spansOutsideTheWindowAreIgnored() throws {
        // Only the late trace: its frontend → checkout call is the one edge.
        let lateOnly = try ServiceMap.compute(in: F.store, startNanos: F.windowEnd + 1, endNanos: F.windowEnd + 2_000 * F.ms)
        #expect(lateOnly.edges.map(\.calls) == [1])
        #expect(lateOnly.edges.first?.source == "frontend")
        #expect(lateOnly.nodes.map(\.service) == ["checkout", "frontend"])
        let empty = try ServiceMap.compute(in: F.store, startNanos: 0, endNanos: F.base - 1)
        #expect(empty.nodes.isEmpty && empty.edges.isEmpty)
    }

    @Test func windowBoundsAreInclusive() throws {
        // Starts exactly at the window's start and end.
        var builder = ServiceMapBuilder(startNanos: F.base, endNanos: F.base + 5 * F.ms)
        builder.add(JaegerFixtures.batch(JaegerFixtures.resource("a"), [
            F.span(F.ok, 1, "call", .client, startMs: 0, durationMs: 1),
        ]))
        builder.add(JaegerFixtures.batch(JaegerFixtures.resource("b"), [
            F.span(F.ok, 2, parent: 1, "serve", .server, startMs: 5, durationMs: 1),
            F.span(F.ok, 3, parent: 1, "too late", .server, startMs: 6, durationMs: 1),
        ]))
        #expect(builder.build().edges.map(\.calls) == [1])
    }

    @Test func clientServerPairsArePreferredOverOtherCrossServiceChildren() {
        var builder = ServiceMapBuilder(startNanos: 0, endNanos: .max)
        builder.add(JaegerFixtures.batch(JaegerFixtures.resource("a"), [
            F.span(F.ok, 1, "work", .server, startMs: 0, durationMs: 50),
            F.span(F.ok, 2, parent: 1, "call b", .client, startMs: 1, durationMs: 20, peer: "b"),
        ]))
        builder.add(JaegerFixtures.batch(JaegerFixtures.resource("b"), [
            F.span(F.ok, 3, parent: 2, "serve", .server, startMs: 2, durationMs: 10),
            // Also a child of the client span, but not its server side.
            F.span(F.ok, 4, parent: 2, "side", .internal, startMs: 2, durationMs: 1),
        ]))
        builder.add(JaegerFixtures.batch(JaegerFixtures.resource("c"), [
            // A cross-service child with no client/server kinds still counts.
            F.span(F.ok, 5, parent: 1, "job", .internal, startMs: 30, durationMs: 5, error: true),
        ]))
        let map = builder.build()
        #expect(map.edges.map { "\($0.source)->\($0.target):\($0.calls)/\($0.errors)" } == ["a->b:1/0", "a->c:1/1"])
        #expect(map.edges.allSatisfy { !$0.targetIsVirtual })
        // c has no SERVER/CONSUMER span: all its spans count as requests.
        #expect(map.nodes.first { $0.service == "c" } == ServiceNode(service: "c", requests: 1, errors: 1))
    }

    @Test func peerNamingAKnownServiceIsNotVirtual() {
        var builder = ServiceMapBuilder(startNanos: 0, endNanos: .max)
        builder.add(JaegerFixtures.batch(JaegerFixtures.resource("a"), [
            Span(traceID: F.ok, spanID: SpanID(1), name: "GET", kind: .client, startTimeUnixNano: 10,
                 endTimeUnixNano: 20, attributes: [Attribute(key: "server.address", value: .string("b"))],
                 status: SpanStatus(code: .error)),
            Span(traceID: F.ok, spanID: SpanID(2), name: "GET", kind: .client, startTimeUnixNano: 10,
                 endTimeUnixNano: 20, attributes: [Attribute(key: "net.peer.name", value: .string("cache"))]),
        ]))
        builder.add(JaegerFixtures.batch(JaegerFixtures.resource("b"), [
            Span(traceID: F.failing, spanID: SpanID(1), name: "serve", kind: .server, startTimeUnixNano: 10, endTimeUnixNano: 20),
        ]))
        let map = builder.build()
        #expect(map.edges.map { "\($0.source)->\($0.target):\($0.calls)/\($0.errors)/\($0.targetIsVirtual)" }
                == ["a->b:1/1/false", "a->cache:1/0/true"])
        #expect(map.nodes.map(\.service) == ["a", "b", "cache"])
        #expect(map.nodes.map(\.isVirtual) == [false, false, true])
    }
}
