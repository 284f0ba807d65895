import Foundation
import KansokuModel
@testable import KansokuStorage
import Testing

@Suite("Trace block corruption")
struct TraceBlockCorruptionTests {
    typealias Kit = TraceBlockTestKit

    /// A small block's bytes and its parsed footer.
    private func sampleBlock(rowGroupSize: Int = 8) throws -> ([UInt8], TraceBlockFooter) {
        var writer = TraceBlockWriter(options: .init(rowGroupSize: rowGroupSize))
        for batch in Kit.richBatches(traces: 6, batches: 2, spansPerTraceAndBatch: 2) { writer.append(batch) }
        let bytes = try writer.encode().bytes
        let trailerStart = bytes.count - TraceBlockFormat.trailerSize
        let footerLength = bytes[trailerStart..<trailerStart + 4].withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
        let footerStart = trailerStart - footerLength
        let footer = try TraceBlockFooter(decoding: Array(bytes[footerStart..<trailerStart]), dataEnd: UInt64(footerStart), path: "sample")
        return (bytes, footer)
    }

    /// Writes `bytes` as a block and reads all of it, returning the error.
    private func readError(_ bytes: [UInt8], in dir: String) -> TraceBlockError? {
        let path = dir + "/damaged.ktb"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        do {
            _ = try Kit.readEverything(path)
            return nil
        } catch let error as TraceBlockError {
            if case .io = error { Issue.record("unexpected I/O error \(error)") }
            #expect(error.description.contains(path))
            return error
        } catch {
            Issue.record("untyped error \(error)")
            return nil
        }
    }

    @Test func intactSampleReads() throws {
        try Kit.withTemporaryDirectory { dir in
            let (bytes, footer) = try sampleBlock()
            #expect(footer.groups.count > 1)
            #expect(readError(bytes, in: dir) == nil)
        }
    }

    @Test func aFlippedByteInEverySectionIsReportedForThatSection() throws {
        try Kit.withTemporaryDirectory { dir in
            let (bytes, footer) = try sampleBlock()
            #expect(footer.sections.count == 8 + footer.groups.count * TraceBlockSectionKind.columns.count)
            #expect(footer.sections[.init(kind: .attributeCatalog, group: 0)] != nil, "the catalogue is among the sections damaged below")
            for entry in footer.sections.values where entry.storedLength > 0 {
                var damaged = bytes
                damaged[Int(entry.offset) + entry.storedLength / 2] ^= 0x10
                let error = readError(damaged, in: dir)
                #expect(error?.section == entry.kind.label(group: entry.group), "\(entry.kind.label(group: entry.group)): \(String(describing: error))")
                if case .checksumMismatch? = error {} else { Issue.record("expected a checksum mismatch, got \(String(describing: error))") }
            }
        }
    }

    @Test func headerFooterAndTrailerDamageIsDetected() throws {
        try Kit.withTemporaryDirectory { dir in
            let (bytes, _) = try sampleBlock()
            var badMagic = bytes
            badMagic[1] ^= 0xFF
            #expect(readError(badMagic, in: dir) == .badMagic(path: dir + "/damaged.ktb"))
            var badVersion = bytes
            badVersion[4] = 9
            #expect(readError(badVersion, in: dir)?.section == "trailer")
            var badFooter = bytes
            badFooter[bytes.count - TraceBlockFormat.trailerSize - 2] ^= 0x01
            #expect(readError(badFooter, in: dir)?.section == "footer")
            for offset in (bytes.count - TraceBlockFormat.trailerSize)..<bytes.count {
                var damaged = bytes
                damaged[offset] ^= 0x04
                #expect(readError(damaged, in: dir) != nil, "trailer byte \(offset)")
            }
        }
    }

    /// Every byte of the file is covered by a checksum, the magic or the
    /// version, so no single flipped bit may go unnoticed or crash.
    @Test func everySingleByteFlipIsDetected() throws {
        try Kit.withTemporaryDirectory { dir in
            let (bytes, _) = try sampleBlock(rowGroupSize: 64)
            for offset in bytes.indices {
                var damaged = bytes
                damaged[offset] ^= 0x01 << UInt8(offset % 8)
                #expect(readError(damaged, in: dir) != nil, "byte \(offset) of \(bytes.count)")
            }
        }
    }

    @Test func truncatedFilesAreRejected() throws {
        try Kit.withTemporaryDirectory { dir in
            let (bytes, _) = try sampleBlock()
            for length in [0, 3, 8, 12, 23, 24, bytes.count / 2, bytes.count - 17, bytes.count - 16, bytes.count - 1] {
                let error = readError(Array(bytes.prefix(length)), in: dir)
                #expect(error != nil, "length \(length)")
                if case .truncated? = error {} else { Issue.record("length \(length): expected truncation, got \(String(describing: error))") }
            }
        }
    }

    @Test func foreignFilesAreRejected() throws {
        try Kit.withTemporaryDirectory { dir in
            #expect(readError(Array(repeating: 0xAB, count: 4096), in: dir) == .badMagic(path: dir + "/damaged.ktb"))
            #expect(readError(Array("not a block at all, but long enough".utf8), in: dir) == .badMagic(path: dir + "/damaged.ktb"))
            let missing = dir + "/missing.ktb"
            #expect(throws: TraceBlockError.self) { try TraceBlockReader(path: missing) }
        }
    }
}
