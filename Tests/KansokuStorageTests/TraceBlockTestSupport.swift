import Foundation
@testable import KansokuStorage
import KansokuModel

/// Fixtures and helpers shared by the trace block tests.
enum TraceBlockTestKit {
    /// Runs `body` with a fresh directory that is removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.path + "/kansoku-block-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    /// Every attribute value case, nested containers included.
    static let everyValue: [Attribute] = [
        Attribute(key: "s", value: .string("värde ✓")),
        Attribute(key: "b", value: .bool(true)),
        Attribute(key: "i", value: .int(-42)),
        Attribute(key: "d", value: .double(-0.5)),
        Attribute(key: "big", value: .double(.greatestFiniteMagnitude)),
        Attribute(key: "bytes", value: .bytes([0, 1, 2, 255])),
        Attribute(key: "empty", value: .empty),
        Attribute(key: "array", value: .array([.int(1), .string("two"), .array([.bool(false), .empty])])),
        Attribute(key: "kv", value: .keyValueList([
            Attribute(key: "inner", value: .keyValueList([Attribute(key: "deep", value: .bytes([]))])),
            Attribute(key: "n", value: .int(.min)),
        ])),
        Attribute(key: "s", value: .string("duplicate keys keep their order")),
    ]

    static func traceID(_ n: UInt64) -> TraceID { TraceID(high: n &* 0x9E37_79B9_7F4A_7C15, low: ~n) }

    /// A span with every field set; `variant` spreads values around.
    static func richSpan(trace: UInt64, index: UInt64, start: UInt64) -> Span {
        Span(
            traceID: traceID(trace), spanID: SpanID(trace << 16 | index), parentSpanID: index == 0 ? .zero : index == 5 ? SpanID(0xDEAD_BEEF) : SpanID(trace << 16),
            traceState: index % 2 == 0 ? "" : "vendor=value,k=\(index)", flags: UInt32(index % 3 == 0 ? 0x301 : 1),
            name: "op-\(index % 4)", kind: SpanKind(rawValue: Int32(index % 6))!,
            startTimeUnixNano: start, endTimeUnixNano: index == 3 ? start - 7 : start + 1_000 * index,
            attributes: index % 2 == 0 ? everyValue : [Attribute(key: "http.route", value: .string("/r/\(index)"))],
            droppedAttributesCount: UInt32(index),
            events: index % 3 != 1 ? [] : [
                SpanEvent(timeUnixNano: start + 5, name: "exception",
                          attributes: [Attribute(key: "exception.message", value: .string("boom"))], droppedAttributesCount: 4),
                SpanEvent(timeUnixNano: 0, name: ""),
            ],
            droppedEventsCount: index == 2 ? .max : 0,
            links: index % 4 != 2 ? [] : [
                SpanLink(traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), traceState: "k=v", flags: .max,
                         attributes: everyValue, droppedAttributesCount: 6),
            ],
            droppedLinksCount: UInt32(index % 2),
            status: SpanStatus(code: SpanStatus.Code(rawValue: Int32(index % 3))!, message: index % 3 == 2 ? "failed ✗" : ""))
    }

    static let resources: [Resource] = [
        Resource(attributes: [Attribute(key: "service.name", value: .string("checkout")),
                              Attribute(key: "host.cpus", value: .int(8))], droppedAttributesCount: 2),
        Resource(attributes: [Attribute(key: "service.name", value: .string("cart")),
                              Attribute(key: "k8s", value: .keyValueList([Attribute(key: "pod", value: .string("p-1"))]))]),
        Resource(attributes: [Attribute(key: "host.name", value: .string("no-service"))]),
    ]

    static let scopes: [InstrumentationScope] = [
        InstrumentationScope(name: "io.opentelemetry.http", version: "0.9.1",
                             attributes: [Attribute(key: "scope.attr", value: .bool(true))], droppedAttributesCount: 1),
        InstrumentationScope(),
    ]

    /// Several batches whose traces are spread over resources, scopes and
    /// batches: trace t has spans in every batch.
    static func richBatches(traces: Int = 12, batches: Int = 3, spansPerTraceAndBatch: UInt64 = 3) -> [SpanBatch] {
        (0..<batches).map { b in
            SpanBatch(resources: resources.enumerated().map { r, resource in
                ResourceItems(resource: resource, schemaURL: r == 0 ? "https://opentelemetry.io/schemas/1.26.0" : "", scopes: [
                    ScopedItems(scope: scopes[r % 2], schemaURL: r == 1 ? "scope-schema" : "",
                                items: (0..<traces).filter { $0 % resources.count == r || b == 1 }.flatMap { t in
                                    (0..<spansPerTraceAndBatch).map { i in
                                        let index = UInt64(b) * spansPerTraceAndBatch + i
                                        // Later batches hold earlier spans, so sorting is exercised.
                                        let start = 1_700_000_000_000_000_000 + UInt64(t) * 1_000_000 + UInt64(batches - b) * 10_000 + i
                                        return richSpan(trace: UInt64(t), index: index, start: start)
                                    }
                                }),
                    ScopedItems(scope: scopes[1], items: []),
                ])
            } + [ResourceItems(resource: Resource(), scopes: [])])
        }
    }

    /// What the block must return: every input span with its resource and
    /// scope, in (trace id, start time, arrival) order.
    static func expectedRows(_ batches: [SpanBatch]) -> [TraceBlockSpan] {
        var rows: [TraceBlockSpan] = []
        for batch in batches {
            for r in batch.resources {
                for s in r.scopes {
                    for span in s.items {
                        rows.append(TraceBlockSpan(resource: r.resource, resourceSchemaURL: r.schemaURL,
                                                   scope: s.scope, scopeSchemaURL: s.schemaURL, span: span))
                    }
                }
            }
        }
        return rows.enumerated().sorted { a, b in
            let x = a.element.span, y = b.element.span
            return (x.traceID, x.startTimeUnixNano, a.offset) < (y.traceID, y.startTimeUnixNano, b.offset)
        }.map(\.element)
    }

    /// Writes `batches` as a block at `directory/name.ktb` and returns its path.
    static func writeBlock(_ batches: [SpanBatch], in directory: String, name: String = "block",
                           options: TraceBlockWriter.Options = .init()) throws -> String {
        var writer = TraceBlockWriter(options: options)
        for batch in batches { writer.append(batch) }
        let path = directory + "/" + name + "." + TraceBlockFormat.fileExtension
        try writer.write(to: path)
        return path
    }

    /// Reads every part of a block, so that damage anywhere surfaces.
    static func readEverything(_ path: String) throws -> [TraceBlockSpan] {
        let reader = try TraceBlockReader(path: path)
        var all: [TraceBlockSpan] = []
        try reader.forEachSpan { all.append($0) }
        for id in try reader.traceIDs() { _ = try reader.spans(of: id) }
        _ = try reader.durationStats()
        _ = try reader.attributeCatalog()
        return all
    }
}
