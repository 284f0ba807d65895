import Foundation
import KansokuModel
@testable import KansokuStorage
import Testing

/// What the catalogue section costs in a block of 38,000 spans with the
/// benchmark workload's attributes (bench/otlp-ingest/payloads.py): server,
/// database, HTTP client and internal spans, `url.full`, `client.address`,
/// `enduser.id`, sizes and durations with near-unique values, 60 resources.
/// Measured when written: 6.7 kB stored (16.7 kB raw) of a 1.74 MB block,
/// 34 span keys of which 10 capped: 0.18 B/span, 0.39 % of the block.
@Suite("Trace block attribute catalogue size")
struct TraceBlockAttributeCatalogSizeTests {
    @Test("a realistic 38,000-span block's catalogue stays under 1% of the block")
    func realisticBlock() throws {
        var rng = SplitMix64(seed: 2024)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        func hex(_ bits: Int) -> String { String(rng.next() & ((1 << UInt64(bits)) - 1), radix: 16) }
        let services = ["frontend", "checkout", "cart", "payments", "shipping", "inventory", "orders", "order-history", "recommendation",
                        "auth", "catalog", "pricing", "search", "user-profile", "notification", "email", "fraud-detection", "ads",
                        "currency", "quote"]
        let resources: [Resource] = services.flatMap { service in
            (0..<3).map { i in
                Resource(attributes: [
                    Attribute(key: "service.name", value: .string(service)),
                    Attribute(key: "service.version", value: .string("1.\(i).0")),
                    Attribute(key: "host.name", value: .string("ip-10-42-\(i)-\(17 + i).eu-west-1.compute.internal")),
                    Attribute(key: "k8s.pod.name", value: .string("\(service)-\(hex(36))-\(hex(20))")),
                    Attribute(key: "k8s.namespace.name", value: .string("shop-prod")),
                    Attribute(key: "deployment.environment", value: .string("production")),
                ])
            }
        }
        let routes = ["/api/cart", "/api/cart/{id}", "/api/checkout", "/api/products/{sku}", "/api/orders/{id}", "/api/users/{id}",
                      "/api/search", "/api/recommendations", "/health"]
        let agents = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4) Safari/604.1",
                      "okhttp/4.12.0", "python-requests/2.31.0"]
        let statements = ["SELECT * FROM orders WHERE id = $1", "SELECT * FROM cart_items WHERE cart_id = $1", "UPDATE inventory SET qty = qty - $1 WHERE sku = $2",
                          "INSERT INTO payments (order_id, amount) VALUES ($1, $2)", "SELECT price FROM prices WHERE sku = $1"]
        var writer = TraceBlockWriter()
        var batch: [ResourceItems<Span>] = []
        var spans = 0
        while spans < 38_000 {
            let trace = TraceID(high: rng.next(), low: rng.next())
            let count = 5 + pick(26)
            let root = rng.next()
            for s in 0..<count {
                let spanID = s == 0 ? root : rng.next()
                let kind = s == 0 ? 0 : pick(4)  // 0 server, 1 db, 2 client, 3 internal
                let status = [200, 200, 200, 201, 404, 500][pick(6)]
                var attributes: [Attribute]
                switch kind {
                case 0:
                    let route = routes[pick(routes.count)]
                    let concrete = route.replacingOccurrences(of: "{id}", with: "\(100_000 + pick(9_900_000))")
                        .replacingOccurrences(of: "{sku}", with: "SKU-\(1000 + pick(99_000))")
                    attributes = [
                        Attribute(key: "http.method", value: .string(["GET", "POST", "PUT", "DELETE"][pick(4)])),
                        Attribute(key: "http.route", value: .string(route)),
                        Attribute(key: "url.full", value: .string("https://shop.example.com\(concrete)?locale=en-GB&session=\(hex(48))")),
                        Attribute(key: "user_agent.original", value: .string(agents[pick(agents.count)])),
                        Attribute(key: "http.status_code", value: .int(Int64(status))),
                        Attribute(key: "server.port", value: .int(8080)),
                        Attribute(key: "client.address", value: .string("10.42.\(pick(256)).\(1 + pick(254))")),
                        Attribute(key: "http.response.body.size", value: .int(Int64(120 + pick(48_000)))),
                        Attribute(key: "cache.hit", value: .bool(pick(10) < 3)),
                        Attribute(key: "http.server.duration_ms", value: .double(Double(pick(250_000)) / 1000)),
                        Attribute(key: "enduser.id", value: .string("usr_\(String(format: "%06d", 1 + pick(200_000)))")),
                    ]
                case 1:
                    attributes = [
                        Attribute(key: "db.system", value: .string("postgresql")), Attribute(key: "db.name", value: .string("shop")),
                        Attribute(key: "db.operation", value: .string(["SELECT", "UPDATE", "INSERT"][pick(3)])),
                        Attribute(key: "db.sql.table", value: .string(["orders", "cart_items", "inventory", "payments", "prices"][pick(5)])),
                        Attribute(key: "db.statement", value: .string(statements[pick(statements.count)])),
                        Attribute(key: "server.address", value: .string("orders-db.shop-prod.svc.cluster.local")),
                        Attribute(key: "server.port", value: .int(5432)),
                        Attribute(key: "db.rows_returned", value: .int(Int64(pick(41)))),
                        Attribute(key: "db.prepared", value: .bool(pick(10) < 8)),
                        Attribute(key: "db.duration_ms", value: .double(Double(pick(50_000)) / 1000)),
                    ]
                case 2:
                    let peer = services[pick(services.count)]
                    attributes = [
                        Attribute(key: "http.method", value: .string("GET")),
                        Attribute(key: "url.full", value: .string("http://\(peer).shop-prod.svc.cluster.local:8080/api/products/SKU-\(1000 + pick(99_000))")),
                        Attribute(key: "server.address", value: .string("\(peer).shop-prod.svc.cluster.local")),
                        Attribute(key: "server.port", value: .int(8080)), Attribute(key: "http.status_code", value: .int(Int64(status))),
                        Attribute(key: "network.protocol.version", value: .string("1.1")),
                        Attribute(key: "user_agent.original", value: .string("shop-http-client/2.3")),
                        Attribute(key: "http.request.resend_count", value: .int(0)), Attribute(key: "http.retried", value: .bool(false)),
                        Attribute(key: "http.client.duration_ms", value: .double(Double(pick(80_000)) / 1000)),
                    ]
                default:
                    let op = ["authorize_user", "apply_rules", "encode_payload", "cache_lookup", "retry_policy"][pick(5)]
                    attributes = [
                        Attribute(key: "code.function", value: .string(op)),
                        Attribute(key: "code.namespace", value: .string("com.example.shop.handlers")),
                        Attribute(key: "code.filepath", value: .string("src/handlers/\(op).py")),
                        Attribute(key: "code.lineno", value: .int(Int64(20 + pick(880)))),
                        Attribute(key: "thread.name", value: .string("worker-\(pick(16))")),
                        Attribute(key: "thread.id", value: .int(Int64(1000 + pick(39_000)))),
                        Attribute(key: "app.items.count", value: .int(Int64(1 + pick(12)))),
                        Attribute(key: "app.customer.tier", value: .string(["free", "plus", "business"][pick(3)])),
                        Attribute(key: "app.feature_flag.new_pricing", value: .bool(pick(2) == 0)),
                        Attribute(key: "app.step.duration_ms", value: .double(Double(pick(30_000)) / 1000)),
                    ]
                }
                let error = status == 500 || pick(33) == 0
                let span = Span(traceID: trace, spanID: SpanID(spanID), parentSpanID: s == 0 ? .zero : SpanID(root),
                                name: kind == 1 ? "SELECT shop.orders" : "op-\(pick(84))", kind: kind == 0 ? .server : kind == 3 ? .internal : .client,
                                startTimeUnixNano: 1_700_000_000_000_000_000 + UInt64(spans) * 1_000_000, endTimeUnixNano: 1_700_000_000_000_000_000 + UInt64(spans) * 1_000_000 + 5_000_000,
                                attributes: attributes,
                                status: SpanStatus(code: error ? .error : .unset, message: error ? "upstream returned \(status) for request \(hex(32))" : ""))
                spans += 1
                batch.append(ResourceItems(resource: resources[pick(resources.count)], scopes: [ScopedItems(scope: InstrumentationScope(name: "otel"), items: [span])]))
            }
            if batch.count > 512 {
                writer.append(SpanBatch(resources: batch))
                batch = []
            }
        }
        writer.append(SpanBatch(resources: batch))
        let (bytes, _) = try writer.encode()
        try TraceBlockTestKit.withTemporaryDirectory { dir in
            let path = dir + "/realistic.ktb"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let reader = try TraceBlockReader(path: path)
            let section = try #require(reader.sectionSizes().first { $0.section == TraceBlockSectionKind.attributeCatalog.name })
            #expect(section.storedBytes * 100 < bytes.count, "\(section.storedBytes) B of \(bytes.count)")
            let catalog = try #require(try reader.attributeCatalog())
            #expect(catalog.spanAttributes.count == 34)
            let capped = Set(catalog.spanAttributes.filter { !$0.value.isComplete }.keys)
            #expect(capped.isSuperset(of: ["url.full", "enduser.id", "client.address", "http.response.body.size"]))
            #expect(catalog.spanAttributes["http.route"]?.values.count == routes.count && catalog.spanAttributes["http.route"]?.isComplete == true)
            #expect(catalog.resourceAttributes["k8s.pod.name"]?.values.count == resources.count)
        }
    }
}
