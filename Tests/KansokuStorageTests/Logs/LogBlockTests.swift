import Foundation
import KansokuModel
import Testing
@testable import KansokuStorage

@Suite("Log blocks and label mapping")
struct LogBlockTests {
    static func mixedBatches() -> [LogBatch] {
        let b = LogTestKit.base
        var batches: [LogBatch] = []
        batches.append(LogTestKit.lokiBatch(app: "api", lines: [(b + 5, "GET /a 200"), (b + 1, "GET /b 404"), (b + 3, "POST /c 500")],
                                            metadata: [Attribute(key: "pod", value: .string("api-1"))]))
        let records: [LogRecord] = [
            LogRecord(timeUnixNano: b + 2, observedTimeUnixNano: b + 9, severityNumber: 9, severityText: "INFO",
                      body: .string("hello world"), attributes: [Attribute(key: "http.method", value: .string("GET")),
                                                                  Attribute(key: "n", value: .int(3))],
                      droppedAttributesCount: 2, flags: 1, traceID: LogTestKit.traceID(1), spanID: SpanID(7), eventName: "evt"),
            LogRecord(timeUnixNano: 0, observedTimeUnixNano: b + 4, body: .keyValueList([Attribute(key: "k", value: .double(1.5))])),
            LogRecord(timeUnixNano: b + 4, observedTimeUnixNano: b + 4, body: .bytes([1, 2, 3])),
            LogRecord(timeUnixNano: b + 8, observedTimeUnixNano: b + 1, severityNumber: 17, body: .empty),
            LogRecord(),
        ]
        batches.append(LogTestKit.otlpBatch(service: "checkout", records: records))
        batches.append(LogTestKit.lokiBatch(app: "api", lines: [(b + 2, "GET /d 200 trace \(LogTestKit.traceID(2).hex)")]))
        return batches
    }

    @Test("round trip: every record, resource and scope comes back; streams sorted; times and counts in the footer")
    func roundTrip() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let batches = Self.mixedBatches()
            var writer = LogBlockWriter(options: .init(chunkTargetBytes: 64))
            for batch in batches { writer.append(batch) }
            let path = "\(dir)/1.klb"
            let written = try writer.write(to: path)
            let reader = try LogBlockReader(path: path)
            #expect(reader.metadata == written)
            #expect(reader.metadata.entryCount == 9)
            #expect(reader.metadata.streamCount == 2)
            #expect(reader.metadata.chunkCount > 2, "a tiny chunk target cuts several chunks")
            #expect(reader.metadata.minTimeUnixNano == 0 && reader.metadata.maxTimeUnixNano == LogTestKit.base + 8)
            #expect(reader.streams.map(\.description) == ["{app=\"api\", env=\"prod\"}",
                                                          "{k8s_pod_name=\"checkout-0\", service_name=\"checkout\"}"])
            #expect(LogTestKit.items([try reader.batch()]) == LogTestKit.items(batches))
            // Chunks of a stream are in time order.
            for s in 0..<2 {
                let chunks = reader.chunks.filter { $0.stream == s }
                for (a, b) in zip(chunks, chunks.dropFirst()) { #expect(a.maxTimeUnixNano <= b.minTimeUnixNano) }
            }
            #expect(try reader.chunks(of: LogTestKit.traceID(1)).count == 1)
            #expect(try reader.chunks(of: LogTestKit.traceID(2)).count == 1)
            #expect(try reader.chunks(of: LogTestKit.traceID(3)).isEmpty)
            #expect(reader.version == LogBlockFormat.version)
            #expect(try !reader.chunks(mayContainTokens: LogTokenizer.queryTokens(["HELLO", "world"])).isEmpty)
            #expect(try reader.chunks(mayContainTokens: LogTokenizer.queryTokens(["zebra-unicorn"])).isEmpty)
        }
    }

    @Test("the chunk filters hold the tokens of bodies that are not strings, as their lines render")
    func filtersTokenizeRenderedBodies() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let b = LogTestKit.base
            var writer = LogBlockWriter(options: .init(chunkTargetBytes: 1))
            writer.append(LogTestKit.otlpBatch(service: "svc", records: [
                LogRecord(timeUnixNano: b, body: .keyValueList([Attribute(key: "walrus", value: .int(7))])),
                LogRecord(timeUnixNano: b + 1, body: .bytes([0xAB, 0xCD])),
                LogRecord(timeUnixNano: b + 2, body: .string("plain")),
            ]))
            try writer.write(to: "\(dir)/1.klb")
            let reader = try LogBlockReader(path: "\(dir)/1.klb")
            #expect(LogLine.render(.keyValueList([Attribute(key: "walrus", value: .int(7))])).contains("walrus"))
            #expect(try reader.chunks(mayContainTokens: LogTokenizer.queryTokens(["walrus"])) == .chunks([0]))
            #expect(try reader.chunks(mayContainTokens: LogTokenizer.queryTokens(["abcd"])) == .chunks([1]))
            #expect(try reader.chunks(mayContainTokens: LogTokenizer.queryTokens(["plain"])) == .chunks([2]))
            #expect(LogTestKit.items([try reader.batch()]).count == 3)
        }
    }

    @Test("chunks compress with zstd's own match table or a given one; a table size zstd refuses is an error naming it")
    func compressionHashLog() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let batches = Self.mixedBatches()
            for hashLog in [nil, 12] as [Int32?] {
                var writer = LogBlockWriter(options: .init(chunkTargetBytes: 64, compressionHashLog: hashLog))
                for batch in batches { writer.append(batch) }
                try writer.write(to: "\(dir)/\(hashLog ?? 0).klb")
                #expect(LogTestKit.items([try LogBlockReader(path: "\(dir)/\(hashLog ?? 0).klb").batch()]) == LogTestKit.items(batches))
            }
            var writer = LogBlockWriter(options: .init(compressionHashLog: 99))
            writer.append(batches[0])
            #expect {
                try writer.encode()
            } throws: { error in
                guard case .compressionFailed(let detail) = error as? LogBlockError else { return false }
                return detail.contains("hashLog 99")
            }
        }
    }

    @Test("a stream's entries are stored by time, equal times in arrival order")
    func entriesSortedByTimeThenArrival() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let b = LogTestKit.base
            var writer = LogBlockWriter()
            writer.append(LogTestKit.lokiBatch(app: "api", lines: [(b + 5, "x1"), (b + 1, "a"), (b + 1, "b"), (b + 5, "x2")]))
            writer.append(LogTestKit.lokiBatch(app: "api", lines: [(b + 1, "c"), (b + 3, "m")]))
            let path = "\(dir)/1.klb"
            try writer.write(to: path)
            let stored = try LogBlockReader(path: path).batch().resources.flatMap { $0.scopes.flatMap(\.items) }
            #expect(stored.map(\.body) == ["a", "b", "c", "m", "x1", "x2"].map { AttributeValue.string($0) })
        }
    }

    @Test("a malformed WAL payload is rejected with the error the batch decoder gives; the records before it stay appended")
    func malformedWALPayload() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let b = LogTestKit.base
            let payload = LogTestKit.lokiBatch(app: "api", lines: [(b + 1, "first"), (b + 2, "second"), (b + 3, "third")]).walPayload()
            // Cut the third record's last byte, then spoil the second line's UTF-8.
            func offset(of text: String) throws -> Int {
                try #require(payload.indices.first { payload[$0...].starts(with: Array(text.utf8)) })
            }
            let cut = Array(payload.dropLast())
            var spoiled = payload
            spoiled[try offset(of: "second")] = 0xFF
            for bad in [cut, spoiled] {
                var writer = LogBlockWriter()
                var blockError: WALDecodingError?
                do throws(WALDecodingError) { try writer.append(walPayload: bad) } catch { blockError = error }
                var batchError: WALDecodingError?
                do throws(WALDecodingError) { _ = try LogBatch(walPayload: bad) } catch { batchError = error }
                #expect(blockError != nil && blockError == batchError)
                #expect(writer.entryCount == (bad == cut ? 2 : 1))
                try writer.write(to: "\(dir)/\(writer.entryCount).klb")
                let stored = try LogBlockReader(path: "\(dir)/\(writer.entryCount).klb").batch()
                let bodies = stored.resources.flatMap { $0.scopes.flatMap(\.items) }.map(\.body)
                #expect(bodies == ["first", "second"].prefix(writer.entryCount).map { AttributeValue.string($0) })
            }
            #expect(throws: WALDecodingError.self) { var writer = LogBlockWriter(); try writer.append(walPayload: []) }
        }
    }

    @Test("payloads repeating a resource and scope share its stream and origin; the same scope under another resource, or another resource with the same labels, gets its own origin")
    func repeatedHeaders() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let b = LogTestKit.base
            let checkout = { (zone: String, time: UInt64) in
                LogTestKit.otlpBatch(service: "checkout", records: [LogRecord(timeUnixNano: time, body: .string("\(zone) \(time)"))],
                                     extra: [Attribute(key: "cloud.zone", value: .string(zone))])
            }
            var writer = LogBlockWriter()
            for i in UInt64(0)..<3 {
                for batch in [LogTestKit.lokiBatch(app: "api", lines: [(b + i, "api \(i)")]),
                              LogTestKit.lokiBatch(app: "web", lines: [(b + i, "web \(i)")]), checkout("a", b + i), checkout("b", b + i)] {
                    try writer.append(walPayload: batch.walPayload())
                }
            }
            let path = "\(dir)/1.klb"
            try writer.write(to: path)
            let reader = try LogBlockReader(path: path)
            #expect(reader.streams.map(\.description) == ["{app=\"api\", env=\"prod\"}", "{app=\"web\", env=\"prod\"}",
                                                          "{k8s_pod_name=\"checkout-0\", service_name=\"checkout\"}"])
            #expect(try reader.origins().count == 4, "api, web and checkout in zones a and b")
            let lines = { (resource: ResourceItems<LogRecord>) in resource.scopes.flatMap(\.items).map { LogLine.render($0.body) } }
            let stored = try reader.batch().resources
            #expect(stored.count == 4)
            for resource in stored {
                let prefix = resource.resource.attributes.first { $0.key == "app" || $0.key == "cloud.zone" }?.value.stringValue
                #expect(lines(resource).count == 3 && lines(resource).allSatisfy { $0.hasPrefix("\(prefix ?? "?") ") }, "\(resource.resource)")
            }
        }
    }

    @Test("an empty block round-trips")
    func empty() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            try LogBlockWriter().write(to: "\(dir)/e.klb")
            let reader = try LogBlockReader(path: "\(dir)/e.klb")
            #expect(reader.metadata.entryCount == 0 && reader.streams.isEmpty)
            #expect(try reader.batch().isEmpty)
        }
    }

    @Test("label mapping: Loki streams reversed exactly, OTLP resource attributes promoted, Elasticsearch not mistaken for Loki")
    func mapping() {
        let m = LogLabelMapping()
        let loki = Resource(attributes: [Attribute(key: "app", value: .string("api")), Attribute(key: "level", value: .string("warn"))])
        #expect(m.labels(for: loki).pairs.map { "\($0)=\($1)" } == ["app=api", "level=warn"])
        let record = LogRecord(body: .string("x"), attributes: [Attribute(key: "user.id", value: .string("42"))])
        #expect(m.structuredMetadata(of: record, resource: loki).map { "\($0)=\($1)" } == ["user.id=42"])

        let otlp = Resource(attributes: [
            Attribute(key: "service.name", value: .string("cart")), Attribute(key: "deployment.environment.name", value: .string("prod")),
            Attribute(key: "host.name", value: .string("h1")), Attribute(key: "service.instance.id", value: .string("i-1")),
        ])
        #expect(m.labels(for: otlp).description == "{deployment_environment_name=\"prod\", host_name=\"h1\", service_name=\"cart\"}")
        let rich = LogRecord(severityNumber: 13, severityText: "Warning", attributes: [Attribute(key: "http.status", value: .int(500))],
                             traceID: LogTestKit.traceID(1), spanID: SpanID(0xAB))
        let md = m.structuredMetadata(of: rich, resource: otlp).map { "\($0)=\($1)" }
        #expect(md == ["service_instance_id=i-1", "http_status=500", "trace_id=\(LogTestKit.traceID(1).hex)",
                       "span_id=00000000000000ab", "severity_text=Warning", "severity_number=13", "detected_level=warn"])

        let es = Resource(attributes: [Attribute(key: "service.name", value: .string("web")),
                                       Attribute(key: "elasticsearch.index", value: .string("logs-web"))])
        #expect(!m.isLokiStream(es))
        #expect(m.labels(for: es).description == "{service_name=\"web\"}")
        #expect(m.labels(for: Resource()).description == "{service_name=\"unknown_service\"}")
        #expect(LogTokenizer.tokens("GET /api/v1?Q=ab-CD 42") == ["get", "api", "v1", "q", "ab", "cd"])
    }

    // MARK: - Corruption

    /// Writes the fixture block and returns its path, bytes and footer.
    static func fixture(_ dir: String) throws -> (String, [UInt8], LogBlockFooter) {
        var writer = LogBlockWriter(options: .init(chunkTargetBytes: 64))
        for batch in mixedBatches() { writer.append(batch) }
        let path = "\(dir)/b.klb"
        try writer.write(to: path)
        let footer = try LogBlockReader(path: path).footer
        return (path, Array(try Data(contentsOf: URL(fileURLWithPath: path))), footer)
    }

    /// Opens the damaged block and reads everything; returns the error.
    static func failure(_ path: String, _ bytes: [UInt8]) -> LogBlockError? {
        try? Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            let reader = try LogBlockReader(path: path)
            _ = try reader.batch()
            _ = try reader.chunks(of: LogTestKit.traceID(1))
            return nil
        } catch {
            return error  // the reader throws only LogBlockError
        }
    }

    @Test("every damaged section is reported by name, never a crash")
    func corruption() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let (path, bytes, footer) = try Self.fixture(dir)
            var damaged = bytes
            damaged[0] ^= 0xFF
            #expect(Self.failure(path, damaged) == .badMagic(path: path))
            damaged = bytes
            damaged[4] = 9
            #expect(Self.failure(path, damaged)?.section == "trailer")
            #expect(Self.failure(path, Array(bytes.prefix(5)))?.section == "header")
            #expect(Self.failure(path, Array(bytes.dropLast(3)))?.section == "trailer")
            damaged = bytes
            damaged[damaged.count - 20] ^= 0x01  // inside the footer
            #expect(Self.failure(path, damaged)?.section == "footer")
            damaged = bytes
            damaged[damaged.count - 16] ^= 0x7F  // footer length
            #expect(["footer"].contains(Self.failure(path, damaged)?.section))

            for (kind, entry) in zip(LogBlockSection.layout(version: footer.version), footer.sections) {
                damaged = bytes
                damaged[Int(entry.offset) + entry.storedLength / 2] ^= 0x10
                let error = Self.failure(path, damaged)
                #expect(error?.section == kind.name, "\(kind.name): \(String(describing: error))")
                if case .checksumMismatch(let p, _, _, _)? = error { #expect(p == path) } else { Issue.record("\(kind.name): \(String(describing: error))") }
            }
            for (i, chunk) in footer.chunks.enumerated() {
                damaged = bytes
                damaged[Int(chunk.offset) + chunk.storedLength - 1] ^= 0x01
                #expect(Self.failure(path, damaged)?.section == "chunk \(i)")
            }
            // Truncated anywhere: the trailer is gone.
            for cut in stride(from: 9, to: bytes.count, by: max(1, bytes.count / 17)) {
                #expect(Self.failure(path, Array(bytes.prefix(cut))) != nil)
            }
            #expect(Self.failure(path, bytes) == nil)
        }
    }

    @Test("checksummed but inconsistent content is rejected as malformed")
    func malformed() async throws {
        try await WALTestKit.withTemporaryDirectory { dir in
            let (path, _, footer) = try Self.fixture(dir)
            #expect(throws: Never.self) { _ = try LogBlockFooter(decoding: footer.encoded(), version: footer.version, dataEnd: 1 << 20, path: path) }
            // A chunk naming a stream that does not exist.
            var bad = footer
            bad.chunks[0].stream = 99
            #expect(throws: LogBlockError.self) { _ = try LogBlockFooter(decoding: bad.encoded(), version: footer.version, dataEnd: 1 << 20, path: path) }
            // Entry counts that disagree with the footer total.
            bad = footer
            bad.chunks[0].entryCount += 1
            #expect(throws: LogBlockError.self) { _ = try LogBlockFooter(decoding: bad.encoded(), version: footer.version, dataEnd: 1 << 20, path: path) }
            // A chunk lying outside the data area.
            bad = footer
            bad.chunks[0].offset = 1 << 40
            #expect(throws: LogBlockError.self) { _ = try LogBlockFooter(decoding: bad.encoded(), version: footer.version, dataEnd: 1 << 20, path: path) }
            // Random garbage in the chunk payload with a matching CRC: decoding fails with the chunk named.
            let info = LogBlockChunkInfo(stream: 0, entryCount: 3, minTimeUnixNano: 0, maxTimeUnixNano: 5, offset: 8,
                                         storedLength: 0, rawLength: 0, crc: 0)
            #expect(throws: LogBlockError.self) {
                _ = try LogBlockEntryCodec.decode([3, 1, 2, 3, 4, 5, 6], ids: nil, info: info, originCount: 1, path: path, section: "chunk 0")
            }
            // An id column longer than its chunk.
            bad = footer
            bad.chunks[0].idColumnLength = bad.chunks[0].storedLength
            #expect(throws: LogBlockError.self) { _ = try LogBlockFooter(decoding: bad.encoded(), version: footer.version, dataEnd: 1 << 20, path: path) }
        }
    }
}
