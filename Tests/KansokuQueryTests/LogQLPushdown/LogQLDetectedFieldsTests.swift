import Testing
@testable import KansokuQuery

@Suite("LogQL detected fields (Loki's /detected_fields)")
struct LogQLDetectedFieldsTests {
    @Test("structured metadata and parsed fields with Loki's types, cardinality and parsers")
    func fields() throws {
        var source = InMemoryLogQLSource()
        let api: LogQLLabels = ["app": "api"]
        for i in 0..<10 {
            let line = #"{"level":"\#(i % 2 == 0 ? "info" : "error")","latency_ms":\#(i),"ratio":0.\#(i)5,"ok":true,"took":"\#(i)ms","size":"\#(i) KB","app":"x"}"#
            source.add(api, LogQLEntry(timestamp: Int64(i), line: line, structuredMetadata: [LogQLLabel("pod", "p\(i % 3)")]))
        }
        source.add(["app": "web"], LogQLEntry(timestamp: 20, line: "method=GET status=200 path=/a"))
        source.add(["app": "web"], LogQLEntry(timestamp: 21, line: "plain text, no fields"))
        let engine = LogQLEngine(source: source)
        let fields = try engine.detectedFields(LogQLParser.parseLogQuery(#"{app=~".+"}"#), start: 0, end: 100, lineLimit: 100,
                                               fieldLimit: 1000)
        let byName = Dictionary(uniqueKeysWithValues: fields.map { ($0.label, $0) })
        #expect(fields.map(\.label) == fields.map(\.label).sorted())
        #expect(byName["pod"] == LogQLDetectedField(label: "pod", type: .string, cardinality: 3, parsers: nil))
        #expect(byName["level"] == LogQLDetectedField(label: "level", type: .string, cardinality: 2, parsers: ["json"]))
        #expect(byName["latency_ms"]?.type == .int && byName["latency_ms"]?.cardinality == 10)
        #expect(byName["ratio"]?.type == .float)
        #expect(byName["ok"]?.type == .boolean)
        #expect(byName["took"]?.type == .duration)
        #expect(byName["size"]?.type == .bytes)
        #expect(byName["app_extracted"]?.parsers == ["json"], "a parsed name colliding with a stream label is renamed")
        #expect(byName["status"] == LogQLDetectedField(label: "status", type: .int, cardinality: 1, parsers: ["logfmt"]))
        #expect(byName["app"] == nil, "stream labels are not fields")

        let limited = try engine.detectedFields(LogQLParser.parseLogQuery(#"{app="api"}"#), start: 0, end: 100, lineLimit: 3,
                                                fieldLimit: 2)
        #expect(limited.count == 2)
        let newest = try engine.detectedFields(LogQLParser.parseLogQuery(#"{app="api"} |= "error""#), start: 0, end: 100,
                                               lineLimit: 2, fieldLimit: 100)
        #expect(newest.first { $0.label == "latency_ms" }?.cardinality == 2)
        #expect(newest.first { $0.label == "level" }?.cardinality == 1)
    }

    @Test("one field's values: from structured metadata, the query's parsers or a parse of the line; newest lines, sorted, limited")
    func fieldValues() throws {
        var source = InMemoryLogQLSource()
        for i in 0..<10 {
            source.add(["app": "api"], LogQLEntry(timestamp: Int64(i), line: #"{"level":"\#(["info", "warn", "error"][i % 3])","n":\#(i)}"#,
                                                  structuredMetadata: [LogQLLabel("pod", "p\(i % 2)")]))
        }
        source.add(["app": "web"], LogQLEntry(timestamp: 20, line: "level=debug path=/a"))
        let engine = LogQLEngine(source: source)
        func values(_ query: String, _ name: String, lines: Int = 100, limit: Int = 1000) throws -> [String] {
            try engine.detectedFieldValues(LogQLParser.parseLogQuery(query), name: name, start: 0, end: 100, lineLimit: lines,
                                           valueLimit: limit)
        }
        #expect(try values(#"{app=~".+"}"#, "level") == ["debug", "error", "info", "warn"])
        #expect(try values(#"{app="api"}"#, "pod") == ["p0", "p1"])
        #expect(try values(#"{app="api"} | json | level="error""#, "n") == ["2", "5", "8"])
        #expect(try values(#"{app="api"}"#, "n", lines: 2) == ["8", "9"])
        #expect(try values(#"{app="api"}"#, "n", limit: 3) == ["0", "1", "2"])
        #expect(try values(#"{app="api"}"#, "missing").isEmpty)
    }

    @Test("value types follow Go's parsers in Loki's order")
    func types() {
        #expect(LogQLDetectedField.detectType("42") == .int)
        #expect(LogQLDetectedField.detectType("-3.5e2") == .float)
        #expect(LogQLDetectedField.detectType("True") == .boolean)
        #expect(LogQLDetectedField.detectType("1h30m") == .duration)
        #expect(LogQLDetectedField.detectType("12 MB") == .bytes)
        #expect(LogQLDetectedField.detectType("hello") == .string)
    }
}
