import Foundation
import KansokuModel
@testable import KansokuStorage
import Testing

@Suite("Trace block attribute catalogue")
struct TraceBlockAttributeCatalogTests {
    typealias Kit = TraceBlockTestKit
    static let cap = TraceAttributeCatalog.valuesPerKey

    static func resource(_ service: String?, _ more: [Attribute] = []) -> Resource {
        Resource(attributes: (service.map { [Attribute(key: "service.name", value: .string($0))] } ?? []) + more)
    }

    /// Spans whose attributes cover every value kind, a key with more
    /// distinct values than the cap, one with exactly the cap, doubles that
    /// only compare by bit pattern, and 70 resources with distinct ids.
    static func batches() -> [SpanBatch] {
        var spanID: UInt64 = 1
        func span(_ i: Int, trace: UInt64) -> Span {
            defer { spanID += 1 }
            var attributes: [Attribute] = [
                Attribute(key: "http.method", value: .string(["GET", "POST", "PUT"][i % 3])),
                Attribute(key: "url.full", value: .string("https://shop.example.com/item/\(1000 + i * 7 % 101)")),
                Attribute(key: "exactly.cap", value: .int(Int64(i % cap))),
                Attribute(key: "ratio", value: .double([0.5, -0.0, 0.0, .nan, -.infinity][i % 5])),
                Attribute(key: "cached", value: .bool(i % 2 == 0)),
                Attribute(key: "mixed", value: i % 2 == 0 ? .string("x\(i % 3)") : .int(Int64(i % 4))),
            ]
            if i % 10 == 0 {
                attributes += [Attribute(key: "blob", value: .bytes([1, 2])), Attribute(key: "list", value: .array([.int(1)])),
                               Attribute(key: "map", value: .keyValueList([])), Attribute(key: "nothing", value: .empty)]
            }
            return Span(traceID: Kit.traceID(trace), spanID: SpanID(spanID), parentSpanID: i % 4 == 0 ? .zero : SpanID(spanID - 1),
                        name: "op-\(i % 5)", kind: .server, startTimeUnixNano: 1_000 + UInt64(i), endTimeUnixNano: 2_000 + UInt64(i),
                        attributes: attributes,
                        status: SpanStatus(code: i % 7 == 0 ? .error : .unset, message: i % 7 == 0 ? "failed \(i % 3)" : ""))
        }
        return (0..<70).map { r in
            SpanBatch(resources: [
                ResourceItems(resource: resource(r % 9 == 8 ? nil : "svc-\(r % 3)", [Attribute(key: "host.id", value: .int(Int64(r)))]),
                              scopes: [ScopedItems(scope: InstrumentationScope(), items: (0..<3).map { span(r * 3 + $0, trace: UInt64(r / 2)) })]),
                // A resource without spans is not stored, so its keys are not catalogued.
                ResourceItems(resource: resource("idle", [Attribute(key: "idle.only", value: .bool(true))]), scopes: []),
            ])
        }
    }

    /// The catalogue expected of `batches`, computed without the builder.
    static func expected(_ batches: [SpanBatch]) -> TraceAttributeCatalog {
        var span: [String: (TraceAttributeTypes, Set<TraceAttributeValue>)] = [:]
        var resource: [String: (TraceAttributeTypes, Set<TraceAttributeValue>)] = [:]
        var catalog = TraceAttributeCatalog()
        var messages = Set<TraceAttributeValue>()
        func note(_ a: Attribute, in table: inout [String: (TraceAttributeTypes, Set<TraceAttributeValue>)]) {
            var entry = table[a.key] ?? ([], [])
            entry.0.insert(TraceAttributeTypes(of: a.value))
            if let v = TraceAttributeValue(a.value) { entry.1.insert(v) }
            table[a.key] = entry
        }
        for group in batches.flatMap(\.resources) where group.scopes.contains(where: { !$0.items.isEmpty }) {
            for a in group.resource.attributes { note(a, in: &resource) }
            for s in group.scopes.flatMap(\.items) {
                for a in s.attributes { note(a, in: &span) }
                catalog.statusCodes.insert(s.status.code)
                if !s.status.message.isEmpty { messages.insert(.string(s.status.message)) }
                if s.parentSpanID.isZero { catalog.rootOperations.insert(.init(service: group.resource.serviceName ?? "", name: s.name)) }
            }
        }
        func summary(_ entry: (TraceAttributeTypes, Set<TraceAttributeValue>), cap: Int) -> TraceAttributeSummary {
            TraceAttributeSummary(types: entry.0, values: Array(entry.1.sorted().prefix(cap)), isComplete: entry.1.count <= cap)
        }
        catalog.spanAttributes = span.mapValues { summary($0, cap: cap) }
        catalog.resourceAttributes = resource.mapValues { summary($0, cap: .max) }
        catalog.statusMessages = summary((messages.isEmpty ? [] : .string, messages), cap: cap)
        return catalog
    }

    @Test("round trip: keys, kinds, capped smallest values, truncation, intrinsics, resources from the table")
    func roundTrip() throws {
        try Kit.withTemporaryDirectory { dir in
            let batches = Self.batches()
            let reader = try TraceBlockReader(path: try Kit.writeBlock(batches, in: dir, options: .init(rowGroupSize: 16)))
            let catalog = try #require(try reader.attributeCatalog())
            let expected = Self.expected(batches)
            #expect(catalog == expected)

            let url = try #require(catalog.spanAttributes["url.full"])
            #expect(!url.isComplete && url.values.count == Self.cap, "101 distinct urls, 64 kept")
            #expect(url.values.first == .string("https://shop.example.com/item/1000"))
            let exact = try #require(catalog.spanAttributes["exactly.cap"])
            #expect(exact.isComplete && exact.values == (0..<Int64(Self.cap)).map { .int($0) })
            #expect(catalog.spanAttributes["ratio"]?.values.count == 5, "NaN once, -0.0 and 0.0 apart")
            #expect(catalog.spanAttributes["mixed"]?.types == [.string, .int])
            #expect(catalog.spanAttributes["blob"] == TraceAttributeSummary(types: .bytes))
            #expect(catalog.spanAttributes["nothing"]?.types == .empty)
            let hosts = try #require(catalog.resourceAttributes["host.id"])
            #expect(hosts.isComplete && hosts.values.count == 70, "resource values are not capped")
            #expect(catalog.resourceAttributes["idle.only"] == nil)
            #expect(catalog.values(scope: .resource, key: "service.name").values == ["svc-0", "svc-1", "svc-2"].map { .string($0) })
            #expect(catalog.intrinsic(.status).values == [.int(0), .int(2)])
            #expect(catalog.intrinsic(.statusMessage).values == ["failed 0", "failed 1", "failed 2"].map { .string($0) })
            #expect(catalog.intrinsic(.rootServiceName).values == ["svc-0", "svc-1", "svc-2"].map { .string($0) },
                    "the resource without service.name has roots but no name")
            #expect(catalog.rootOperations.contains(.init(service: "", name: "op-0")))
            // The reader keeps what it decoded.
            #expect(try reader.attributeCatalog() == catalog)
        }
    }

    @Test("an empty block has an empty catalogue")
    func emptyBlock() throws {
        try Kit.withTemporaryDirectory { dir in
            let reader = try TraceBlockReader(path: try Kit.writeBlock([], in: dir))
            #expect(try reader.attributeCatalog() == TraceAttributeCatalog())
        }
    }

    @Test("a block without the section opens, reads, reports its catalogue unknown, and a scan recovers it")
    func blockWithoutTheSection() throws {
        try Kit.withTemporaryDirectory { dir in
            let batches = Self.batches()
            let path = try Kit.writeBlock(batches, in: dir, options: .init(rowGroupSize: 16))
            let withSection = try #require(try TraceBlockReader(path: path).attributeCatalog())
            try Self.removeSection(.attributeCatalog, from: path)
            let reader = try TraceBlockReader(path: path)
            #expect(reader.footer.sections[.init(kind: .attributeCatalog, group: 0)] == nil)
            #expect(try reader.attributeCatalog() == nil)
            // (Spans hold NaN attributes, which never compare equal: compare ids.)
            #expect(try Kit.readEverything(path).map(\.span.spanID) == Kit.expectedRows(batches).map(\.span.spanID))
            #expect(try reader.scanAttributeCatalog() == withSection)
        }
    }

    /// Rewrites a block as a build without `kind` would have: the footer no
    /// longer lists the section (its bytes stay, unreferenced).
    static func removeSection(_ kind: TraceBlockSectionKind, from path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let trailerStart = bytes.count - TraceBlockFormat.trailerSize
        let footerLength = bytes[trailerStart..<trailerStart + 4].withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
        let footerStart = trailerStart - footerLength
        let footer = try TraceBlockFooter(decoding: Array(bytes[footerStart..<trailerStart]), dataEnd: UInt64(footerStart), path: path)
        let kept = footer.sections.values.filter { $0.kind != kind }.sorted { $0.offset < $1.offset }
        let encoded = TraceBlockFooter(rowCount: footer.rowCount, traceCount: footer.traceCount, groups: footer.groups, sections: kept)
            .encoded(order: kept)
        var file = Array(bytes[..<footerStart]) + encoded
        for word in [UInt32(encoded.count), CRC32C.checksum(encoded), TraceBlockFormat.version, TraceBlockFormat.magic] {
            withUnsafeBytes(of: word.littleEndian) { file.append(contentsOf: $0) }
        }
        try Data(file).write(to: URL(fileURLWithPath: path))
    }

    // MARK: - Decoding damaged sections

    static let operations = [TraceBlockMetadata.Operation(service: "a", name: "x"), .init(service: "b", name: "y")]

    private func decodeError(_ bytes: [UInt8]) -> String? {
        do {
            _ = try TraceBlockAttributeCatalog.decode(bytes, operations: Self.operations, path: "p")
            return nil
        } catch {
            #expect(error.section == "attribute catalog")
            return error.description
        }
    }

    private func encoded(_ catalog: TraceAttributeCatalog, valuesPerKey: Int = 2) -> [UInt8] {
        TraceBlockAttributeCatalog.encode(catalog, operations: Self.operations, valuesPerKey: valuesPerKey)
    }

    @Test("the decoder checks what the checksum cannot: order, caps, kinds, references")
    func malformedSections() throws {
        let good = TraceAttributeCatalog(
            spanAttributes: ["a": TraceAttributeSummary(types: [.string, .int], values: [.string("s"), .int(1)]),
                             "b": TraceAttributeSummary(types: .bool, values: [.bool(false), .bool(true)], isComplete: false)],
            statusCodes: [.ok], statusMessages: TraceAttributeSummary(types: .string, values: [.string("m")]),
            rootOperations: [Self.operations[1]])
        #expect(try TraceBlockAttributeCatalog.decode(encoded(good), operations: Self.operations, path: "p") == good)

        #expect(decodeError([]) != nil, "an empty section is not an absent one")
        #expect(decodeError(encoded(good) + [0]) != nil, "trailing bytes")
        var unordered = good
        unordered.spanAttributes["a"]?.values.reverse()
        #expect(decodeError(encoded(unordered))?.contains("out of order") == true)
        var duplicate = good
        duplicate.spanAttributes["a"]?.values = [.int(1), .int(1)]
        #expect(decodeError(encoded(duplicate))?.contains("out of order") == true)
        #expect(decodeError(encoded(good, valuesPerKey: 1))?.contains("cap 1") == true, "more values than the cap")
        #expect(decodeError(encoded(good, valuesPerKey: 3))?.contains("cap 3") == true, "incomplete below the cap")
        var wrongKind = good
        wrongKind.spanAttributes["a"]?.types = .string
        #expect(decodeError(encoded(wrongKind))?.contains("type") == true)
        var badMessage = good
        badMessage.statusMessages = TraceAttributeSummary(types: .int, values: [.int(3)])
        #expect(decodeError(encoded(badMessage)) != nil)
        // A root operation index past the metadata's operations.
        let strayRoot = TraceBlockAttributeCatalog.encode(
            TraceAttributeCatalog(rootOperations: [.init(service: "c", name: "z")]),
            operations: Self.operations + [.init(service: "c", name: "z")], valuesPerKey: 2)
        #expect(decodeError(strayRoot)?.contains("root operation 2") == true)
        var badCodes = encoded(TraceAttributeCatalog())
        badCodes[1] = 0x80
        #expect(decodeError(badCodes) != nil, "an undefined status code bit")
        // Unsorted keys: swap the two keys' bytes in a hand-built section.
        var w = WALWriter()
        w.writeCount(2); w.writeByte(0); w.writeCount(0)
        w.writeByte(0); w.writeBool(true); w.writeCount(0)
        w.writeCount(2)
        for key in ["b", "a"] { w.writeString(key); w.writeByte(0); w.writeBool(true); w.writeCount(0) }
        #expect(decodeError(w.bytes)?.contains("out of order") == true)
    }
}
