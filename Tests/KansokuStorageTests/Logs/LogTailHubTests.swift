import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("Live tail hub")
struct LogTailHubTests {
    static let b = LogTestKit.base

    @Test("a subscription receives published entries its filter accepts, with stream labels and structured metadata")
    func filtering() async throws {
        let hub = LogTailHub()
        let subscription = try hub.subscribe(capacity: 10) { entry in
            entry.line.contains("error") ? entry : nil
        }
        hub.publish(LogTestKit.lokiBatch(app: "api", lines: [(Self.b + 1, "GET / 200"), (Self.b + 2, "error: boom")],
                                         metadata: [Attribute(key: "pod", value: .string("api-1"))]))
        let delivery = try #require(await subscription.next())
        #expect(delivery.entries.map(\.line) == ["error: boom"])
        #expect(delivery.entries.first?.timestampNanos == Int64(Self.b + 2))
        #expect(delivery.entries.first?.labels.map { "\($0.0)=\($0.1)" } == ["app=api", "env=prod"])
        #expect(delivery.entries.first?.structuredMetadata.map { "\($0.0)=\($0.1)" } == ["pod=api-1"])
        #expect(delivery.droppedCount == 0)
    }

    @Test("OTLP records carry service_name and the severity as detected_level")
    func otlpMapping() async throws {
        let hub = LogTailHub()
        let subscription = try hub.subscribe(capacity: 10) { $0 }
        let record = LogRecord(timeUnixNano: Self.b, severityNumber: 17, severityText: "ERROR", body: .string("failed"),
                               traceID: LogTestKit.traceID(3))
        hub.publish(LogTestKit.otlpBatch(service: "checkout", records: [record]))
        let entry = try #require(await subscription.next()?.entries.first)
        #expect(entry.labels.contains { $0 == ("service_name", "checkout") })
        let metadata = Dictionary(entry.structuredMetadata, uniquingKeysWith: { a, _ in a })
        #expect(metadata["detected_level"] == "error")
        #expect(metadata["trace_id"] == LogTestKit.traceID(3).hex)
    }

    @Test("a full buffer drops new entries and reports how many, listing their labels and times")
    func boundedBuffer() async throws {
        let hub = LogTailHub()
        let subscription = try hub.subscribe(capacity: 3) { $0 }
        hub.publish(LogTestKit.lokiBatch(app: "api", lines: (1...5).map { (Self.b + UInt64($0), "line \($0)") }))
        hub.publish(LogTestKit.lokiBatch(app: "api", lines: [(Self.b + 6, "line 6")]))
        let first = try #require(await subscription.next())
        #expect(first.entries.map(\.line) == ["line 1", "line 2", "line 3"])
        #expect(first.droppedCount == 3)
        #expect(first.dropped.map(\.timestampNanos) == [4, 5, 6].map { Int64(Self.b) + $0 })
        #expect(first.dropped.first?.labels.map(\.0) == ["app", "env"])
        // Taking the delivery empties the buffer: new entries fit again, nothing more is reported dropped.
        hub.publish(LogTestKit.lokiBatch(app: "api", lines: [(Self.b + 7, "line 7")]))
        let second = try #require(await subscription.next())
        #expect(second.entries.map(\.line) == ["line 7"])
        #expect(second.droppedCount == 0 && second.dropped.isEmpty)
    }

    @Test("next waits for a publish; a timeout returns an empty delivery")
    func waiting() async throws {
        let hub = LogTailHub()
        let subscription = try hub.subscribe(capacity: 10) { $0 }
        let empty = try #require(await subscription.next(timeout: .milliseconds(20)))
        #expect(empty.isEmpty)
        async let delivered = subscription.next()
        hub.publish(LogTestKit.lokiBatch(app: "api", lines: [(Self.b, "late line")]))
        #expect(await delivered?.entries.map(\.line) == ["late line"])
    }

    @Test("cancelling leaves the hub, wakes the reader and ends deliveries; the hub caps open tails")
    func cancelAndLimit() async throws {
        let hub = LogTailHub(maxSubscribers: 2)
        let a = try hub.subscribe(capacity: 10) { $0 }
        _ = try hub.subscribe(capacity: 10) { $0 }
        #expect(throws: LogTailError.tooManyTails(limit: 2)) { try hub.subscribe(capacity: 10) { $0 } }
        async let ended = a.next()
        a.cancel()
        #expect(await ended == nil)
        #expect(hub.subscriberCount == 1)
        hub.publish(LogTestKit.lokiBatch(app: "api", lines: [(Self.b, "after cancel")]))
        #expect(await a.next() == nil)
        _ = try hub.subscribe(capacity: 10) { $0 }
    }

    @Test("a cancelled reader task cancels its subscription")
    func taskCancellation() async throws {
        let hub = LogTailHub()
        let subscription = try hub.subscribe(capacity: 10) { $0 }
        let reader = Task { await subscription.next() }
        reader.cancel()
        #expect(await reader.value == nil)
        #expect(hub.subscriberCount == 0)
    }
}
