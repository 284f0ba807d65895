import Foundation
import KansokuModel
import Logging
@testable import KansokuStorage

enum LogTestKit {
    static let base: UInt64 = 1_700_000_000_000_000_000

    static func lokiBatch(app: String, lines: [(UInt64, String)], metadata: [Attribute] = []) -> LogBatch {
        let resource = Resource(attributes: [Attribute(key: "app", value: .string(app)), Attribute(key: "env", value: .string("prod"))])
        let records = lines.map { LogRecord(timeUnixNano: $0.0, body: .string($0.1), attributes: metadata) }
        return LogBatch(resources: [ResourceItems(resource: resource, scopes: [ScopedItems(scope: InstrumentationScope(), items: records)])])
    }

    static func otlpBatch(service: String, records: [LogRecord], extra: [Attribute] = []) -> LogBatch {
        let resource = Resource(attributes: [Attribute(key: "service.name", value: .string(service)),
                                             Attribute(key: "k8s.pod.name", value: .string("\(service)-0"))] + extra)
        return LogBatch(resources: [ResourceItems(resource: resource, schemaURL: "https://schema/1", scopes: [
            ScopedItems(scope: InstrumentationScope(name: "lib", version: "1"), items: records),
        ])])
    }

    static func traceID(_ n: UInt64) -> TraceID { TraceID(high: 0xABCD_0000_0000_0000 | n, low: n &* 0x9E37_79B9) }

    /// (resource, scope, record) triples, order-free.
    struct Item: Hashable { var resource: Resource; var scope: InstrumentationScope; var record: LogRecord }

    static func items(_ batches: [LogBatch]) -> [Item: Int] {
        var counts: [Item: Int] = [:]
        for batch in batches {
            for r in batch.resources { for s in r.scopes { for rec in s.items { counts[Item(resource: r.resource, scope: s.scope, record: rec), default: 0] += 1 } } }
        }
        return counts
    }

    static func nginxLine(_ i: Int, rng: inout SplitMix) -> String {
        let ips = ["10.0.\(rng.next() % 4).\(rng.next() % 250)", "192.168.1.\(rng.next() % 250)", "172.16.\(rng.next() % 8).\(rng.next() % 250)"]
        let paths = ["/api/v1/users", "/api/v1/orders", "/static/app.js", "/healthz", "/api/v1/products/\(rng.next() % 5000)", "/login", "/cart/checkout"]
        let statuses = [200, 200, 200, 200, 201, 204, 301, 304, 400, 404, 500]
        let agents = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
                      "curl/8.5.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
                      "Prometheus/2.51.0", "Go-http-client/1.1"]
        let sec = i / 50
        let method = ["GET", "GET", "GET", "POST", "PUT"][Int(rng.next() % 5)]
        return "\(ips[Int(rng.next() % 3)]) - - [14/Nov/2023:22:\(String(format: "%02d", (sec / 60) % 60)):\(String(format: "%02d", sec % 60)) +0000] "
            + "\"\(method) \(paths[Int(rng.next() % UInt64(paths.count))]) HTTP/1.1\" \(statuses[Int(rng.next() % UInt64(statuses.count))]) \(rng.next() % 20000) "
            + "\"https://shop.example.com/\" \"\(agents[Int(rng.next() % UInt64(agents.count))])\" rt=0.\(String(format: "%03d", rng.next() % 1000))"
    }

    static func jsonLine(_ i: Int, rng: inout SplitMix) -> (String, TraceID) {
        let levels = ["info", "info", "info", "info", "debug", "warn", "error"]
        let messages = ["request completed", "cache miss for key", "user authenticated", "order placed", "payment authorised",
                        "retrying upstream call", "slow query detected"]
        let id = TraceID(high: rng.next(), low: rng.next())
        let line = "{\"ts\":\"2023-11-14T22:13:\(String(format: "%02d", (i / 100) % 60)).\(String(format: "%06d", i % 1_000_000))Z\",\"level\":\"\(levels[Int(rng.next() % 7)])\","
            + "\"logger\":\"com.example.checkout.\(["OrderService", "PaymentClient", "CartController"][Int(rng.next() % 3)])\","
            + "\"msg\":\"\(messages[Int(rng.next() % 7)])\",\"trace_id\":\"\(id.hex)\",\"span_id\":\"\(SpanID(rng.next()).hex)\","
            + "\"user_id\":\(rng.next() % 100000),\"duration_ms\":\(rng.next() % 2000),\"status\":\(200 + (rng.next() % 3) * 100)}"
        return (line, id)
    }
}

/// Deterministic PRNG.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
