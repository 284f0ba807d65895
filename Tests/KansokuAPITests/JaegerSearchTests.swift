import KansokuModel
import KansokuStorage
import Testing
@testable import KansokuAPI

/// Search over a store of five traces:
///
/// | trace | start | spans |
/// |---|---|---|
/// | t1 | base+1s | frontend `GET /a` server 100ms, status 200 → backend `SELECT` client 50ms, error |
/// | t2 | base+2s | frontend `GET /b` server 2s, status 500 |
/// | t3 | base+3s | backend `consume` consumer 10ms, resource `deployment.environment=prod` |
/// | t4 | base+4s | frontend `GET /a` server 300ms; its backend child arrives in a later batch |
/// | t5 | base+5s | a resource without `service.name`, `orphan` |
@Suite struct JaegerSearchTests {
    typealias F = JaegerFixtures
    static let s: UInt64 = 1_000 * F.ms
    static let t1 = TraceID(high: 1, low: 1), t2 = TraceID(high: 2, low: 2), t3 = TraceID(high: 3, low: 3)
    static let t4 = TraceID(high: 4, low: 4), t5 = TraceID(high: 5, low: 5)
    static let frontend = F.resource("frontend")
    static let backend = F.resource("backend")
    static let prodBackend = F.resource("backend", [Attribute(key: "deployment.environment", value: .string("prod"))])

    static func span(_ trace: TraceID, _ id: UInt64, parent: UInt64 = 0, _ name: String, _ kind: SpanKind,
                     at start: UInt64, for duration: UInt64, status: SpanStatus.Code = .unset,
                     _ attributes: [Attribute] = []) -> Span {
        Span(traceID: trace, spanID: SpanID(id), parentSpanID: SpanID(parent), name: name, kind: kind,
             startTimeUnixNano: F.base + start, endTimeUnixNano: F.base + start + duration,
             attributes: attributes, status: SpanStatus(code: status))
    }

    static let store = JaegerTestStore([
        F.batch(frontend, [
            span(t1, 1, "GET /a", .server, at: 1 * s, for: 100 * F.ms, [Attribute(key: "http.status_code", value: .int(200))]),
        ]),
        F.batch(backend, [span(t1, 2, parent: 1, "SELECT", .client, at: 1 * s + F.ms, for: 50 * F.ms, status: .error)]),
        F.batch(frontend, [
            span(t2, 1, "GET /b", .server, at: 2 * s, for: 2 * s, [Attribute(key: "http.status_code", value: .int(500))]),
        ]),
        F.batch(prodBackend, [span(t3, 1, "consume", .consumer, at: 3 * s, for: 10 * F.ms, status: .ok)]),
        F.batch(frontend, [span(t4, 1, "GET /a", .server, at: 4 * s, for: 300 * F.ms)]),
        F.batch(Resource(), [span(t5, 1, "orphan", .unspecified, at: 5 * s, for: F.ms)]),
        F.batch(backend, [span(t4, 2, parent: 1, "SELECT", .client, at: 4 * s + F.ms, for: 20 * F.ms)]),
    ])

    private func find(_ service: String?, operation: String? = nil, tags: [String: String] = [:],
                      min: UInt64? = nil, max: UInt64? = nil, start: UInt64 = 0, end: UInt64 = .max,
                      limit: Int = 20) throws -> [TraceID] {
        let query = JaegerQuery(service: service, operation: operation, tags: tags, minDurationNanos: min,
                                maxDurationNanos: max, startTimeMicros: start, endTimeMicros: end, limit: limit)
        return try JaegerSearch.findTraces(query, in: Self.store).map { batch in
            batch.resources.first?.scopes.first?.items.first?.traceID ?? .zero
        }
    }

    @Test func byServiceMostRecentFirst() throws {
        #expect(try find("frontend") == [Self.t4, Self.t2, Self.t1])
        #expect(try find("backend") == [Self.t4, Self.t3, Self.t1])
        #expect(try find("OTLP_ResourceNoServiceName") == [Self.t5])
        #expect(try find("nobody").isEmpty)
    }

    @Test func tracesAreComplete() throws {
        let traces = try JaegerSearch.findTraces(
            JaegerQuery(service: "frontend", operation: "GET /a", startTimeMicros: 0, endTimeMicros: .max), in: Self.store)
        #expect(traces.map(\.itemCount) == [2, 2])
        let services = traces.first?.resources.compactMap(\.resource.serviceName)
        #expect(services == ["frontend", "backend"])
    }

    @Test func byOperation() throws {
        #expect(try find("frontend", operation: "GET /a") == [Self.t4, Self.t1])
        #expect(try find("backend", operation: "GET /a").isEmpty)
    }

    @Test func byTags() throws {
        #expect(try find("frontend", tags: ["http.status_code": "500"]) == [Self.t2])
        #expect(try find("frontend", tags: ["http.status_code": "500.0"]) == [Self.t2])
        #expect(try find("backend", tags: ["error": "true"]) == [Self.t1])
        #expect(try find("backend", tags: ["otel.status_code": "ERROR"]) == [Self.t1])
        #expect(try find("backend", tags: ["otel.status_code": "OK"]) == [Self.t3])
        #expect(try find("backend", tags: ["span.kind": "consumer"]) == [Self.t3])
        #expect(try find("backend", tags: ["deployment.environment": "prod"]) == [Self.t3])
        #expect(try find("backend", tags: ["service.name": "backend", "span.kind": "client"]) == [Self.t4, Self.t1])
        // Every tag must hold on one span of the service: error is on backend's span, not frontend's.
        #expect(try find("frontend", tags: ["error": "true"]).isEmpty)
        #expect(try find("frontend", tags: ["http.status_code": "200", "missing": "x"]).isEmpty)
    }

    @Test func byDuration() throws {
        #expect(try find("frontend", min: Self.s) == [Self.t2])
        #expect(try find("frontend", min: 100 * F.ms, max: 300 * F.ms) == [Self.t4, Self.t1])
        #expect(try find("backend", max: 20 * F.ms) == [Self.t4, Self.t3])
    }

    @Test func byStartTime() throws {
        let baseMicros = F.base / 1_000
        #expect(try find("frontend", start: baseMicros + 2_000_000, end: baseMicros + 3_999_999) == [Self.t2])
        #expect(try find("frontend", start: baseMicros + 2_000_000) == [Self.t4, Self.t2])
        #expect(try find("frontend", end: baseMicros + 1_000_000) == [Self.t1])
    }

    @Test func limitKeepsTheMostRecent() throws {
        #expect(try find("frontend", limit: 2) == [Self.t4, Self.t2])
        #expect(try find("backend", limit: 1) == [Self.t4])
    }

    @Test func byTraceID() throws {
        let query = JaegerQuery(service: nil, startTimeMicros: 0, endTimeMicros: 0,
                                traceIDs: [Self.t3, TraceID(high: 9, low: 9), Self.t1, Self.t3])
        let traces = try JaegerSearch.findTraces(query, in: Self.store)
        #expect(traces.map(\.itemCount) == [1, 2])
    }

    @Test func services() throws {
        #expect(try JaegerSearch.services(in: Self.store) == ["OTLP_ResourceNoServiceName", "backend", "frontend"])
        #expect(try JaegerSearch.services(in: JaegerTestStore([])).isEmpty)
    }

    @Test func operations() throws {
        #expect(try JaegerSearch.operations(in: Self.store, service: "frontend")
            == [JaegerOperation(name: "GET /a", spanKind: "server"), JaegerOperation(name: "GET /b", spanKind: "server")])
        #expect(try JaegerSearch.operations(in: Self.store, service: "backend")
            == [JaegerOperation(name: "SELECT", spanKind: "client"), JaegerOperation(name: "consume", spanKind: "consumer")])
        #expect(try JaegerSearch.operations(in: Self.store, service: "backend", spanKind: "consumer")
            == [JaegerOperation(name: "consume", spanKind: "consumer")])
        #expect(try JaegerSearch.operations(in: Self.store, service: "OTLP_ResourceNoServiceName")
            == [JaegerOperation(name: "orphan", spanKind: "")])
    }

    /// The server holds its store as `any TraceSignalStore`.
    @Test func searchThroughAnExistential() throws {
        let store: any TraceSignalStore = Self.store
        let query = JaegerQuery(service: "frontend", startTimeMicros: 0, endTimeMicros: .max)
        #expect(try JaegerSearch.findTraces(query, in: store).count == 3)
        #expect(try JaegerSearch.services(in: store).count == 3)
        #expect(try JaegerSearch.operations(in: store, service: "frontend").count == 2)
    }
}
