import Foundation
import KansokuAPI
import KansokuModel
import KansokuWire
import SwiftProtobuf
import Testing

@Suite("OTLP trace encoder")
struct TempoOTLPEncoderTests {
    @Test("model → OTLP → bytes → OTLP is the same message")
    func roundTrip() throws {
        let message = OTLPTraceEncoder.tracesData(TempoFixtures.trace)
        let bytes: [UInt8] = try message.serializedBytes()
        let decoded = try Opentelemetry_Proto_Trace_V1_TracesData(serializedBytes: bytes)
        #expect(decoded == message)
        #expect(decoded.resourceSpans.count == 2)
    }

    @Test("every field is mapped")
    func fields() throws {
        let data = OTLPTraceEncoder.tracesData(TempoFixtures.trace)
        let rs = data.resourceSpans[0]
        #expect(rs.schemaURL == "https://opentelemetry.io/schemas/1.21.0")
        #expect(rs.resource.droppedAttributesCount == 2)
        #expect(rs.resource.attributes.map(\.key) == ["service.name", "host.name"])
        let ss = rs.scopeSpans[0]
        #expect(ss.schemaURL == "https://opentelemetry.io/schemas/1.20.0")
        #expect(ss.scope.name == "my.library" && ss.scope.version == "1.0.0" && ss.scope.droppedAttributesCount == 7)
        #expect(ss.scope.attributes.first?.value.stringValue == "x")

        let root = ss.spans[0]
        #expect(root.traceID == Data(TempoFixtures.traceID.bytes))
        #expect(root.traceID.count == 16)
        #expect(root.spanID == Data([0xEE, 0xE1, 0x9B, 0x7E, 0xC3, 0xC1, 0xB1, 0x73]))
        #expect(root.parentSpanID.isEmpty)
        #expect(root.traceState == "k=v" && root.flags == 0x101)
        #expect(root.name == "GET /checkout" && root.kind == .server)
        #expect(root.startTimeUnixNano == 1_544_712_660_000_000_000 && root.endTimeUnixNano == 1_544_712_661_500_000_000)
        #expect(root.droppedAttributesCount == 1 && root.droppedEventsCount == 4 && root.droppedLinksCount == 6)
        #expect(root.status.code == .error && root.status.message == "boom")

        let values = Dictionary(uniqueKeysWithValues: root.attributes.map { ($0.key, $0.value) })
        #expect(values["http.method"]?.value == .stringValue("GET"))
        #expect(values["http.status_code"]?.value == .intValue(200))
        #expect(values["big"]?.value == .intValue(-9_007_199_254_740_993))
        #expect(values["ratio"]?.value == .doubleValue(0.25))
        #expect(values["cached"]?.value == .boolValue(false))
        #expect(values["raw"]?.value == .bytesValue(Data([0, 1, 2, 0xFF])))
        #expect(values["emptyString"]?.value == .stringValue(""))
        #expect(values["nothing"]?.value == nil)
        #expect(values["nothing"].map { $0 == Opentelemetry_Proto_Common_V1_AnyValue() } == true)
        guard case .arrayValue(let array)? = values["list"]?.value else { Issue.record("list"); return }
        #expect(array.values.count == 3)
        #expect(array.values[1].intValue == 1)
        #expect(array.values[2].arrayValue.values.isEmpty)
        guard case .kvlistValue(let map)? = values["map"]?.value else { Issue.record("map"); return }
        #expect(map.values.map(\.key) == ["inner", "nothing"])
        #expect(map.values[0].value.boolValue == true)

        let event = try #require(root.events.first)
        #expect(event.name == "retry" && event.timeUnixNano == 1_544_712_660_100_000_000)
        #expect(event.droppedAttributesCount == 3 && event.attributes.first?.value.intValue == 2)
        let link = try #require(root.links.first)
        #expect(link.traceID == Data(TempoFixtures.otherTraceID.bytes))
        #expect(link.spanID == Data([0, 0, 0, 0, 0, 0, 0, 0x42]))
        #expect(link.traceState == "a=b" && link.flags == 1 && link.droppedAttributesCount == 5)
        #expect(link.attributes.first?.key == "why")

        let child = ss.spans[1]
        #expect(child.parentSpanID == root.spanID)
        #expect(child.kind == .client && child.status.code == .ok && child.hasStatus)
        let remote = data.resourceSpans[1].scopeSpans[0].spans[0]
        #expect(remote.kind == .internal)
        #expect(!remote.hasStatus)
        #expect(remote.spanID == Data([0, 0, 0, 0, 0, 0, 0xAB, 0xCD]))
    }

    @Test("every span kind and status code maps to the enum of the same number")
    func enums() {
        let kinds: [(SpanKind, Opentelemetry_Proto_Trace_V1_Span.SpanKind)] = [
            (.unspecified, .unspecified), (.internal, .internal), (.server, .server),
            (.client, .client), (.producer, .producer), (.consumer, .consumer),
        ]
        for (kind, expected) in kinds {
            let span = Span(traceID: TempoFixtures.traceID, spanID: SpanID(1), name: "s", kind: kind,
                            startTimeUnixNano: 1, endTimeUnixNano: 2)
            #expect(OTLPTraceEncoder.span(span).kind == expected)
        }
        let codes: [(SpanStatus.Code, Opentelemetry_Proto_Trace_V1_Status.StatusCode)] = [(.unset, .unset), (.ok, .ok), (.error, .error)]
        for (code, expected) in codes {
            let span = Span(traceID: TempoFixtures.traceID, spanID: SpanID(1), name: "s",
                            startTimeUnixNano: 1, endTimeUnixNano: 2, status: SpanStatus(code: code, message: "m"))
            #expect(OTLPTraceEncoder.span(span).status.code == expected)
        }
    }
}
