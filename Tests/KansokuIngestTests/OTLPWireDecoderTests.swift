import Foundation
import KansokuModel
import KansokuWire
import SwiftProtobuf
import Testing
@testable import KansokuIngest

/// The direct decoders against requests built and encoded by swift-protobuf's
/// generated code, so field numbers and wire types are checked by an
/// independent encoder.
@Suite struct OTLPWireDecoderTests {
    typealias WireValue = Opentelemetry_Proto_Common_V1_AnyValue

    static func keyValue(_ key: String, _ configure: (inout WireValue) -> Void) -> Opentelemetry_Proto_Common_V1_KeyValue {
        .with { $0.key = key; $0.value = .with(configure) }
    }

    static let everyValueKind: [Opentelemetry_Proto_Common_V1_KeyValue] = [
        keyValue("s") { $0.stringValue = "héllo ✓" },
        keyValue("b") { $0.boolValue = true },
        keyValue("i") { $0.intValue = -42 },
        keyValue("max") { $0.intValue = .max },
        keyValue("d") { $0.doubleValue = -0.125 },
        keyValue("raw") { $0.bytesValue = Data([0, 1, 255]) },
        keyValue("list") { $0.arrayValue = .with { $0.values = [.with { $0.stringValue = "a" }, .with { $0.intValue = 1 }] } },
        keyValue("map") { $0.kvlistValue = .with { $0.values = [keyValue("inner") { $0.boolValue = false }] } },
        .with { $0.key = "unset" },
    ]

    static let expectedValues: [Attribute] = [
        .init(key: "s", value: .string("héllo ✓")), .init(key: "b", value: .bool(true)), .init(key: "i", value: .int(-42)),
        .init(key: "max", value: .int(.max)), .init(key: "d", value: .double(-0.125)), .init(key: "raw", value: .bytes([0, 1, 255])),
        .init(key: "list", value: .array([.string("a"), .int(1)])),
        .init(key: "map", value: .keyValueList([.init(key: "inner", value: .bool(false))])),
        .init(key: "unset", value: .empty),
    ]

    static func fullSpanRequest() -> OTLPTraces.Request {
        var span = Opentelemetry_Proto_Trace_V1_Span()
        span.traceID = Data((1...16).map { UInt8($0) })
        span.spanID = Data((1...8).map { UInt8($0 * 3) })
        span.parentSpanID = Data(repeating: 9, count: 8)
        span.traceState = "k=v"
        span.flags = 0x301
        span.name = "GET /cart"
        span.kind = .client
        span.startTimeUnixNano = 1_700_000_000_123_456_789
        span.endTimeUnixNano = 1_700_000_000_223_456_789
        span.attributes = everyValueKind
        span.droppedAttributesCount = 2
        span.events = [.with { $0.timeUnixNano = 5; $0.name = "retry"; $0.attributes = [keyValue("n") { $0.intValue = 2 }]; $0.droppedAttributesCount = 1 }]
        span.droppedEventsCount = 3
        span.links = [.with {
            $0.traceID = Data(repeating: 7, count: 16); $0.spanID = Data(repeating: 8, count: 8); $0.traceState = "a=b"
            $0.attributes = [keyValue("l") { $0.boolValue = true }]; $0.droppedAttributesCount = 4; $0.flags = 1
        }]
        span.droppedLinksCount = 5
        span.status = .with { $0.code = .error; $0.message = "boom" }
        return .with {
            $0.resourceSpans = [.with {
                $0.resource = .with { $0.attributes = [keyValue("service.name") { $0.stringValue = "cart" }]; $0.droppedAttributesCount = 6 }
                $0.schemaURL = "https://schemas/resource"
                $0.scopeSpans = [.with {
                    $0.scope = .with { $0.name = "lib"; $0.version = "2.0"; $0.attributes = [keyValue("x") { $0.intValue = 1 }]; $0.droppedAttributesCount = 7 }
                    $0.schemaURL = "https://schemas/scope"
                    $0.spans = [span]
                }]
            }]
        }
    }

    @Test func everySpanFieldReachesTheModel() throws {
        let outcome = try OTLPTraces.decode(Self.fullSpanRequest().serializedBytes(), encoding: .protobuf)
        #expect(outcome.rejected == 0)
        let resource = try #require(outcome.batch.resources.first)
        #expect(resource.resource == Resource(attributes: [.init(key: "service.name", value: .string("cart"))], droppedAttributesCount: 6))
        #expect(resource.schemaURL == "https://schemas/resource")
        let scoped = try #require(resource.scopes.first)
        #expect(scoped.scope == InstrumentationScope(name: "lib", version: "2.0", attributes: [.init(key: "x", value: .int(1))], droppedAttributesCount: 7))
        #expect(scoped.schemaURL == "https://schemas/scope")
        let expected = Span(
            traceID: TraceID(high: 0x0102_0304_0506_0708, low: 0x090a_0b0c_0d0e_0f10), spanID: SpanID(0x0306_090c_0f12_1518),
            parentSpanID: SpanID(0x0909_0909_0909_0909), traceState: "k=v", flags: 0x301, name: "GET /cart", kind: .client,
            startTimeUnixNano: 1_700_000_000_123_456_789, endTimeUnixNano: 1_700_000_000_223_456_789,
            attributes: Self.expectedValues, droppedAttributesCount: 2,
            events: [SpanEvent(timeUnixNano: 5, name: "retry", attributes: [.init(key: "n", value: .int(2))], droppedAttributesCount: 1)],
            droppedEventsCount: 3,
            links: [SpanLink(traceID: TraceID(high: 0x0707_0707_0707_0707, low: 0x0707_0707_0707_0707), spanID: SpanID(0x0808_0808_0808_0808),
                             traceState: "a=b", flags: 1, attributes: [.init(key: "l", value: .bool(true))], droppedAttributesCount: 4)],
            droppedLinksCount: 5, status: SpanStatus(code: .error, message: "boom"))
        #expect(scoped.items == [expected])
    }

    @Test func everyLogFieldReachesTheModel() throws {
        let request = OTLPLogs.Request.with {
            $0.resourceLogs = [.with { $0.scopeLogs = [.with { $0.logRecords = [.with {
                $0.timeUnixNano = 11; $0.observedTimeUnixNano = 12; $0.severityNumber = .warn2; $0.severityText = "WARN"
                $0.body = .with { $0.kvlistValue = .with { $0.values = [Self.keyValue("msg") { $0.stringValue = "hi" }] } }
                $0.attributes = Self.everyValueKind; $0.droppedAttributesCount = 1; $0.flags = 1
                $0.traceID = Data(repeating: 0xab, count: 16); $0.spanID = Data(repeating: 0xcd, count: 8); $0.eventName = "login"
            }] }] }]
        }
        let outcome = try OTLPLogs.decode(request.serializedBytes(), encoding: .protobuf)
        let record = try #require(outcome.batch.resources.first?.scopes.first?.items.first)
        #expect(record == LogRecord(
            timeUnixNano: 11, observedTimeUnixNano: 12, severityNumber: 14, severityText: "WARN",
            body: .keyValueList([.init(key: "msg", value: .string("hi"))]), attributes: Self.expectedValues,
            droppedAttributesCount: 1, flags: 1, traceID: TraceID(hex: String(repeating: "ab", count: 16))!,
            spanID: SpanID(hex: String(repeating: "cd", count: 8))!, eventName: "login"))
    }

    @Test func unknownFieldsAreSkipped() throws {
        var bytes: [UInt8] = try Self.fullSpanRequest().serializedBytes()
        // Field 99 as a varint, a fixed32, a fixed64 and a length-delimited field, at the top level.
        bytes += [0x98, 0x06, 0x01, 0x9d, 0x06, 1, 2, 3, 4, 0x99, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0x9a, 0x06, 2, 0xff, 0xff]
        let outcome = try OTLPTraces.decode(bytes, encoding: .protobuf)
        #expect(outcome.batch.itemCount == 1)
    }

    @Test func everyTruncationIsAnErrorOrAValidPrefixNeverACrash() throws {
        let bytes: [UInt8] = try Self.fullSpanRequest().serializedBytes()
        var refused = 0
        for length in 0..<bytes.count {
            do {
                _ = try OTLPTraces.decode(Array(bytes[0..<length]), encoding: .protobuf)
            } catch {
                guard case .malformed(let message) = error else { Issue.record("unexpected \(error)"); continue }
                #expect(message.contains("byte"))
                refused += 1
            }
        }
        // Every cut inside the one resource entry leaves its length running past the end.
        #expect(refused == bytes.count - 1)
    }

    @Test func wrongWireTypeIsNamed() {
        // resource_spans[0].scope_spans[0].spans[0] whose name (field 5) is sent as a varint.
        let span: [UInt8] = [0x28, 0x01]
        let scope: [UInt8] = [0x12, UInt8(span.count)] + span
        let resource: [UInt8] = [0x12, UInt8(scope.count)] + scope
        let request: [UInt8] = [0x0a, UInt8(resource.count)] + resource
        #expect {
            try OTLPTraces.decode(request, encoding: .protobuf)
        } throws: { error in
            guard case IngestError.malformed(let message) = error else { return false }
            return message.contains("field name") && message.contains("wire type 0")
        }
    }

    @Test func overlongVarintAndNestingAreRefused() {
        #expect(throws: IngestError.self) {
            try OTLPTraces.decode([0x08] + [UInt8](repeating: 0xff, count: 10) + [0x01], encoding: .protobuf)
        }
        // An AnyValue array nested 100 deep inside a log body.
        var value: [UInt8] = [0x08, 0x01]  // bool_value = true
        for _ in 0..<100 {
            let element = [0x0a] + Self.length(value.count) + value  // ArrayValue.values
            value = [0x2a] + Self.length(element.count) + element    // AnyValue.array_value
        }
        let record = [0x2a] + Self.length(value.count) + value       // LogRecord.body
        let scope = [0x12] + Self.length(record.count) + record
        let resource = [0x12] + Self.length(scope.count) + scope
        let request = [0x0a] + Self.length(resource.count) + resource
        #expect {
            try OTLPLogs.decode(request, encoding: .protobuf)
        } throws: { error in
            guard case IngestError.malformed(let message) = error else { return false }
            return message.contains("nested deeper")
        }
    }

    static func length(_ count: Int) -> [UInt8] {
        var value = count, bytes = [UInt8]()
        repeat {
            bytes.append(UInt8(value & 0x7f) | (value > 0x7f ? 0x80 : 0))
            value >>= 7
        } while value > 0
        return bytes
    }
}
