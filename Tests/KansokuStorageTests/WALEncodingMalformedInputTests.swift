import KansokuModel
import KansokuStorage
import Testing

@Suite("WAL encoding rejects malformed input")
struct WALEncodingMalformedInputTests {
    private func decodeError<Item: WALEncodable>(_ payload: [UInt8], as _: Item.Type) -> WALDecodingError? {
        do {
            _ = try TelemetryBatch<Item>(walPayload: payload)
            return nil
        } catch {
            return error
        }
    }

    @Test func everyTruncationThrows() {
        let payloads: [(String, [UInt8], (([UInt8]) -> WALDecodingError?))] = [
            ("spans", WALEncodingFixtures.spanBatch.walPayload(), { decodeError($0, as: Span.self) }),
            ("logs", WALEncodingFixtures.logBatch.walPayload(), { decodeError($0, as: LogRecord.self) }),
        ]
        for (name, payload, decode) in payloads {
            for length in 0..<payload.count {
                let error = decode(Array(payload[..<length]))
                #expect(error != nil, "\(name) prefix of \(length)/\(payload.count) bytes decoded")
                if let error {
                    #expect(error.offset <= length, "\(name): offset \(error.offset) past the end of \(length) bytes")
                }
            }
        }
    }

    @Test func emptyPayload() {
        #expect(decodeError([], as: Span.self) == WALDecodingError(.emptyPayload, at: 0))
    }

    @Test func versionMismatch() {
        var payload = WALEncodingFixtures.spanBatch.walPayload()
        for version: UInt8 in [0, 2, 0xFF] {
            payload[0] = version
            let error = decodeError(payload, as: Span.self)
            #expect(error == WALDecodingError(.unsupportedVersion(found: version, supported: 1), at: 0))
        }
    }

    @Test func itemKindMismatch() {
        let payload = WALEncodingFixtures.logBatch.walPayload()
        #expect(decodeError(payload, as: Span.self) == WALDecodingError(.wrongItemKind(expected: 1, found: 2), at: 1))
        let spans = WALEncodingFixtures.spanBatch.walPayload()
        #expect(decodeError(spans, as: LogRecord.self)?.reason == .wrongItemKind(expected: 2, found: 1))
    }

    @Test func trailingBytes() {
        let payload = WALEncodingFixtures.logBatch.walPayload()
        let error = decodeError(payload + [0], as: LogRecord.self)
        #expect(error == WALDecodingError(.trailingBytes(count: 1), at: payload.count))
    }

    @Test func hugeCountsAreRejectedBeforeAllocating() {
        // Version, span tag, then a resource count of 2^63.
        var writer = WALWriter()
        writer.writeByte(1)
        writer.writeByte(1)
        writer.writeVarUInt(UInt64(1) << 63)
        let error = decodeError(writer.bytes, as: Span.self)
        #expect(error?.reason == .countExceedsPayload(count: UInt64(1) << 63, remaining: 0))
        #expect(error?.offset == 2)

        // A plausible-looking span count that the remaining bytes cannot hold.
        let oneSpan = SpanBatch(resources: [ResourceItems(resource: Resource(), scopes: [
            ScopedItems(scope: InstrumentationScope(), items: [WALEncodingFixtures.span(1)]),
        ])]).walPayload()
        var inflated = oneSpan
        // Layout: version, tag, resources=1, attrs=0, dropped=0, schema="", scopes=1,
        // name="", version="", attrs=0, dropped=0, schema="", items (offset 12).
        #expect(inflated[12] == 1)
        inflated[12] = 100
        #expect(decodeError(inflated, as: Span.self)?.reason == .countExceedsPayload(count: 100, remaining: oneSpan.count - 13))
    }

    @Test func invalidUTF8IsReported() {
        var writer = WALWriter()
        writer.writeByte(1)
        writer.writeByte(1)
        writer.writeCount(1)  // one resource
        writer.writeCount(1)  // one attribute
        writer.writeBytes([0xC3, 0x28])  // key: invalid two-byte sequence
        let error = decodeError(writer.bytes + [0, 0, 0, 0], as: Span.self)
        #expect(error == WALDecodingError(.invalidUTF8(length: 2), at: 5))
    }

    @Test func invalidTagsAreReported() {
        var writer = WALWriter()
        writer.writeByte(1)
        writer.writeByte(2)
        writer.writeCount(1)  // one resource
        writer.writeCount(1)  // one attribute
        writer.writeString("k")
        writer.writeByte(42)  // no such value tag
        let error = decodeError(writer.bytes, as: LogRecord.self)
        #expect(error == WALDecodingError(.invalidTag(field: "attribute value tag", value: 42), at: 6))
        #expect(error?.description == "invalid WAL payload at byte 6: invalid attribute value tag 42")
    }

    @Test func nestingBeyondTheLimitIsRejected() {
        // A resource attribute that is an array of an array of ... 100 deep.
        var writer = WALWriter()
        writer.writeByte(1)
        writer.writeByte(1)
        writer.writeCount(1)
        writer.writeCount(1)
        writer.writeString("deep")
        for _ in 0..<100 {
            writer.writeByte(6)  // array tag
            writer.writeCount(1)
        }
        writer.writeByte(0)
        let error = decodeError(writer.bytes, as: Span.self)
        #expect(error?.reason == .nestingTooDeep(limit: WALFormat.maxNestingDepth))
        #expect(error?.offset == 9 + 2 * WALFormat.maxNestingDepth)
    }

    @Test func randomGarbageThrows() {
        var rng = WALEncodingRandomGenerator(seed: 42)
        for round in 0..<5_000 {
            let length = Int(rng.next() % 512)
            var garbage = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Most rounds get a valid header so decoding reaches the item codecs.
            if round % 4 != 0, garbage.count >= 2 {
                garbage[0] = WALFormat.version
                garbage[1] = UInt8(1 + round % 2)
            }
            if round % 2 == 0 {
                #expect(decodeError(garbage, as: Span.self) != nil)
            } else {
                #expect(decodeError(garbage, as: LogRecord.self) != nil)
            }
        }
    }

    @Test func corruptedPayloadsNeverCrash() {
        // Flipping bytes of a valid payload may still decode (a changed
        // string byte is just another string); what matters is no crash.
        var rng = WALEncodingRandomGenerator(seed: 99)
        let payloads = [
            WALEncodingFixtures.spanBatch.walPayload(),
            WALEncodingFixtures.logBatch.walPayload(),
        ]
        var failures = 0
        for round in 0..<3_000 {
            var payload = payloads[round % 2]
            for _ in 0...(rng.next() % 4) {
                let index = 2 + Int(rng.next() % UInt64(payload.count - 2))
                payload[index] = UInt8(truncatingIfNeeded: rng.next())
            }
            let failed = round % 2 == 0
                ? decodeError(payload, as: Span.self) != nil
                : decodeError(payload, as: LogRecord.self) != nil
            if failed { failures += 1 }
        }
        #expect(failures > 0)
    }
}
