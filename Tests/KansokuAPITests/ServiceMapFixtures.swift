import KansokuModel

/// Three services, frontend → checkout → payments, with checkout also
/// calling an uninstrumented database (`peer.service` = postgres). Each
/// service's spans arrive in its own batch; the payments batch is stored
/// twice. Trace `ok` succeeds, trace `failing` fails on the payments hop,
/// trace `late` starts after the window.
enum ServiceMapFixtures {
    static let base = JaegerFixtures.base
    static let ms = JaegerFixtures.ms
    /// The window: one second from `base`, both ends inclusive.
    static let windowStart = base
    static let windowEnd = base + 1_000 * ms

    static let ok = TraceID(high: 1, low: 1)
    static let failing = TraceID(high: 2, low: 2)
    static let late = TraceID(high: 3, low: 3)

    static func span(_ trace: TraceID, _ id: UInt64, parent: UInt64 = 0, _ name: String, _ kind: SpanKind,
                     startMs: UInt64, durationMs: UInt64, peer: String? = nil, error: Bool = false,
                     startOffset: UInt64 = 0) -> Span {
        let start = base + startOffset + startMs * ms
        return Span(traceID: trace, spanID: SpanID(id), parentSpanID: SpanID(parent), name: name, kind: kind,
                    startTimeUnixNano: start, endTimeUnixNano: start + durationMs * ms,
                    attributes: peer.map { [Attribute(key: "peer.service", value: .string($0))] } ?? [],
                    status: SpanStatus(code: error ? .error : .unset))
    }

    static let frontendBatch = JaegerFixtures.batch(JaegerFixtures.resource("frontend"), [
        span(ok, 1, "GET /", .server, startMs: 0, durationMs: 100),
        span(ok, 2, parent: 1, "POST /checkout", .client, startMs: 1, durationMs: 80, peer: "checkout"),
        span(failing, 1, "GET /", .server, startMs: 200, durationMs: 300),
        span(failing, 2, parent: 1, "POST /checkout", .client, startMs: 201, durationMs: 250, peer: "checkout"),
        // Outside the window (starts 1 ms after its end).
        span(late, 1, "GET /", .server, startMs: 1_001, durationMs: 100),
        span(late, 2, parent: 1, "POST /checkout", .client, startMs: 1_002, durationMs: 80),
    ])

    static let checkoutBatch = JaegerFixtures.batch(JaegerFixtures.resource("checkout"), [
        span(ok, 3, parent: 2, "POST /checkout", .server, startMs: 2, durationMs: 70),
        span(ok, 4, parent: 3, "charge", .client, startMs: 3, durationMs: 30, peer: "payments"),
        span(ok, 6, parent: 3, "INSERT orders", .client, startMs: 40, durationMs: 3, peer: "postgres"),
        span(failing, 3, parent: 2, "POST /checkout", .server, startMs: 202, durationMs: 70),
        span(failing, 4, parent: 3, "charge", .client, startMs: 203, durationMs: 160, peer: "payments", error: true),
        span(late, 3, parent: 2, "POST /checkout", .server, startMs: 1_003, durationMs: 70),
    ])

    static let paymentsBatch = JaegerFixtures.batch(JaegerFixtures.resource("payments"), [
        span(ok, 5, parent: 4, "charge", .server, startMs: 4, durationMs: 25),
        span(failing, 5, parent: 4, "charge", .server, startMs: 204, durationMs: 150, error: true),
    ])

    static let store = JaegerTestStore([paymentsBatch, frontendBatch, checkoutBatch, paymentsBatch])
}
