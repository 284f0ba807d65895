import Foundation
import KansokuAPI
import KansokuModel
import Testing

@Suite("Tempo search and tag responses")
struct TempoSearchAndTagsTests {
    private func dict(_ any: Any?) throws -> [String: Any] { try #require(any as? [String: Any]) }
    private func list(_ any: Any?) throws -> [Any] { try #require(any as? [Any]) }
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("search: root, extent, span sets and metrics")
    func search() throws {
        let spans = TempoFixtures.spans
        let body = TempoResponses.search([(trace: TempoFixtures.trace, matched: [spans[1], spans[2]])],
                                         metrics: TempoSearchMetrics(inspectedTraces: 7, inspectedBytes: 12345),
                                         spansPerSpanSet: 1)
        let root = try dict(TempoFixtures.parse(body))
        let trace = try dict(list(root["traces"]).first)
        #expect(trace["traceID"] as? String == "5b8efff798038103d269b633813fc60c")
        #expect(trace["rootServiceName"] as? String == "shop")
        #expect(trace["rootTraceName"] as? String == "GET /checkout")
        #expect(trace["startTimeUnixNano"] as? String == "1544712660000000000")
        #expect(trace["durationMs"] as? Int == 1500)
        let spanSet = try dict(list(trace["spanSets"]).first)
        #expect(spanSet["matched"] as? Int == 2)
        let listed = try list(spanSet["spans"])
        #expect(listed.count == 1)
        let span = try dict(listed[0])
        #expect(span["spanID"] as? String == "0000000000000001")
        #expect(span["name"] as? String == "SELECT")
        #expect(span["startTimeUnixNano"] as? String == "1544712660200000000")
        #expect(span["durationNanos"] as? String == "100000000")
        let attribute = try dict(list(span["attributes"]).first)
        #expect(attribute["key"] as? String == "db.system")
        #expect(try dict(attribute["value"])["stringValue"] as? String == "postgresql")
        let metrics = try dict(root["metrics"])
        #expect(metrics["inspectedTraces"] as? Int == 7)
        #expect(metrics["inspectedBytes"] as? String == "12345")
    }

    @Test("search: without a parentless span the earliest span is the root; empty traces are skipped")
    func searchFallbackRoot() throws {
        let orphanTrace = SpanBatch(resources: [ResourceItems(
            resource: Resource(attributes: [Attribute(key: "service.name", value: .string("late"))]),
            scopes: [ScopedItems(scope: InstrumentationScope(), items: [
                Span(traceID: TempoFixtures.otherTraceID, spanID: SpanID(2), parentSpanID: SpanID(9), name: "second",
                     startTimeUnixNano: 2_000_000, endTimeUnixNano: 9_000_000),
                Span(traceID: TempoFixtures.otherTraceID, spanID: SpanID(3), parentSpanID: SpanID(9), name: "first",
                     startTimeUnixNano: 1_000_000, endTimeUnixNano: 3_000_000),
            ])])])
        let body = TempoResponses.search([(trace: SpanBatch(), matched: []), (trace: orphanTrace, matched: [])],
                                         metrics: TempoSearchMetrics())
        #expect(text(body) == #"{"traces":[{"traceID":"0000000000000000000000000000abcd","rootServiceName":"late","#
            + #""rootTraceName":"first","startTimeUnixNano":"1000000","durationMs":8}],"#
            + #""metrics":{"inspectedTraces":0,"inspectedBytes":"0"}}"#)
    }

    @Test("search: attributeKeys picks which span attributes are listed")
    func searchAttributeFilter() throws {
        let root = TempoFixtures.spans[0]
        let body = TempoResponses.search([(trace: TempoFixtures.trace, matched: [root])], metrics: TempoSearchMetrics(),
                                         attributeKeys: ["http.method"])
        let span = try dict(list(dict(list(dict(list(dict(TempoFixtures.parse(body))["traces"]).first)["spanSets"]).first)["spans"]).first)
        #expect(try list(span["attributes"]).count == 1)
    }

    @Test("tag names v1: resource and span keys, sorted, deduplicated, limited")
    func tagNamesV1() throws {
        var collector = TempoTagNameCollector()
        collector.collect(TempoFixtures.trace)
        collector.collect(TempoFixtures.trace)
        let names = try list(dict(TempoFixtures.parse(collector.v1Body()))["tagNames"]) as? [String]
        #expect(names == ["big", "cached", "db.system", "emptyString", "host.name", "http.method", "http.status_code",
                          "list", "map", "nothing", "ratio", "raw", "service.name"])
        #expect(text(collector.v1Body(limit: 2)) == #"{"tagNames":["big","cached"]}"#)
    }

    @Test("tag names v2: resource, span and intrinsic scopes")
    func tagNamesV2() throws {
        var collector = TempoTagNameCollector()
        collector.collect(TempoFixtures.trace)
        let scopes = try list(dict(TempoFixtures.parse(collector.v2Body(limit: 3)))["scopes"]).map { try dict($0) }
        #expect(scopes.map { $0["name"] as? String } == ["resource", "span", "intrinsic"])
        #expect(scopes[0]["tags"] as? [String] == ["host.name", "service.name"])
        #expect(scopes[1]["tags"] as? [String] == ["big", "cached", "db.system"])
        #expect(scopes[2]["tags"] as? [String] == ["duration", "kind", "name", "rootName", "rootServiceName",
                                                   "status", "statusMessage", "traceDuration"])
        #expect(text(collector.v2Body(scope: "resource"))
                == #"{"scopes":[{"name":"resource","tags":["host.name","service.name"]}]}"#)
        #expect(try list(dict(TempoFixtures.parse(collector.v2Body(scope: "all")))["scopes"]).count == 3)
    }

    @Test("tag names: the collector stops growing at its cap")
    func tagNamesCap() {
        var collector = TempoTagNameCollector(maxNamesPerScope: 1)
        #expect(!collector.isFull)
        collector.collect(TempoFixtures.trace)
        #expect(collector.resourceTags.count == 1 && collector.spanTags.count == 1)
        #expect(collector.isFull)
    }

    @Test("tag selectors parse v1 names and TraceQL identifiers")
    func selectors() {
        #expect(TempoTagSelector(v1Name: "service.name") == .attribute(.any, key: "service.name"))
        #expect(TempoTagSelector(traceQL: "resource.service.name") == .attribute(.resource, key: "service.name"))
        #expect(TempoTagSelector(traceQL: "span.http.method") == .attribute(.span, key: "http.method"))
        #expect(TempoTagSelector(traceQL: ".http.method") == .attribute(.any, key: "http.method"))
        #expect(TempoTagSelector(traceQL: "status") == .intrinsic(.status))
        #expect(TempoTagSelector(traceQL: "trace:rootService") == .intrinsic(.rootServiceName))
        #expect(TempoTagSelector(traceQL: "http.method") == nil)
        #expect(TempoTagSelector(traceQL: "span.") == nil)
    }

    @Test("tag values v1: string values only, sorted and deduplicated")
    func tagValuesV1() throws {
        var collector = TempoTagValueCollector(selector: TempoTagSelector(v1Name: "service.name"))
        collector.collect(TempoFixtures.trace)
        collector.collect(TempoFixtures.trace)
        #expect(text(collector.v1Body()) == #"{"tagValues":["db","shop"]}"#)
        #expect(text(collector.v1Body(limit: 1)) == #"{"tagValues":["db"]}"#)
        var ints = TempoTagValueCollector(selector: TempoTagSelector(v1Name: "http.status_code"))
        ints.collect(TempoFixtures.trace)
        #expect(text(ints.v1Body()) == #"{"tagValues":[]}"#)
    }

    @Test("tag values v2: typed values, scopes respected")
    func tagValuesV2() throws {
        func body(_ tag: String, limit: Int = .max) throws -> String {
            var collector = TempoTagValueCollector(selector: try #require(TempoTagSelector(traceQL: tag)))
            collector.collect(TempoFixtures.trace)
            return text(collector.v2Body(limit: limit))
        }
        #expect(try body("resource.service.name") == #"{"tagValues":[{"type":"string","value":"db"},{"type":"string","value":"shop"}]}"#)
        #expect(try body("span.service.name") == #"{"tagValues":[]}"#)
        #expect(try body(".http.status_code") == #"{"tagValues":[{"type":"int","value":"200"}]}"#)
        #expect(try body("span.ratio") == #"{"tagValues":[{"type":"float","value":"0.25"}]}"#)
        #expect(try body("span.cached") == #"{"tagValues":[{"type":"bool","value":"false"}]}"#)
        #expect(try body("name", limit: 2) == #"{"tagValues":[{"type":"string","value":"GET /checkout"},{"type":"string","value":"SELECT"}]}"#)
        #expect(try body("status") == #"{"tagValues":[{"type":"keyword","value":"error"},{"type":"keyword","value":"ok"},{"type":"keyword","value":"unset"}]}"#)
        #expect(try body("kind") == #"{"tagValues":[{"type":"keyword","value":"client"},{"type":"keyword","value":"internal"},{"type":"keyword","value":"server"}]}"#)
        #expect(try body("rootServiceName") == #"{"tagValues":[{"type":"string","value":"shop"}]}"#)
        #expect(try body("rootName") == #"{"tagValues":[{"type":"string","value":"GET /checkout"}]}"#)
        #expect(try body("statusMessage") == #"{"tagValues":[{"type":"string","value":"boom"}]}"#)
        #expect(try body("duration") == #"{"tagValues":[]}"#)
    }

    @Test("tag values: the collector stops at maxValues")
    func tagValuesCap() {
        var collector = TempoTagValueCollector(selector: .intrinsic(.name), maxValues: 2)
        collector.collect(TempoFixtures.trace)
        #expect(collector.values.count == 2)
        #expect(collector.isFull)
    }
}
