import Foundation
import KansokuAPI
import KansokuModel
import Testing

@Suite("Debug item rendering")
struct DebugItemRendererTests {
    typealias Fixtures = DebugRenderingFixtures
    typealias Object = [String: Any]

    /// Renders through `DebugResponse` and parses the result with Foundation.
    private func render<Item: DebugRenderable>(_ batches: [TelemetryBatch<Item>], filter: DebugFilter = DebugFilter()) throws
        -> (signal: String?, items: [Object]) {
        var response = DebugResponse<Item>(filter: filter)
        for batch in batches { response.append(batch) }
        let count = response.itemCount
        let body = response.finish()
        let root = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? Object)
        let items = try #require(root["items"] as? [Object])
        #expect(items.count == count)
        return (root["signal"] as? String, items)
    }

    private func keys(_ object: Object?) -> Set<String> { Set(object?.keys.map { $0 } ?? []) }

    /// Checks the JSON rendering of `Fixtures.everyValue`.
    private func expectEveryValue(_ attributes: Object?) {
        #expect(attributes?["string"] as? String == "v\"1\"")
        #expect(attributes?["int"] as? Int == -42)
        #expect(attributes?["double"] as? Double == 2.5)
        #expect(attributes?["nan"] as? String == "NaN")
        #expect(attributes?["bool"] as? Bool == true)
        #expect(attributes?["bytes"] as? String == "3q2+7w==")
        let array = attributes?["array"] as? [Any]
        #expect(array?.count == 3)
        #expect(array?.first as? Int == 1)
        #expect(array?[1] as? String == "two")
        #expect(array?[2] is NSNull)
        #expect((attributes?["kvlist"] as? Object)?["inner"] as? Double == -0.5)
        #expect(attributes?["empty"] is NSNull)
    }

    private func expectCheckoutContext(_ item: Object) {
        let resource = item["resource"] as? Object
        #expect(resource?["service.name"] as? String == "checkout")
        #expect(resource?["host.cpus"] as? Int == 8)
        let scope = item["scope"] as? Object
        #expect(scope?["name"] as? String == "io.otel.http")
        #expect(scope?["version"] as? String == "1.0.0")
        #expect((scope?["attributes"] as? Object)?["scope.flag"] as? Bool == true)
    }

    @Test func spanItems() throws {
        let (signal, items) = try render([Fixtures.spanBatch])
        #expect(signal == "traces")
        #expect(items.count == 3)
        let span = items[0]
        #expect(keys(span) == ["traceId", "spanId", "parentSpanId", "traceState", "name", "kind", "startTimeUnixNano",
                               "endTimeUnixNano", "attributes", "events", "links", "status", "resource", "scope"])
        #expect(span["traceId"] as? String == "0af7651916cd43dd8448eb211c80319c")
        #expect(span["spanId"] as? String == "b7ad6b7169203331")
        #expect(span["parentSpanId"] as? String == "")
        #expect(span["traceState"] as? String == "k=v")
        #expect(span["name"] as? String == "GET /cart")
        #expect(span["kind"] as? Int == 2)
        #expect(span["startTimeUnixNano"] as? String == "1700000000000000001")
        #expect(span["endTimeUnixNano"] as? String == "1700000000500000000")
        expectEveryValue(span["attributes"] as? Object)

        let events = try #require(span["events"] as? [Object])
        #expect(events.count == 1)
        #expect(keys(events.first) == ["name", "timeUnixNano", "attributes"])
        #expect(events.first?["timeUnixNano"] as? String == "1700000000100000000")
        #expect((events.first?["attributes"] as? Object)?["exception.message"] as? String == "boom")

        let links = try #require(span["links"] as? [Object])
        #expect(keys(links.first) == ["traceId", "spanId", "traceState", "attributes"])
        #expect(links.first?["traceId"] as? String == "00000000000000010000000000000002")
        #expect(links.first?["spanId"] as? String == "0000000000000003")

        let status = span["status"] as? Object
        #expect(keys(status) == ["code", "message"])
        #expect(status?["code"] as? Int == 2)
        #expect(status?["message"] as? String == "failed")
        expectCheckoutContext(span)

        #expect(items[1]["parentSpanId"] as? String == "b7ad6b7169203331")
        #expect((items[1]["events"] as? [Any])?.isEmpty == true)
        #expect((items[2]["resource"] as? Object)?["service.name"] as? String == "cart")
        #expect((items[2]["scope"] as? Object)?["name"] as? String == "cart.lib")
    }

    @Test func spanFilters() throws {
        let byTrace = try render([Fixtures.spanBatch], filter: DebugFilter(traceID: Fixtures.traceA))
        #expect(byTrace.items.map { $0["name"] as? String } == ["GET /cart", "cart.add"])

        let byService = try render([Fixtures.spanBatch], filter: DebugFilter(serviceName: "checkout"))
        #expect(byService.items.map { $0["name"] as? String } == ["GET /cart", "SELECT"])

        let both = try render([Fixtures.spanBatch], filter: DebugFilter(traceID: Fixtures.traceA, serviceName: "cart"))
        #expect(both.items.map { $0["name"] as? String } == ["cart.add"])

        let none = try render([Fixtures.spanBatch], filter: DebugFilter(serviceName: "nope"))
        #expect(none.items.isEmpty)
    }

    @Test func limitSpansAcrossBatches() throws {
        let limited = try render([Fixtures.spanBatch, Fixtures.spanBatch], filter: DebugFilter(limit: 4))
        #expect(limited.items.map { $0["name"] as? String } == ["GET /cart", "SELECT", "cart.add", "GET /cart"])
        #expect(try render([Fixtures.spanBatch], filter: DebugFilter(limit: 0)).items.isEmpty)
        #expect(try render([Fixtures.spanBatch], filter: DebugFilter(limit: -1)).items.isEmpty)

        var response = DebugResponse<Span>(filter: DebugFilter(limit: 2))
        response.append(Fixtures.spanBatch)
        #expect(response.isFull)
        #expect(response.itemCount == 2)
    }

    @Test func logItems() throws {
        let (signal, items) = try render([Fixtures.logBatch])
        #expect(signal == "logs")
        #expect(items.count == 2)
        let log = items[0]
        #expect(keys(log) == ["timeUnixNano", "observedTimeUnixNano", "severityNumber", "severityText", "body",
                              "attributes", "traceId", "spanId", "flags", "eventName", "resource", "scope"])
        #expect(log["timeUnixNano"] as? String == "1700000000000000001")
        #expect(log["observedTimeUnixNano"] as? String == "1700000000000000002")
        #expect(log["severityNumber"] as? Int == 17)
        #expect(log["severityText"] as? String == "ERROR")
        #expect(log["body"] as? String == "payment failed\n")
        expectEveryValue(log["attributes"] as? Object)
        #expect(log["traceId"] as? String == "0af7651916cd43dd8448eb211c80319c")
        #expect(log["spanId"] as? String == "0000000000000042")
        #expect(log["flags"] as? Int == 1)
        #expect(log["eventName"] as? String == "payment.failed")
        expectCheckoutContext(log)

        let structured = items[1]
        #expect(structured["timeUnixNano"] as? String == "0")
        #expect(structured["traceId"] as? String == "")
        #expect(structured["spanId"] as? String == "")
        #expect((structured["body"] as? Object)?["msg"] as? String == "structured")
        #expect((structured["body"] as? Object)?["n"] as? Int == 3)

        let byTrace = try render([Fixtures.logBatch], filter: DebugFilter(traceID: Fixtures.traceA))
        #expect(byTrace.items.count == 1)
    }

    @Test func rendererAppendsBareItems() throws {
        var json = JSONWriter()
        json.beginArray()
        let written = DebugItemRenderer.appendLogs(of: Fixtures.logBatch, matching: DebugFilter(), to: &json, limit: 1)
        let more = DebugItemRenderer.appendSpans(of: Fixtures.spanBatch, matching: DebugFilter(), to: &json, limit: 10)
        json.endArray()
        #expect(written == 1)
        #expect(more == 3)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [Object])
        #expect(array.count == 4)
    }

    @Test func emptyResponse() throws {
        let body = DebugResponse<LogRecord>(filter: DebugFilter()).finish()
        #expect(String(decoding: body, as: UTF8.self) == #"{"signal":"logs","items":[]}"#)
    }
}
