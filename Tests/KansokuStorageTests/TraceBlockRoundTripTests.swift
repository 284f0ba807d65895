import Foundation
import KansokuModel
@testable import KansokuStorage
import Testing

@Suite("Trace block round trip")
struct TraceBlockRoundTripTests {
    typealias Kit = TraceBlockTestKit

    @Test(arguments: [1, 4, 4096])
    func everyFieldRoundTrips(rowGroupSize: Int) throws {
        try Kit.withTemporaryDirectory { dir in
            let batches = Kit.richBatches()
            let path = try Kit.writeBlock(batches, in: dir, options: .init(rowGroupSize: rowGroupSize))
            let reader = try TraceBlockReader(path: path)
            let expected = Kit.expectedRows(batches)
            var scanned: [TraceBlockSpan] = []
            try reader.forEachSpan { scanned.append($0) }
            #expect(scanned == expected)
            #expect(reader.metadata.spanCount == expected.count)
            if rowGroupSize == 1 { #expect(reader.rowGroups.count == reader.metadata.traceCount) }
        }
    }

    @Test func everyTraceIsFoundWithAllItsSpans() throws {
        try Kit.withTemporaryDirectory { dir in
            let batches = Kit.richBatches(traces: 40, batches: 3)
            let path = try Kit.writeBlock(batches, in: dir, options: .init(rowGroupSize: 16))
            let reader = try TraceBlockReader(path: path)
            let expected = Kit.expectedRows(batches)
            let ids = Set(expected.map(\.span.traceID))
            #expect(try reader.traceIDs() == ids.sorted())
            #expect(reader.metadata.traceCount == ids.count)
            for id in ids {
                #expect(reader.mayContain(id))
                let spans = try reader.spans(of: id)
                #expect(spans == expected.filter { $0.span.traceID == id })
                // Spans of one trace came from three batches and several resources.
                #expect(Set(spans.map(\.resource)).count > 1 || spans.count >= 9)
            }
        }
    }

    @Test func absentTracesAreMostlyRejectedByTheBloomFilter() throws {
        try Kit.withTemporaryDirectory { dir in
            let batches = Kit.richBatches(traces: 500, batches: 1, spansPerTraceAndBatch: 1)
            let reader = try TraceBlockReader(path: try Kit.writeBlock(batches, in: dir))
            var maybe = 0
            let probes = 20_000
            for n in 0..<probes {
                let id = TraceID(high: UInt64(n) &* 0xD6E8_FEB8_6659_FD93, low: UInt64(n) | 1 << 63)
                if reader.mayContain(id) { maybe += 1 }
                #expect(try reader.spans(of: id).isEmpty)
            }
            // Sized for 1%; allow noise.
            #expect(Double(maybe) / Double(probes) < 0.03)
        }
    }

    @Test func regroupsIntoASpanBatch() throws {
        try Kit.withTemporaryDirectory { dir in
            let batches = Kit.richBatches()
            let reader = try TraceBlockReader(path: try Kit.writeBlock(batches, in: dir))
            let id = try reader.traceIDs()[0]
            let batch = SpanBatch(blockSpans: try reader.spans(of: id))
            #expect(batch.itemCount == Kit.expectedRows(batches).filter { $0.span.traceID == id }.count)
            #expect(Set(batch.resources.map(\.resource)).count == batch.resources.count)
        }
    }

    @Test func metadataDescribesTimesServicesAndOperations() throws {
        try Kit.withTemporaryDirectory { dir in
            let batches = Kit.richBatches()
            let expected = Kit.expectedRows(batches)
            var writer = TraceBlockWriter()
            for batch in batches { writer.append(batch) }
            let path = dir + "/m.ktb"
            let written = try writer.write(to: path)
            let metadata = try TraceBlockReader(path: path).metadata
            #expect(metadata == written)
            let starts = expected.map(\.span.startTimeUnixNano)
            #expect(metadata.minStartTimeUnixNano == starts.min())
            #expect(metadata.maxStartTimeUnixNano == starts.max())
            #expect(metadata.maxEndTimeUnixNano == expected.map(\.span.endTimeUnixNano).max())
            #expect(metadata.services == ["", "cart", "checkout"])
            let operations = Set(expected.map { TraceBlockMetadata.Operation(service: $0.resource.serviceName ?? "", name: $0.span.name) })
            #expect(metadata.operations == operations.sorted())
            var kinds: [TraceBlockMetadata.Operation: Set<SpanKind>] = [:]
            for item in expected {
                kinds[.init(service: item.resource.serviceName ?? "", name: item.span.name), default: []].insert(item.span.kind)
            }
            for (i, operation) in metadata.operations.enumerated() {
                #expect(Set(metadata.kinds(ofOperationAt: i) ?? []) == kinds[operation], "span kinds of \(operation)")
            }
        }
    }

    @Test func scanFiltersByStartTimeAndService() throws {
        try Kit.withTemporaryDirectory { dir in
            let batches = Kit.richBatches(traces: 30)
            let expected = Kit.expectedRows(batches)
            let reader = try TraceBlockReader(path: try Kit.writeBlock(batches, in: dir, options: .init(rowGroupSize: 8)))
            let starts = expected.map(\.span.startTimeUnixNano).sorted()
            let range = starts[starts.count / 4]...starts[starts.count / 2]
            for services: Set<String>? in [nil, ["cart"], ["checkout", ""], ["nope"]] {
                var found: [TraceBlockSpan] = []
                try reader.forEachSpan(startingIn: range, services: services) { found.append($0) }
                let want = expected.filter {
                    range.contains($0.span.startTimeUnixNano) && (services?.contains($0.resource.serviceName ?? "") ?? true)
                }
                #expect(found == want)
            }
            var none = 0
            try reader.forEachSpan(startingIn: 0...1) { _ in none += 1 }
            #expect(none == 0)
        }
    }

    @Test func emptyBlock() throws {
        try Kit.withTemporaryDirectory { dir in
            let path = try Kit.writeBlock([], in: dir)
            let reader = try TraceBlockReader(path: path)
            #expect(reader.metadata == TraceBlockMetadata(operationKinds: []))
            #expect(reader.rowGroups.isEmpty)
            #expect(!reader.mayContain(Kit.traceID(1)))
            #expect(try reader.spans(of: Kit.traceID(1)).isEmpty)
            #expect(try reader.traceIDs().isEmpty)
            var count = 0
            try reader.forEachSpan(services: [""]) { _ in count += 1 }
            #expect(count == 0)
        }
    }

    @Test func writeIsAtomicAndReplacesAnOldFile() throws {
        try Kit.withTemporaryDirectory { dir in
            _ = try Kit.writeBlock(Kit.richBatches(traces: 2), in: dir, name: "b")
            let path = try Kit.writeBlock(Kit.richBatches(traces: 5), in: dir, name: "b")
            #expect(try TraceBlockReader(path: path).metadata.traceCount == 5)
            #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
        }
    }

    @Test func encodingIsDeterministic() throws {
        var a = TraceBlockWriter(), b = TraceBlockWriter()
        for batch in Kit.richBatches() { a.append(batch); b.append(batch) }
        #expect(try a.encode().bytes == b.encode().bytes)
    }

    /// `==` cannot see NaN payloads or the sign of zero; compare bit patterns.
    /// Also: the all-zero trace id and 64-bit (Zipkin-style) ids.
    @Test func specialValuesSurviveBitForBit() throws {
        try Kit.withTemporaryDirectory { dir in
            let nan = Double(nan: 0x1234, signaling: false)
            let spans = [TraceID.zero, TraceID(high: 0, low: 42)].map { id in
                Span(traceID: id, spanID: .zero, name: "", startTimeUnixNano: 0, endTimeUnixNano: .max,
                     attributes: [Attribute(key: "nan", value: .double(nan)), Attribute(key: "zero", value: .double(-0.0))])
            }
            let batch = SpanBatch(resources: [ResourceItems(resource: Resource(), scopes: [
                ScopedItems(scope: InstrumentationScope(), items: spans)])])
            let reader = try TraceBlockReader(path: try Kit.writeBlock([batch], in: dir))
            for id in [TraceID.zero, TraceID(high: 0, low: 42)] {
                let found = try reader.spans(of: id)
                #expect(found.count == 1)
                guard case .double(let a)? = found.first?.span.attributes[key: "nan"],
                      case .double(let b)? = found.first?.span.attributes[key: "zero"] else {
                    Issue.record("attributes lost")
                    continue
                }
                #expect(a.bitPattern == nan.bitPattern)
                #expect(b.bitPattern == (-0.0 as Double).bitPattern)
                #expect(found.first?.span.endTimeUnixNano == .max)
            }
        }
    }
}
