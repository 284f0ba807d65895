import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KansokuModel
import KansokuStorage
import Logging
import NIOCore
import Testing
@testable import KansokuAPI

/// Tempo's tag endpoints answered from the store's catalogue and operations:
/// the same bodies as the scan of every span they replace, and over HTTP a
/// header when a high-cardinality key's list is cut.
@Suite("Tempo tags from the store's attribute catalogue")
struct TempoTagCatalogTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static let tags = ["resource.service.name", "span.service.name", ".service.name", "resource.host.name", ".http.status_code",
                       "span.ratio", "span.cached", "span.big", ".list", ".nothing", ".emptyString", ".missing", "name", "status",
                       "kind", "statusMessage", "rootName", "rootServiceName", "duration", "traceDuration", "span:name",
                       "trace:rootService"]

    @Test("every tag's values equal the scan's, v1 and v2, and are complete")
    func valuesMatchTheScan() throws {
        let store = JaegerTestStore([TempoFixtures.trace, TempoFixtures.trace])
        for tag in Self.tags {
            let selector = try #require(TempoTagSelector(traceQL: tag))
            var scanned = TempoTagValueCollector(selector: selector)
            try store.forEachBatch { scanned.collect($0); return true }
            var catalogued = TempoTagValueCollector(selector: selector)
            #expect(try catalogued.collect(from: store), "\(tag) complete")
            #expect(text(catalogued.v2Body()) == text(scanned.v2Body()), "\(tag)")
            #expect(text(catalogued.v1Body()) == text(scanned.v1Body()), "\(tag)")
        }
        for name in ["service.name", "http.method", "http.status_code", "none"] {
            var scanned = TempoTagValueCollector(selector: TempoTagSelector(v1Name: name))
            try store.forEachBatch { scanned.collect($0); return true }
            var catalogued = TempoTagValueCollector(selector: TempoTagSelector(v1Name: name))
            _ = try catalogued.collect(from: store)
            #expect(text(catalogued.v1Body()) == text(scanned.v1Body()), "\(name)")
        }
    }

    @Test("tag names equal the scan's in every scope")
    func namesMatchTheScan() throws {
        let store = JaegerTestStore([TempoFixtures.trace])
        var scanned = TempoTagNameCollector()
        try store.forEachBatch { scanned.collect($0); return true }
        var catalogued = TempoTagNameCollector()
        try catalogued.collect(from: store)
        #expect(text(catalogued.v1Body()) == text(scanned.v1Body()))
        for scope in [nil, "resource", "span", "intrinsic", "all"] {
            #expect(text(catalogued.v2Body(scope: scope)) == text(scanned.v2Body(scope: scope)))
        }
        var capped = TempoTagNameCollector(maxNamesPerScope: 2)
        try capped.collect(from: store)
        #expect(capped.spanTags == ["big", "cached"], "the smallest names are kept")
    }

    @Test("the value cap marks a list incomplete")
    func collectorCap() throws {
        var collector = TempoTagValueCollector(selector: .attribute(.any, key: "service.name"), maxValues: 1)
        #expect(try collector.collect(from: JaegerTestStore([TempoFixtures.trace])) == false)
        #expect(collector.values == [TempoTagValue(type: "string", value: "db")])
    }

    /// 150 spans of a real store (~350 B each: segments of ~90), in a block and the WAL tail, each with its own `url.full`.
    static func withStore(_ body: (TraceStore) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.path + "/kansoku-tempo-tags-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try WriteAheadLog(directory: "\(dir)/wal", signal: "traces", options: WALOptions(segmentSizeBytes: 32 * 1024, fsync: false),
                                    logger: Logger(label: "test"))
        let store = try TraceStore(log: log, blocksDirectory: "\(dir)/blocks", logger: Logger(label: "test"))
        for i in 0..<150 {
            let span = Span(traceID: TraceID(high: 1, low: UInt64(i + 1)), spanID: SpanID(UInt64(i + 1)), name: "GET /\(i % 3)",
                            kind: .server, startTimeUnixNano: 1_000 + UInt64(i), endTimeUnixNano: 2_000 + UInt64(i),
                            attributes: [Attribute(key: "url.full", value: .string("https://x.example/\(1000 + i)")),
                                         Attribute(key: "http.method", value: .string(i % 2 == 0 ? "GET" : "POST")),
                                         Attribute(key: "padding", value: .bytes([UInt8](repeating: 7, count: 200)))],
                            status: SpanStatus(code: i % 10 == 0 ? .error : .unset))
            let service = Resource(attributes: [Attribute(key: "service.name", value: .string("svc-\(i % 2)"))])
            try await store.append(SpanBatch(resources: [ResourceItems(resource: service, scopes: [ScopedItems(scope: InstrumentationScope(), items: [span])])]))
            if i == 100 { #expect(try store.compact() >= 1) }
        }
        try await body(store)
        await store.close()
    }

    @Test("over HTTP: catalogue answers, and X-Kansoku-Incomplete on a cut list")
    func routes() async throws {
        try await Self.withStore { store in
            let router = Router()
            TempoRoutes(traces: store, version: "test").addRoutes(to: router)
            try await Application(router: router).test(.router) { client in
                func get(_ path: String) async throws -> (HTTPResponse.Status, String, String?) {
                    try await client.execute(uri: "/tempo" + path, method: .get) { response in
                        (response.status, String(buffer: response.body), response.headers[TempoRoutes.incompleteValuesHeader])
                    }
                }
                let (status, urls, incomplete) = try await get("/api/v2/search/tag/span.url.full/values")
                #expect(status == .ok && incomplete == "true")
                let listed = try #require(try JSONSerialization.jsonObject(with: Data(urls.utf8)) as? [String: [[String: String]]])["tagValues"]
                // Each segment and block keeps its 64 smallest: together, a prefix of at least 64 of the 150.
                let count = listed?.count ?? 0
                #expect(count >= TraceAttributeCatalog.valuesPerKey && count < 150)
                #expect(listed?.map { $0["value"] ?? "" } == (0..<count).map { "https://x.example/\(1000 + $0)" }, "the smallest values")

                let methods = try await get("/api/v2/search/tag/span.http.method/values")
                #expect(methods.1 == #"{"tagValues":[{"type":"string","value":"GET"},{"type":"string","value":"POST"}]}"#)
                #expect(methods.2 == nil, "a complete list has no header")
                #expect(try await get("/api/search/tag/service.name/values").1 == #"{"tagValues":["svc-0","svc-1"]}"#)
                #expect(try await get("/api/v2/search/tag/status/values").1
                        == #"{"tagValues":[{"type":"keyword","value":"error"},{"type":"keyword","value":"unset"}]}"#)
                #expect(try await get("/api/v2/search/tag/rootServiceName/values").1
                        == #"{"tagValues":[{"type":"string","value":"svc-0"},{"type":"string","value":"svc-1"}]}"#)
                #expect(try await get("/api/v2/search/tag/name/values").1.contains(#""value":"GET /2""#))
                #expect(try await get("/api/search/tags").1 == #"{"tagNames":["http.method","padding","service.name","url.full"]}"#)
                #expect(try await get("/api/v2/search/tags?scope=span").1
                        == #"{"scopes":[{"name":"span","tags":["http.method","padding","url.full"]}]}"#)
            }
        }
    }
}
