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
