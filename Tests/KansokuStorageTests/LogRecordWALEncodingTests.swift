import KansokuModel
import Testing
@testable import KansokuStorage

/// `LogRecord.encode(to:)` writes records with a string body in a few bulk
/// appends; these check it against the field-by-field layout of
/// `LogRecord+WAL.swift`, byte for byte.
@Suite("LogRecord WAL encoding")
struct LogRecordWALEncodingTests {
    /// The layout written one primitive at a time, as the format describes it.
    static func reference(_ record: LogRecord) -> [UInt8] {
        var writer = WALWriter()
        writer.writeFixed64(record.timeUnixNano)
        writer.writeFixed64(record.observedTimeUnixNano)
        writer.writeVarInt(record.severityNumber)
        writer.writeString(record.severityText)
        record.body.encode(to: &writer, depth: 0)
        writer.writeAttributes(record.attributes)
        writer.writeVarUInt(record.droppedAttributesCount)
        writer.writeVarUInt(record.flags)
        writer.writeFixed64(record.traceID.high)
        writer.writeFixed64(record.traceID.low)
        writer.writeFixed64(record.spanID.value)
        writer.writeString(record.eventName)
        return writer.bytes
    }

    static func encoded(_ record: LogRecord) -> [UInt8] {
        var writer = WALWriter()
        writer.writeByte(0xAB)  // not at offset 0, as in a real payload
        record.encode(to: &writer)
        return Array(writer.bytes.dropFirst())
    }

    static var records: [LogRecord] {
        let bodies: [AttributeValue] = [
            .string(""), .string("GET /cart 200"), .string("é€😀 \u{0}\n"), .string(String(repeating: "x", count: 300)),
            .string(String(repeating: "y", count: 20_000)), .empty, .int(-5), .keyValueList([Attribute(key: "k", value: .bool(true))]),
        ]
        let attributeSets: [[Attribute]] = [
            [], [Attribute(key: "trace_id", value: .string("abc"))], WALEncodingFixtures.everyValue,
        ]
        var records: [LogRecord] = []
        for (b, body) in bodies.enumerated() {
            for (a, attributes) in attributeSets.enumerated() {
                let variant = b * attributeSets.count + a
                records.append(LogRecord(
                    timeUnixNano: variant % 2 == 0 ? UInt64(variant) : .max - UInt64(variant),
                    observedTimeUnixNano: variant % 3 == 0 ? 0 : 1_700_000_000_000_000_000,
                    severityNumber: [0, 9, -1, .min, .max][variant % 5],
                    severityText: variant % 4 == 0 ? "" : ["INFO", "warn ⚠︎", String(repeating: "E", count: 200)][variant % 3],
                    body: body, attributes: attributes,
                    droppedAttributesCount: [0, 1, 127, 128, .max][variant % 5],
                    flags: [0, 1, 0x301, .max][variant % 4],
                    traceID: variant % 2 == 0 ? .zero : WALEncodingFixtures.traceID,
                    spanID: variant % 3 == 0 ? .zero : SpanID(0x0102_0304_0506_0708 &* UInt64(variant)),
                    eventName: variant % 5 == 0 ? "" : ["login", "é", String(repeating: "n", count: 130)][variant % 3]))
            }
        }
        return records
    }

    @Test("every kind of record encodes exactly as the field-by-field layout")
    func matchesTheFieldByFieldLayout() throws {
        for record in Self.records {
            #expect(Self.encoded(record) == Self.reference(record), "\(record)")
            var reader = WALReader(Self.encoded(record))
            #expect(try LogRecord(from: &reader) == record)
            #expect(reader.isAtEnd)
        }
    }

    @Test("a batch of such records round-trips through its payload")
    func batchRoundTrip() throws {
        let batch = LogBatch(resources: [
            ResourceItems(resource: Resource(attributes: [Attribute(key: "app", value: .string("api"))]),
                          scopes: [ScopedItems(scope: InstrumentationScope(), items: Self.records)]),
        ])
        #expect(try LogBatch(walPayload: batch.walPayload()) == batch)
    }
}
